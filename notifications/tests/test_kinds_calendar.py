"""The calendar's kinds, each through the service or view that does the thing: reviews, approvals, changes asked,
ideas triaged and commented, posts that failed or whose outcome is unknown."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from calendar_app import publisher, services
from calendar_app.models import Publication
from calendar_app.tasks import publish_due_publications
from calendar_app.tests.factories import IdeaFactory, OwnProfileFactory, PublicationFactory
from metrics.connectors.base import ConnectorError, LookupNotPossible
from metrics.models import TrackedProfile
from notifications.models import Notification

from .helpers import mails_to, of

pytestmark = pytest.mark.django_db
S = Publication.Status


def _kinds(membership):
    return [n.kind for n in of(membership)]


def _written_and_sent_by(membership, workspace):
    draft = PublicationFactory.build(workspace=workspace)
    draft.content_item.save()
    draft.profile.save()
    draft.content_item_id, draft.profile_id = draft.content_item.pk, draft.profile.pk
    publication = services.publication_save(publication=draft, by=membership.user)
    return services.publication_submit(publication=publication, by=membership.user)


def test_a_post_sent_for_review_tells_the_approvers_once(workspace, other_workspace, make_member):
    author = make_member(Role.COMMUNITY_MANAGER)
    admin, strategist = make_member(Role.ADMIN), make_member(Role.STRATEGY_LEAD)
    content_lead = make_member(Role.CONTENT_LEAD)  # not an approver by default
    outsider = make_member(Role.ADMIN, ws=other_workspace)
    publication = _written_and_sent_by(author, workspace)
    assert _kinds(admin) == _kinds(strategist) == ["review_requested"]
    assert _kinds(author) == _kinds(content_lead) == _kinds(outsider) == []
    notification = of(admin)[0]
    assert notification.link == reverse("calendar_app:publication_detail", args=[publication.pk])
    assert str(author.user) in notification.title and notification.actor == author.user


def test_an_approver_who_wrote_the_post_is_not_asked_to_review_it_under_four_eyes(workspace, make_member):
    author_admin, other_admin = make_member(Role.ADMIN), make_member(Role.ADMIN)
    _written_and_sent_by(author_admin, workspace)
    assert _kinds(author_admin) == [] and _kinds(other_admin) == ["review_requested"]


def test_a_first_approval_asks_the_final_approvers_and_the_final_one_tells_the_author(workspace, make_member):
    services.approval_settings_update(
        workspace=workspace, approver_roles=["admin", "strategy_lead", "content_lead"], final_approval_required=True
    )
    author = make_member(Role.COMMUNITY_MANAGER)
    content_lead, admin = make_member(Role.CONTENT_LEAD), make_member(Role.ADMIN)
    publication = _written_and_sent_by(author, workspace)
    Notification.objects.all().delete()
    services.publication_approve(publication=publication, membership=content_lead, comment="Nice copy.")
    assert _kinds(admin) == ["approved"] and "final approval" in of(admin)[0].title
    assert of(admin)[0].body == "Nice copy."
    assert _kinds(author) == [] and _kinds(content_lead) == []
    services.publication_approve(publication=publication, membership=admin)
    assert _kinds(author) == ["approved"] and of(author)[0].title.startswith("Approved by")
    assert _kinds(admin) == ["approved"]  # not told of their own approval


def test_changes_requested_tell_the_author_with_the_reason_and_the_mentioned(workspace, make_member):
    author = make_member(Role.COMMUNITY_MANAGER)
    admin = make_member(Role.ADMIN)
    designer = make_member(Role.COORDINATOR, full_name="Dee Signer")
    publication = _written_and_sent_by(author, workspace)
    services.publication_request_changes(
        publication=publication, membership=admin, comment="Shorter please; @Dee Signer can you redo the visual?"
    )
    (told,) = of(author)
    assert told.kind == "changes_requested" and told.body.startswith("Shorter please")
    assert _kinds(designer) == ["mention"]


def test_a_comment_on_an_idea_tells_its_submitter_who_reads_it_on_the_ideas_page(client, workspace, make_member):
    contributor = make_member(Role.CONTRIBUTOR)
    lead = make_member(Role.CONTENT_LEAD)
    idea = IdeaFactory(workspace=workspace, author=contributor.user)
    client.force_login(lead.user)
    client.post(reverse("calendar_app:idea_comment", args=[idea.pk]), {"body": "Love it, shooting next week."})
    (told,) = of(contributor)
    assert told.kind == "comment" and told.body == "Love it, shooting next week."
    assert _kinds(lead) == []
    client.force_login(contributor.user)
    page = client.get(reverse("calendar_app:idea_detail", args=[idea.pk])).content.decode()
    assert "Love it, shooting next week." in page
    assert reverse("calendar_app:idea_comment", args=[idea.pk]) not in page  # reads, does not comment


def test_triage_tells_the_submitter_with_the_leads_comment_shown_on_their_idea(client, workspace, make_member):
    contributor = make_member(Role.CONTRIBUTOR)
    lead = make_member(Role.CONTENT_LEAD)
    idea = IdeaFactory(workspace=workspace, author=contributor.user)
    client.force_login(lead.user)
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    client.post(
        reverse("calendar_app:idea_triage", args=[idea.pk]),
        {"decision": "accept", "due_date": due, "reason": "Great angle: we film it in March."},
    )
    (told,) = of(contributor)
    assert told.kind == "idea_triaged" and "accepted" in told.title
    assert told.body == "Great angle: we film it in March."
    client.force_login(contributor.user)
    page = client.get(reverse("calendar_app:idea_detail", args=[idea.pk])).content.decode()
    assert "Great angle: we film it in March." in page


def test_a_decline_tells_the_submitter_why(workspace, make_member):
    contributor, lead = make_member(Role.CONTRIBUTOR), make_member(Role.CONTENT_LEAD)
    idea = IdeaFactory(workspace=workspace, author=contributor.user)
    services.idea_decline(idea=idea, by=lead.user, reason="We covered it last month.")
    (told,) = of(contributor)
    assert "declined" in told.title and told.body == "We covered it last month."


def _due(workspace, **kwargs):
    return PublicationFactory(
        workspace=workspace, status=S.SCHEDULED, scheduled_at=timezone.now() - timedelta(minutes=1), **kwargs
    )


@pytest.mark.django_db(transaction=True)
def test_a_failed_post_tells_its_owner_and_the_admins_and_emails_each_once(workspace, other_workspace, make_member):
    owner = make_member(Role.COMMUNITY_MANAGER, email="owner@example.test")
    admin = make_member(Role.ADMIN, email="admin@example.test")
    analyst = make_member(Role.ANALYST, email="analyst@example.test")
    outsider = make_member(Role.ADMIN, ws=other_workspace, email="outsider@example.test")
    profile = OwnProfileFactory(workspace=workspace, platform="pinterest", source=TrackedProfile.Source.LIVE)
    _due(workspace, profile=profile, owner=owner.user)
    publish_due_publications.delay()
    assert _kinds(owner) == _kinds(admin) == ["publication_failed"]
    assert _kinds(analyst) == _kinds(outsider) == []
    assert len(mails_to("owner@example.test")) == len(mails_to("admin@example.test")) == 1
    assert len(mail.outbox) == 2
    assert "No live connector" in of(owner)[0].body


@pytest.mark.django_db(transaction=True)
def test_an_unknown_outcome_tells_the_owner_once(workspace, make_member, monkeypatch):
    owner = make_member(Role.CONTENT_LEAD, email="owner@example.test")
    due = _due(workspace, owner=owner.user)

    class Edge:
        def publish(self, **kwargs):
            raise ConnectorError("Connection reset by peer", may_have_happened=True)

        def find_published(self, **kwargs):
            raise LookupNotPossible("This network gives no way to look up an earlier post.")

    monkeypatch.setattr("metrics.connectors.connector_for", lambda profile: Edge())
    with time_machine.travel(timezone.now(), tick=False) as clock:
        publisher.publications_publish_due()
        clock.shift(timedelta(seconds=publisher.LOOKUP_DELAY_SECONDS + 1))
        publisher.publications_publish_due()
        clock.shift(timedelta(days=1))
        publisher.publications_publish_due()
    due.refresh_from_db()
    assert due.status == S.UNKNOWN
    (told,) = of(owner)
    assert told.kind == "publication_failed" and "check on the platform" in told.body
    assert len(mails_to("owner@example.test")) == 1
