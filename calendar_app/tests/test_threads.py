"""A thread (calendar_app/threads.py, follow_ups.py): the posts that follow a post on X, Bluesky and Mastodon, each a
reply to the one before, written with the post and posted after it, one part at a time, each once."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from calendar_app import publisher
from calendar_app.csv_import import import_publications
from calendar_app.models import FollowUp, Publication
from calendar_app.services import publication_approve, review_problems
from calendar_app.threads import MAX_PARTS, thread_parts
from calendar_app.voice import thread_problem
from metrics.connectors.base import AuthExpired, TransientError
from metrics.connectors.demo import PublishedLedger

from .factories import ContentItemFactory, OwnProfileFactory, PublicationFactory

pytestmark = pytest.mark.django_db
S, F = Publication.Status, FollowUp.Status

THREAD = "Part two: how it is made.\n---\nPart three: ask us anything."


def _due(workspace, *, thread=THREAD, first_comment="", **kwargs):
    profile = kwargs.pop("profile", None) or OwnProfileFactory(workspace=workspace, platform="x", handle="acme")
    kwargs = {"status": S.SCHEDULED, "scheduled_at": timezone.now() - timedelta(minutes=1)} | kwargs
    return PublicationFactory(
        workspace=workspace, profile=profile, copy="Part one.", thread=thread, first_comment=first_comment, **kwargs
    )


def _parts(publication) -> list[tuple[int, str, str]]:
    rows = FollowUp.objects.filter(publication=publication).order_by("position")
    return list(rows.values_list("position", "status", "external_id"))


# ---- the rule ---------------------------------------------------------------------------------------------------


def test_parts_are_split_on_a_line_holding_only_three_dashes():
    text = "One --- not a break\n  ---  \nTwo\n---\n\n---\nThree\n"
    assert thread_parts(text) == ["One --- not a break", "Two", "Three"]
    assert thread_parts("") == []


def test_a_thread_is_for_x_bluesky_and_mastodon_each_part_within_the_limit():
    assert thread_problem("x", THREAD) is None
    assert thread_problem("bluesky", THREAD) is None and thread_problem("mastodon", THREAD) is None
    assert "Threads go out on X, Bluesky and Mastodon only" in thread_problem("facebook", THREAD)
    assert thread_problem("facebook", "") is None
    assert thread_problem("x", f"fine\n---\n{'a' * 281}") == "Thread, part 3: 281 characters: X (Twitter) allows 280."
    too_many = "\n---\n".join(["part"] * (MAX_PARTS + 1))
    assert f"a thread takes at most {MAX_PARTS}" in thread_problem("x", too_many)


def test_a_post_with_a_thread_too_long_is_kept_from_review(workspace):
    publication = _due(workspace, thread=f"ok\n---\n{'a' * 300}", status=S.DRAFT)
    assert "Thread, part 3: 300 characters: X (Twitter) allows 280." in review_problems(publication)


# ---- written with the post --------------------------------------------------------------------------------------


def test_the_form_keeps_a_thread_for_x_and_refuses_one_for_facebook(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    item = ContentItemFactory(workspace=workspace)
    x = OwnProfileFactory(workspace=workspace, platform="x", handle="acme_x")
    facebook = OwnProfileFactory(workspace=workspace, platform="facebook", handle="acme_fb")
    fields = {"content_item": item.pk, "copy": "Part one.", "thread": THREAD, "media": ""}
    refused = client.post(reverse("calendar_app:publication_new"), fields | {"profile": facebook.pk})
    assert refused.status_code == 200 and "Threads go out on X, Bluesky and Mastodon only" in refused.content.decode()
    assert not Publication.objects.exists()
    saved = client.post(reverse("calendar_app:publication_new"), fields | {"profile": x.pk})
    assert saved.status_code == 302
    assert thread_parts(Publication.objects.get().thread) == [
        "Part two: how it is made.",
        "Part three: ask us anything.",
    ]


def test_the_composer_gives_the_shared_thread_to_the_accounts_that_take_one(client_as, workspace):
    x = OwnProfileFactory(workspace=workspace, platform="x", handle="acme_x")
    mastodon = OwnProfileFactory(workspace=workspace, platform="mastodon", handle="acme@mastodon.social")
    facebook = OwnProfileFactory(workspace=workspace, platform="facebook", handle="acme_fb")
    response = client_as(Role.COMMUNITY_MANAGER).post(
        reverse("calendar_app:composer"),
        {"content_item": ContentItemFactory(workspace=workspace).pk, "accounts": [x.pk, mastodon.pk, facebook.pk],
         "copy": "Part one.", "thread": THREAD},
    )  # fmt: skip
    assert response.status_code == 302
    threads = dict(Publication.objects.values_list("profile__platform", "thread"))
    assert threads == {"x": THREAD, "mastodon": THREAD, "facebook": ""}


def test_the_import_checks_the_thread_column_by_row(workspace, make_member):
    OwnProfileFactory(workspace=workspace, platform="x", handle="acme_x")
    OwnProfileFactory(workspace=workspace, platform="facebook", handle="acme_fb")
    by = make_member(Role.COMMUNITY_MANAGER).user
    head = "scheduled_at,platform,handle,content,copy,thread\n"
    bad = SimpleUploadedFile(
        "p.csv", (head + 'x,x,acme_x,Tip,One,"ok"\n,facebook,acme_fb,Tip,One,"A\n---\nB"\n').encode()
    )
    result = import_publications(workspace=workspace, uploaded=bad, by=by)
    assert not result.ok and [(e.line, e.column) for e in result.errors] == [(2, "scheduled_at"), (3, "thread")]
    good = SimpleUploadedFile("p.csv", (head + ',x,acme_x,Tip,One,"A\n---\nB"\n').encode())
    assert import_publications(workspace=workspace, uploaded=good, by=by).ok
    assert thread_parts(Publication.objects.get().thread) == ["A", "B"]


def test_editing_the_thread_of_an_approved_post_sends_it_back_to_review(client_as, workspace, make_member):
    publication = _due(workspace, status=S.IN_REVIEW, scheduled_at=timezone.now() + timedelta(days=2))
    publication_approve(publication=publication, membership=make_member(Role.ADMIN))
    publication.refresh_from_db()
    assert publication.status == S.SCHEDULED
    client = client_as(Role.COMMUNITY_MANAGER)
    fields = {"content_item": publication.content_item_id, "profile": publication.profile_id, "copy": "Part one.",
              "thread": "A new second part.", "media": "",
              "scheduled_at": timezone.localtime(publication.scheduled_at).strftime("%Y-%m-%dT%H:%M")}  # fmt: skip
    assert client.post(reverse("calendar_app:publication_edit", args=[publication.pk]), fields).status_code == 302
    assert Publication.objects.get(pk=publication.pk).status == S.IN_REVIEW


# ---- posted after the post, one part at a time -------------------------------------------------------------------


def test_each_part_replies_to_the_part_before_once_the_post_is_out(workspace, platform):
    edge = platform()
    due = _due(workspace, first_comment="Shop: https://example.com")
    publisher.publications_publish_due()
    due.refresh_from_db()
    # The first comment answers the post; the thread's parts answer each other, in order.
    assert edge.comments == [
        (due.external_id, "Shop: https://example.com"),
        (due.external_id, "Part two: how it is made."),
        ("comment-2", "Part three: ask us anything."),
    ]
    assert _parts(due) == [(0, F.POSTED, "comment-1"), (1, F.POSTED, "comment-2"), (2, F.POSTED, "comment-3")]
    actions = list(due.events.values_list("action", flat=True))
    assert actions == ["sending", "published", "first_comment_posted", "thread_part_posted", "thread_part_posted"]
    publisher.publications_publish_due()
    assert len(edge.comments) == 3  # each once, however often the tick runs


def test_the_demo_platform_chains_the_thread(workspace):
    profile = OwnProfileFactory(workspace=workspace, platform="x", handle="demo_thread")
    due = _due(workspace, profile=profile)
    publisher.publications_publish_due()
    due.refresh_from_db()
    entries = [e for e in PublishedLedger("x", of="comments").entries() if e["handle"] == "demo_thread"]
    ids = dict(FollowUp.objects.filter(publication=due).values_list("position", "external_id"))
    assert [(e["reply_to"], e["text"]) for e in entries] == [
        (due.external_id, "Part two: how it is made."),
        (ids[1], "Part three: ask us anything."),
    ]


def test_a_part_that_fails_holds_the_rest_and_posting_it_again_goes_on(client_as, workspace, platform):
    edge = platform(AuthExpired("X refused access with this token"))
    due = _due(workspace)
    publisher.publications_publish_due()
    assert [status for _, status, _ in _parts(due)] == [F.FAILED, F.HELD]
    assert Publication.objects.get(pk=due.pk).status == S.PUBLISHED  # the post is out, never sent again
    client = client_as(Role.COMMUNITY_MANAGER)
    page = client.get(reverse("calendar_app:publication_detail", args=[due.pk])).content.decode()
    assert "Part 2 of the thread" in page and "After the part before" in page and "refused access" in page
    client.post(reverse("calendar_app:publication_action", args=[due.pk, "follow_up_again"]), {"position": 1})
    publisher.publications_publish_due()
    due.refresh_from_db()
    assert [status for _, status, _ in _parts(due)] == [F.POSTED, F.POSTED]
    assert edge.comments[-1] == ("comment-2", "Part three: ask us anything.")
    assert len(edge.published) == 1


def test_a_part_marked_posted_by_hand_leaves_the_rest_to_be_posted_by_hand(client_as, workspace, platform):
    edge = platform(TransientError("gateway 504", may_have_happened=True))
    due = _due(workspace)
    publisher.publications_publish_due()
    assert [status for _, status, _ in _parts(due)] == [F.UNKNOWN, F.HELD]
    client = client_as(Role.COMMUNITY_MANAGER)
    client.post(reverse("calendar_app:publication_action", args=[due.pk, "follow_up_posted"]), {"position": 1})
    last = FollowUp.objects.get(publication=due, position=2)
    assert last.status == F.FAILED and "post the rest of the thread there by hand" in last.failure_reason
    publisher.publications_publish_due()
    assert len(edge.comments) == 1  # nothing replied to an id nobody knows


def test_a_post_marked_published_by_hand_has_no_thread_to_post(workspace, platform):
    edge = platform()
    due = _due(workspace)
    from calendar_app.follow_ups import follow_ups_queue

    due.external_id = ""
    follow_ups_queue(due)
    assert {status for _, status, _ in _parts(due)} == {F.FAILED}
    assert edge.comments == []
