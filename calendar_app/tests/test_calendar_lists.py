"""The lists under both calendars show one page of rows at a time; 'Show more' reaches the rest."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from calendar_app.selectors import LIST_PAGE_SIZE

from .factories import ContentItemFactory, IdeaFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def _rows(html: str, testid: str) -> int:
    table = html.split(f'data-testid="{testid}"', 1)[1].split("</table>", 1)[0]
    return table.count("<tr>") - 1  # the header row


def test_the_editorial_list_shows_one_page_and_a_link_to_the_next(client_as, workspace):
    client = client_as(Role.ANALYST)
    soon = timezone.localdate() + timedelta(days=3)
    for n in range(LIST_PAGE_SIZE + 5):
        ContentItemFactory(workspace=workspace, title=f"Item {n:02}", due_date=soon, stage="drafting")
    first = client.get(reverse("calendar_app:editorial"), {"stage": "drafting"}).content.decode()
    assert _rows(first, "content-table") == LIST_PAGE_SIZE
    assert 'data-testid="list-more"' in first and "?stage=drafting&amp;page=2" in first
    assert 'data-testid="list-previous"' not in first

    second = client.get(reverse("calendar_app:editorial"), {"stage": "drafting", "page": 2}).content.decode()
    assert _rows(second, "content-table") == 5
    assert f"Item {LIST_PAGE_SIZE + 4:02}" in second and "Item 00" not in second
    assert 'data-testid="list-previous"' in second and 'data-testid="list-more"' not in second


def test_a_short_list_has_no_pager_and_a_bad_page_shows_the_first(client_as, workspace):
    client = client_as(Role.ANALYST)
    ContentItemFactory(workspace=workspace, title="Only one")
    html = client.get(reverse("calendar_app:editorial"), {"page": "x"}).content.decode()
    assert "Only one" in html and 'data-testid="list-pager"' not in html


def test_an_editorial_row_shows_its_owner_idea_and_publication_count(client_as, workspace):
    client = client_as(Role.ANALYST)
    owner = client.membership.user
    item = ContentItemFactory(workspace=workspace, title="Launch video", owner=owner, stage="in_review")
    IdeaFactory(workspace=workspace, content_item=item)
    PublicationFactory(workspace=workspace, content_item=item)
    PublicationFactory(workspace=workspace, content_item=item)
    html = client.get(reverse("calendar_app:editorial")).content.decode()
    row = html.split("Launch video", 1)[1].split("</tr>", 1)[0]
    assert str(owner) in row and "In review" in row and '<td class="text-end">2</td>' in row
    assert 'title="From an idea"' in row
    assert f'href="{reverse("calendar_app:content_item_edit", args=[item.pk])}"' in html
    assert (
        f'<option value="{owner.pk}" selected>'
        in client.get(reverse("calendar_app:editorial"), {"owner": owner.pk}).content.decode()
    )


def test_the_publishing_list_shows_one_page_and_a_link_to_the_next(client_as, workspace):
    client = client_as(Role.ANALYST)
    for n in range(LIST_PAGE_SIZE + 1):
        PublicationFactory(workspace=workspace, content_item__title=f"Post {n:02}")
    first = client.get(reverse("calendar_app:publishing"), {"network": "x"}).content.decode()
    assert _rows(first, "publication-table") == LIST_PAGE_SIZE
    assert "?network=x&amp;page=2" in first

    second = client.get(reverse("calendar_app:publishing"), {"network": "x", "page": 2}).content.decode()
    assert _rows(second, "publication-table") == 1 and f"Post {LIST_PAGE_SIZE:02}" in second


def test_a_publishing_row_shows_its_time_in_the_workspace_zone_its_status_and_a_preview(client_as, workspace):
    client = client_as(Role.ANALYST)
    when = datetime(timezone.now().year + 1, 1, 15, 9, 0, tzinfo=UTC)  # 10:00 in Paris
    publication = PublicationFactory(workspace=workspace, scheduled_at=when, status="in_review", copy="a" * 100)
    PublicationFactory(workspace=workspace, scheduled_at=when, copy="b" * 80)  # as long as the preview: all of it
    html = client.get(reverse("calendar_app:publishing")).content.decode()
    assert f"15 Jan {when.year}, 10:00" in html
    assert "a" * 79 + "…" in html and "a" * 80 not in html
    assert f">{'b' * 80}<" in html
    assert 'class="badge text-bg-warning" data-testid="publication-status">In review<' in html
    assert f'href="{reverse("calendar_app:publication_detail", args=[publication.pk])}"' in html
