import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from calendar_app.models import ContentItem

from .factories import ContentItemFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def test_an_item_moves_to_another_date_without_a_page(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    item = ContentItemFactory(workspace=workspace, due_date=date(2026, 12, 1))
    response = client.post(reverse("calendar_app:content_item_move", args=[item.pk]), {"start": "2026-12-04"})
    assert response.json() == {"ok": True, "due_date": "2026-12-04"}
    assert ContentItem.objects.get().due_date == date(2026, 12, 4)


def test_a_bad_date_is_refused_with_a_message(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    item = ContentItemFactory(workspace=workspace, due_date=date(2026, 12, 1))
    response = client.post(reverse("calendar_app:content_item_move", args=[item.pk]), {"start": "soon"})
    assert response.status_code == 400 and "YYYY-MM-DD" in response.json()["error"]


def test_analyst_reads_but_cannot_move(client_as, workspace):
    client = client_as(Role.ANALYST)
    item = ContentItemFactory(workspace=workspace)
    assert client.get(reverse("calendar_app:editorial")).status_code == 200
    assert (
        client.post(reverse("calendar_app:content_item_move", args=[item.pk]), {"start": "2026-12-04"}).status_code
        == 403
    )


def test_events_list_only_this_workspace_in_the_asked_range(client_as, workspace, other_workspace):
    client = client_as(Role.ANALYST)
    ContentItemFactory(workspace=workspace, title="In range", due_date=date(2026, 12, 3))
    ContentItemFactory(workspace=workspace, title="Later", due_date=date(2027, 2, 3))
    ContentItemFactory(workspace=other_workspace, title="Theirs", due_date=date(2026, 12, 3))
    events = client.get(reverse("calendar_app:editorial_events"), {"start": "2026-12-01", "end": "2027-01-01"}).json()
    assert [e["title"] for e in events] == ["In range"]


def test_a_content_item_is_created_from_the_form(client_as, workspace):
    client = client_as(Role.CONTENT_LEAD)
    response = client.post(
        reverse("calendar_app:content_item_new"),
        {
            "title": "Launch video",
            "format": "video",
            "due_date": "2026-12-10",
            "stage": "drafting",
            "owner": client.membership.user.pk,
            "contributors": [client.membership.user.pk],
        },
    )
    assert response.status_code == 302
    item = ContentItem.objects.get(workspace=workspace)
    assert (item.format, list(item.contributors.all())) == ("video", [client.membership.user])


def test_csv_exports_hold_this_workspace_only(client_as, workspace, other_workspace):
    client = client_as(Role.ANALYST)
    PublicationFactory(workspace=workspace, content_item__title="Ours")
    PublicationFactory(workspace=other_workspace, content_item__title="Theirs")
    rows = list(csv.reader(io.StringIO(client.get(reverse("calendar_app:publishing_csv")).content.decode())))
    assert [r[4] for r in rows[1:]] == ["Ours"]
    rows = list(csv.reader(io.StringIO(client.get(reverse("calendar_app:editorial_csv")).content.decode())))
    assert [r[1] for r in rows[1:]] == ["Ours"]


def test_csv_export_keeps_a_formula_looking_title_as_text(client_as, workspace):
    client = client_as(Role.ANALYST)
    PublicationFactory(workspace=workspace, content_item__title='=HYPERLINK("http://evil.example")')
    rows = list(csv.reader(io.StringIO(client.get(reverse("calendar_app:publishing_csv")).content.decode())))
    assert rows[1][4] == '\'=HYPERLINK("http://evil.example")'


@pytest.mark.parametrize(
    "name",
    [
        "calendar_app:publishing",
        "calendar_app:editorial",
        "calendar_app:publishing_events",
        "calendar_app:editorial_events",
    ],
)
def test_the_calendar_pages_keep_a_fixed_number_of_queries(client_as, workspace, name):
    client = client_as(Role.ADMIN)
    url = reverse(name)
    PublicationFactory(workspace=workspace, scheduled_at=timezone.now())
    client.get(url)  # the first request also stores the chosen workspace in the session
    with CaptureQueriesContext(connection) as few:
        first = client.get(url)
    for _ in range(14):
        PublicationFactory(workspace=workspace, scheduled_at=timezone.now())
    with CaptureQueriesContext(connection) as many:
        more = client.get(url)
    assert first.status_code == more.status_code == 200
    if name == "calendar_app:publishing_events":
        assert (len(first.json()), len(more.json())) == (1, 15)  # the feed shows them all
    assert len(many) == len(few) <= 20
