"""The publication form validates; services.publication_save writes (the review rules and the event log)."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from calendar_app.forms import PublicationForm
from calendar_app.models import Publication

from .factories import ContentItemFactory, OwnProfileFactory, PublicationFactory

pytestmark = pytest.mark.django_db
S = Publication.Status


def test_a_new_publication_is_written_by_the_service_with_its_media_and_its_created_event(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    profile = OwnProfileFactory(workspace=workspace, platform="x")
    item = ContentItemFactory(workspace=workspace)
    response = client.post(
        reverse("calendar_app:publication_new"),
        {
            "content_item": item.pk,
            "profile": profile.pk,
            "copy": "Spring is here",
            "scheduled_at": "2026-12-01T10:00",
            "media": "https://cdn.example.com/a.jpg\n\nhttps://cdn.example.com/b.jpg",
        },
    )
    publication = Publication.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/calendar/publishing/{publication.pk}/")
    assert publication.media_urls == ["https://cdn.example.com/a.jpg", "https://cdn.example.com/b.jpg"]
    assert publication.owner == client.membership.user and publication.workspace == workspace
    assert list(publication.events.values_list("action", flat=True)) == ["created"]


def test_editing_an_approved_publication_through_the_form_sends_it_back_to_review(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    publication = PublicationFactory(workspace=workspace, status=S.SCHEDULED, copy="Before")
    client.post(
        reverse("calendar_app:publication_edit", args=[publication.pk]),
        {
            "content_item": publication.content_item_id,
            "profile": publication.profile_id,
            "copy": "After",
            "scheduled_at": "2026-12-01T10:00",
            "media": "",
        },
    )
    publication.refresh_from_db()
    assert (publication.copy, publication.status) == ("After", S.IN_REVIEW)
    assert publication.events.filter(action="edited").exists()


def test_the_form_writes_nothing_itself(workspace):
    profile = OwnProfileFactory(workspace=workspace, platform="x")
    item = ContentItemFactory(workspace=workspace)
    form = PublicationForm(
        {"content_item": item.pk, "profile": profile.pk, "copy": "Hi", "scheduled_at": "2026-12-01T10:00"},
        workspace=workspace,
    )
    assert form.is_valid(), form.errors
    assert form.instance.pk is None and form.instance.copy == "Hi" and form.instance.media_urls == []
    with pytest.raises(TypeError, match="publication_save"):
        form.save()
    assert not Publication.objects.exists()


def test_the_form_offers_the_nearest_content_items_and_keeps_an_edited_posts_own(client_as, workspace):
    from datetime import timedelta

    from django.utils import timezone

    from calendar_app.selectors import CONTENT_ITEM_CHOICES

    client = client_as(Role.COMMUNITY_MANAGER)
    today = timezone.localdate()
    soon = ContentItemFactory(workspace=workspace, title="Soon <b>", due_date=today + timedelta(days=5))
    for n in range(CONTENT_ITEM_CHOICES):  # due ahead: they fill the list before an overdue one
        ContentItemFactory(workspace=workspace, title=f"Later {n}", due_date=today + timedelta(days=10 + n))
    old = ContentItemFactory(workspace=workspace, title="Last year", due_date=today - timedelta(days=400))
    page = client.get(reverse("calendar_app:publication_new")).content.decode()
    assert f'<option value="{soon.pk}">Soon &lt;b&gt; · due {soon.due_date:%d %b}</option>' in page
    assert "Last year" not in page
    assert 'data-search-url="/calendar/publishing/content-items/"' in page and "js/select_search" in page
    publication = PublicationFactory(workspace=workspace, content_item=old)
    edit = client.get(reverse("calendar_app:publication_edit", args=[publication.pk])).content.decode()
    assert f'<option value="{old.pk}" selected>Last year · due {old.due_date:%d %b}</option>' in edit
