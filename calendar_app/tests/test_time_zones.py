from datetime import UTC, datetime

import pytest
from django.urls import reverse

from accounts.roles import Role
from calendar_app.models import Publication

from .factories import ContentItemFactory, OwnProfileFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def _post(client, workspace, when):
    item = ContentItemFactory(workspace=workspace)
    profile = OwnProfileFactory(workspace=workspace)
    return client.post(
        reverse("calendar_app:publication_new"),
        {"content_item": item.pk, "profile": profile.pk, "copy": "Hello", "scheduled_at": when},
    )


@pytest.mark.parametrize(
    ("entered", "stored_utc"),
    [
        ("2026-03-28T10:00", datetime(2026, 3, 28, 9, 0, tzinfo=UTC)),  # Saturday before the change: UTC+1
        ("2026-03-29T03:00", datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),  # first hour of summer time: UTC+2
        ("2026-03-30T10:00", datetime(2026, 3, 30, 8, 0, tzinfo=UTC)),
        ("2026-10-25T10:00", datetime(2026, 10, 25, 9, 0, tzinfo=UTC)),  # last Sunday of October: back to UTC+1
    ],
)
def test_times_are_entered_in_the_workspace_zone_and_stored_in_utc(client_as, workspace, entered, stored_utc):
    _post(client_as(Role.COMMUNITY_MANAGER), workspace, entered)
    assert Publication.objects.get().scheduled_at == stored_utc


def test_a_time_that_does_not_exist_on_the_spring_change_is_refused_clearly(client_as, workspace):
    response = _post(client_as(Role.COMMUNITY_MANAGER), workspace, "2026-03-29T02:30")
    assert response.status_code == 200
    assert "may be ambiguous or it may not exist" in response.content.decode()
    assert not Publication.objects.exists()


def test_times_are_shown_in_the_workspace_zone_on_both_sides_of_the_change(client_as, workspace):
    client = client_as(Role.ANALYST)
    before = PublicationFactory(workspace=workspace, scheduled_at=datetime(2026, 3, 28, 9, 0, tzinfo=UTC))
    after = PublicationFactory(workspace=workspace, scheduled_at=datetime(2026, 3, 29, 8, 0, tzinfo=UTC))
    assert "10:00" in client.get(reverse("calendar_app:publication_detail", args=[before.pk])).content.decode()
    assert "10:00" in client.get(reverse("calendar_app:publication_detail", args=[after.pk])).content.decode()
    events = client.get(reverse("calendar_app:publishing_events"), {"start": "2026-03-23", "end": "2026-04-06"}).json()
    assert sorted(e["start"] for e in events) == ["2026-03-28T10:00", "2026-03-29T10:00"]
