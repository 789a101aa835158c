"""The first comment under a published post (calendar_app/follow_ups.py): written with the post (composer, form,
CSV), queued with the post's record, posted once on its own claim and retries, held by the crisis switch, and never
posted again blindly when the platform did not answer."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from calendar_app import follow_ups, publisher
from calendar_app.csv_import import import_publications
from calendar_app.models import FollowUp, Publication, PublicationTemplate
from calendar_app.services import crisis_pause_start, review_problems
from metrics.connectors.base import AuthExpired, RateLimited, TransientError
from metrics.connectors.demo import PublishedLedger
from notifications.models import Notification

from .factories import ContentItemFactory, OwnProfileFactory, PublicationFactory, brand_voice_avoids

pytestmark = pytest.mark.django_db
S, C = Publication.Status, FollowUp.Status


def _due(workspace, first_comment="Tell us what you think", **kwargs):
    return PublicationFactory(
        workspace=workspace, status=S.SCHEDULED, scheduled_at=timezone.now() - timedelta(minutes=1),
        first_comment=first_comment, **kwargs,
    )  # fmt: skip


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("posts.csv", text.encode(), content_type="text/csv")


def _comment(publication) -> FollowUp:
    return FollowUp.objects.get(publication=publication)


# ---- written with the post --------------------------------------------------------------------------------------


def test_the_composer_gives_each_account_the_shared_first_comment_or_its_own(client_as, workspace):
    x = OwnProfileFactory(workspace=workspace, platform="x", handle="acme_news")
    facebook = OwnProfileFactory(workspace=workspace, platform="facebook", handle="acme")
    item = ContentItemFactory(workspace=workspace)
    response = client_as(Role.COMMUNITY_MANAGER).post(
        reverse("calendar_app:composer"),
        {"content_item": item.pk, "accounts": [x.pk, facebook.pk], "copy": "Spring is here.",
         "first_comment": "The whole collection: https://example.com/spring",
         f"first_comment_{x.pk}": "Thread below: https://example.com/spring"},
    )  # fmt: skip
    assert response.status_code == 302
    comments = dict(Publication.objects.values_list("profile__platform", "first_comment"))
    assert comments == {"x": "Thread below: https://example.com/spring",
                        "facebook": "The whole collection: https://example.com/spring"}  # fmt: skip


def test_a_first_comment_too_long_for_one_network_refuses_the_whole_post_and_names_it(client_as, workspace):
    x = OwnProfileFactory(workspace=workspace, platform="x", handle="acme_news")
    linkedin = OwnProfileFactory(workspace=workspace, platform="linkedin", handle="acme-b2b")
    response = client_as(Role.COMMUNITY_MANAGER).post(
        reverse("calendar_app:composer"),
        {"content_item": ContentItemFactory(workspace=workspace).pk, "accounts": [x.pk, linkedin.pk],
         "copy": "Spring is here.", f"first_comment_{x.pk}": "Short reply", "first_comment": "a" * 1251},
    )  # fmt: skip
    assert response.status_code == 400
    assert "a comment on LinkedIn takes 1250" in response.content.decode()
    assert not Publication.objects.exists()


def test_the_form_checks_the_first_comment_against_the_network_and_the_words_to_avoid(client_as, workspace):
    brand_voice_avoids(workspace, "cheap")
    profile = OwnProfileFactory(workspace=workspace, platform="facebook", handle="acme")
    item = ContentItemFactory(workspace=workspace)
    client = client_as(Role.COMMUNITY_MANAGER)
    data = {"content_item": item.pk, "profile": profile.pk, "copy": "Spring is here.", "scheduled_at": ""}
    response = client.post(reverse("calendar_app:publication_new"), data | {"first_comment": "x" * 8001})
    assert response.status_code == 200 and "a comment on Facebook takes 8000" in response.content.decode()
    assert not Publication.objects.exists()

    client.post(reverse("calendar_app:publication_new"), data | {"first_comment": "Cheap, and good"})
    publication = Publication.objects.get()
    assert publication.first_comment == "Cheap, and good"
    assert review_problems(publication) == ["Words the brand avoids: cheap."]  # so "Send for review" refuses it


def test_editing_the_first_comment_of_an_approved_post_sends_it_back_to_review(workspace, make_member):
    from calendar_app.services import publication_save

    publication = PublicationFactory(workspace=workspace, status=S.APPROVED, first_comment="One")
    publication.first_comment = "Two"
    publication_save(publication=publication, by=make_member(Role.CONTENT_LEAD).user)
    publication.refresh_from_db()
    assert publication.status == S.IN_REVIEW
    assert publication.events.last().changes == {"first_comment": ["One", "Two"]}


def test_duplicates_and_templates_keep_the_first_comment(client_as, workspace):
    publication = PublicationFactory(workspace=workspace, first_comment="Link: https://example.com")
    client = client_as(Role.CONTENT_LEAD)
    client.post(reverse("calendar_app:publication_duplicate", args=[publication.pk]))
    client.post(reverse("calendar_app:template_save", args=[publication.pk]), {"name": "Weekly tip"})
    copy = Publication.objects.exclude(pk=publication.pk).get()
    assert copy.first_comment == "Link: https://example.com"
    assert PublicationTemplate.objects.get().first_comment == "Link: https://example.com"


def test_a_csv_row_carries_its_first_comment_and_a_too_long_one_is_a_row_error(workspace, make_member):
    OwnProfileFactory(workspace=workspace, platform="x", handle="acme_news")
    by = make_member(Role.CONTENT_LEAD).user
    header = "platform,handle,content,copy,first_comment\n"
    bad = _csv(header + f"x,acme_news,Launch,Spring,ok\nx,acme_news,Launch,Spring two,{'a' * 281}\n")
    result = import_publications(workspace=workspace, uploaded=bad, by=by)
    assert not result.ok and [(e.line, e.column) for e in result.errors] == [(3, "first_comment")]
    assert not Publication.objects.exists()
    good = _csv(header + "x,acme_news,Launch,Spring,Thread: https://example.com\n")
    assert import_publications(workspace=workspace, uploaded=good, by=by).ok
    assert Publication.objects.get().first_comment == "Thread: https://example.com"


# ---- posted once, after its post --------------------------------------------------------------------------------


def test_the_comment_is_queued_with_the_posts_record_and_posted_under_it(workspace, platform):
    edge = platform()
    due = _due(workspace)
    plain = _due(workspace, first_comment="")
    publisher.publications_publish_due()
    comment = _comment(due)
    assert (comment.status, comment.external_id, comment.attempts) == (C.POSTED, "comment-1", 1)
    assert edge.comments == [(Publication.objects.get(pk=due.pk).external_id, "Tell us what you think")]
    assert not FollowUp.objects.filter(publication=plain).exists()
    assert list(due.events.values_list("action", flat=True)) == ["sending", "published", "first_comment_posted"]
    publisher.publications_publish_due()
    assert len(edge.comments) == 1  # posted once, however often the tick runs


def test_the_demo_platform_keeps_the_comment_under_its_post(workspace):
    due = _due(workspace, profile=OwnProfileFactory(workspace=workspace, platform="facebook", handle="demo_fc"))
    publisher.publications_publish_due()
    due.refresh_from_db()
    [entry] = [e for e in PublishedLedger("facebook", of="comments").entries() if e["handle"] == "demo_fc"]
    assert (entry["reply_to"], entry["text"]) == (due.external_id, "Tell us what you think")
    assert _comment(due).external_id == entry["external_id"]


def test_a_passing_fault_is_retried_later_and_a_failed_comment_never_sends_its_post_again(workspace, platform):
    edge = platform(RateLimited("429", retry_after=300), TransientError("503"))
    due = _due(workspace)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        publisher.publications_publish_due()
        comment = _comment(due)
        assert (comment.status, comment.next_attempt_at) == (C.WAITING, timezone.now() + timedelta(seconds=300))
        clock.shift(timedelta(seconds=301))
        publisher.publications_publish_due()
        assert _comment(due).status == C.WAITING  # the 503: again, after its back-off
        clock.shift(timedelta(seconds=follow_ups.RETRY_BACKOFF_SECONDS * 2 + 1))
        publisher.publications_publish_due()
    assert (_comment(due).status, len(edge.comments), len(edge.published)) == (C.POSTED, 3, 1)


def test_a_refusal_fails_the_comment_keeps_the_post_published_and_tells_people(workspace, platform, make_member):
    platform(AuthExpired("X refused access with this token"))
    owner = make_member(Role.COMMUNITY_MANAGER).user
    due = _due(workspace, owner=owner)
    publisher.publications_publish_due()
    comment = _comment(due)
    assert comment.status == C.FAILED and "refused access" in comment.failure_reason
    assert Publication.objects.get(pk=due.pk).status == S.PUBLISHED
    assert Notification.objects.filter(recipient__user=owner, title__startswith="First comment could not").exists()


def test_no_answer_leaves_the_comment_unknown_and_a_person_decides(client_as, workspace, platform):
    edge = platform(TransientError("gateway 504", may_have_happened=True))
    due = _due(workspace)
    publisher.publications_publish_due()
    assert _comment(due).status == C.UNKNOWN
    publisher.publications_publish_due()
    assert len(edge.comments) == 1  # never posted again by itself

    client = client_as(Role.COMMUNITY_MANAGER)
    page = client.get(reverse("calendar_app:publication_detail", args=[due.pk])).content.decode()
    assert "It is not there: post it" in page and "gateway 504" in page
    client.post(reverse("calendar_app:publication_action", args=[due.pk, "follow_up_again"]))
    publisher.publications_publish_due()
    assert (_comment(due).status, len(edge.comments)) == (C.POSTED, 2)


def test_a_person_marks_an_unknown_comment_posted(client_as, workspace, platform):
    platform(TransientError("timeout", may_have_happened=True))
    due = _due(workspace)
    publisher.publications_publish_due()
    client_as(Role.COMMUNITY_MANAGER).post(
        reverse("calendar_app:publication_action", args=[due.pk, "follow_up_posted"])
    )
    assert _comment(due).status == C.POSTED
    assert due.events.filter(action="first_comment_marked_posted").exists()


def test_a_worker_that_died_mid_call_leaves_the_comment_unknown_never_posted_twice(workspace, platform):
    edge = platform()
    due = _due(workspace)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        publisher.publication_send(publication_id=due.pk)  # published; its comment waits (its task died unsent)
        claimed = follow_ups._claim(_comment(due).pk, timezone.now())  # the worker that then died mid-call
        assert claimed.status == C.SENDING
        publisher.publications_publish_due()
        assert _comment(due).status == C.SENDING  # it may still be at it
        clock.shift(publisher.sending_timeout() + timedelta(seconds=1))
        publisher.publications_publish_due()
    assert _comment(due).status == C.UNKNOWN and edge.comments == []


def test_the_crisis_switch_holds_a_waiting_comment_until_the_pause_ends(workspace, platform, make_member):
    from calendar_app.services import crisis_pause_end

    edge = platform()
    admin = make_member(Role.ADMIN).user
    due = _due(workspace)
    publisher.publication_send(publication_id=due.pk)
    crisis_pause_start(workspace=workspace, by=admin, reason="Incident")
    publisher.publications_publish_due()
    assert _comment(due).pk not in follow_ups.due_ids()
    assert follow_ups._claim(_comment(due).pk, timezone.now()) is None  # the claim itself refuses
    assert follow_ups.follow_up_send(comment_id=_comment(due).pk) is None
    assert (_comment(due).status, edge.comments) == (C.WAITING, [])
    crisis_pause_end(workspace=workspace, by=admin)
    publisher.publications_publish_due()
    assert _comment(due).status == C.POSTED


def test_a_pause_committed_after_the_claim_stops_the_comment_before_its_call(workspace, platform, make_member):
    from calendar_app.models import CrisisSwitch

    edge = platform()
    due = _due(workspace)
    publisher.publication_send(publication_id=due.pk)
    claimed = follow_ups._claim(_comment(due).pk, timezone.now())
    CrisisSwitch.objects.filter(workspace=workspace).update(is_on=True)
    assert follow_ups._stopped_by_the_switch(claimed)
    comment = _comment(due)
    assert (comment.status, comment.attempts, edge.comments) == (C.WAITING, 0, [])


def test_a_post_marked_published_by_hand_has_no_id_so_its_comment_is_left_to_a_person(workspace, make_member):
    publication = PublicationFactory(
        workspace=workspace, status=S.UNKNOWN, failure_reason="No answer", first_comment="Hello"
    )
    publisher.publication_mark_published(publication=publication, by=make_member(Role.ADMIN).user)
    comment = _comment(publication)
    assert comment.status == C.FAILED and "by hand" in comment.failure_reason


def test_another_workspace_cannot_act_on_a_comment(client_as, workspace, platform, make_member):
    from accounts.tests.factories import WorkspaceFactory

    platform(TransientError("timeout", may_have_happened=True))
    due = _due(workspace)
    publisher.publications_publish_due()
    other = WorkspaceFactory(name="Other")
    client = client_as(Role.ADMIN, ws=other)
    response = client.post(reverse("calendar_app:publication_action", args=[due.pk, "follow_up_posted"]))
    assert response.status_code == 404 and _comment(due).status == C.UNKNOWN
