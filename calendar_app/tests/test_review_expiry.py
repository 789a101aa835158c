"""A review nobody answers expires (calendar_app/review_expiry.py): back to draft after the workspace's days, its
authors told, the expiry in its history; a review answered, commented on or in a workspace without the rule waits."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from calendar_app import services
from calendar_app.models import Publication, PublicationEvent
from calendar_app.review_expiry import expire_stale_reviews
from notifications.models import Notification

from .factories import PublicationFactory

pytestmark = pytest.mark.django_db
S = Publication.Status


def _in_review_since(workspace, owner, days_ago: float, **extra):
    publication = PublicationFactory(workspace=workspace, owner=owner, status=S.IN_REVIEW, **extra)
    event = PublicationEvent.objects.create(
        publication=publication, actor=owner, action="submitted", to_status=S.IN_REVIEW
    )
    PublicationEvent.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return publication


def _expire_after(workspace, days):
    services.approval_settings_update(
        workspace=workspace, approver_roles=["admin"], final_approval_required=False, review_expires_after_days=days
    )


def test_a_review_older_than_the_workspace_allows_goes_back_to_draft_and_its_author_is_told(
    workspace, make_member, other_workspace
):
    author = make_member(Role.COMMUNITY_MANAGER).user
    _expire_after(workspace, 3)
    stale = _in_review_since(workspace, author, 3.5, content_item__title="Stale")
    fresh = _in_review_since(workspace, author, 2)
    elsewhere = _in_review_since(other_workspace, None, 30)  # no rule there: it waits
    assert expire_stale_reviews() == 1
    stale.refresh_from_db(), fresh.refresh_from_db(), elsewhere.refresh_from_db()
    assert (stale.status, fresh.status, elsewhere.status) == (S.DRAFT, S.IN_REVIEW, S.IN_REVIEW)
    event = stale.events.latest("pk")
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "review_expired",
        S.IN_REVIEW,
        S.DRAFT,
        None,
    )
    assert event.comment == "Nobody answered the review in 3 days."
    told = Notification.objects.get(recipient__user=author, kind="review_expired")
    assert "Stale" in told.title and told.link == reverse("calendar_app:publication_detail", args=[stale.pk])
    assert expire_stale_reviews() == 0  # once


def test_a_first_approval_or_any_event_since_keeps_the_review_waiting(workspace, make_member):
    author = make_member(Role.COMMUNITY_MANAGER).user
    approver = make_member(Role.CONTENT_LEAD).user
    _expire_after(workspace, 3)
    touched = _in_review_since(workspace, author, 10)
    PublicationEvent.objects.create(
        publication=touched, actor=approver, action="first_approval", from_status=S.IN_REVIEW
    )
    assert expire_stale_reviews() == 0
    assert Publication.objects.get(pk=touched.pk).status == S.IN_REVIEW


def test_the_settings_page_sets_and_clears_the_expiry(client_as, workspace):
    client = client_as(Role.ADMIN)
    form = {
        "approver_roles": ["admin", "strategy_lead"],
        "four_eyes": "on",
        "review_expires_after_days": "5",
    }
    client.post(reverse("calendar_app:settings"), form)
    assert services.approval_settings_for(workspace).review_expires_after_days == 5
    page = client.get(reverse("calendar_app:settings")).content.decode()
    assert 'name="review_expires_after_days" value="5"' in page
    client.post(reverse("calendar_app:settings"), form | {"review_expires_after_days": ""})
    assert services.approval_settings_for(workspace).review_expires_after_days is None


def test_the_beat_task_runs_the_sweep(workspace, make_member):
    from calendar_app.tasks import expire_stale_reviews as task

    _expire_after(workspace, 1)
    _in_review_since(workspace, make_member(Role.COMMUNITY_MANAGER).user, 2)
    assert task.apply().get() == 1
