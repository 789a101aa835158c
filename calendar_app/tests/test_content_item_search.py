"""A post's content item: the forms render the nearest few, a type-ahead finds any other of the workspace
(calendar_app:content_item_search), and the forms accept any of the workspace's, never another's."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from calendar_app.models import ContentItem, Publication
from calendar_app.selectors import CONTENT_ITEM_CHOICES

from .factories import ContentItemFactory, OwnProfileFactory, PublicationFactory

pytestmark = pytest.mark.django_db
SEARCH = "calendar_app:content_item_search"


def _items(workspace, n: int, *, title: str = "Item", start_day: int = 0) -> list[ContentItem]:
    today = timezone.localdate()
    return ContentItem.objects.bulk_create(
        ContentItem(workspace=workspace, title=f"{title} {i:03}", due_date=today + timedelta(days=start_day + i))
        for i in range(n)
    )


def _search(client, q: str) -> dict:
    response = client.get(reverse(SEARCH), {"q": q})
    assert response.status_code == 200
    return response.json()


def test_the_search_needs_a_login(client):
    response = client.get(reverse(SEARCH), {"q": "spring"})
    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize("role", [Role.ANALYST, Role.COORDINATOR, Role.EXECUTIVE, Role.CONTRIBUTOR])
def test_a_role_that_may_not_write_posts_may_not_search_their_content_items(client_as, workspace, role):
    ContentItemFactory(workspace=workspace, title="Spring launch")
    assert client_as(role).get(reverse(SEARCH), {"q": "spring"}).status_code == 403


def test_the_search_finds_titles_holding_the_letters_whatever_their_case_in_the_workspace_only(
    client_as, workspace, other_workspace
):
    client = client_as(Role.COMMUNITY_MANAGER)
    launch = ContentItemFactory(workspace=workspace, title="Spring LAUNCH <b>")
    old = ContentItemFactory(
        workspace=workspace, title="Relaunch of 2024", due_date=timezone.localdate() - timedelta(days=700)
    )
    ContentItemFactory(workspace=workspace, title="Summer sale")
    ContentItemFactory(workspace=other_workspace, title="Their launch")
    found = _search(client, "  launch ")
    assert found["more"] is False
    assert [r["id"] for r in found["results"]] == [old.pk, launch.pk]  # by due date
    assert found["results"][1]["label"] == f"Spring LAUNCH <b> · due {launch.due_date:%d %b}"  # JSON: the page escapes
    assert _search(client, "autumn") == {"results": [], "more": False}


def test_the_search_answers_the_nearest_twenty_ahead_first_and_says_more_match(client_as, workspace):
    client = client_as(Role.CONTENT_LEAD)
    ahead = _items(workspace, CONTENT_ITEM_CHOICES + 5, title="Launch", start_day=1)
    _items(workspace, 3, title="Launch overdue", start_day=-30)
    found = _search(client, "launch")
    assert found["more"] is True
    assert [r["id"] for r in found["results"]] == [i.pk for i in ahead[:CONTENT_ITEM_CHOICES]]


def test_with_few_items_ahead_the_latest_overdue_fill_the_list(client_as, workspace):
    client = client_as(Role.CONTENT_LEAD)
    ahead = _items(workspace, 3, start_day=0)  # today on
    overdue = _items(workspace, 2 * CONTENT_ITEM_CHOICES, title="Overdue", start_day=-2 * CONTENT_ITEM_CHOICES)
    found = _search(client, "")
    latest = overdue[-(CONTENT_ITEM_CHOICES - 3) :]
    assert [r["id"] for r in found["results"]] == [i.pk for i in latest + ahead] and found["more"] is True


def test_the_search_reads_two_limited_walks_of_the_index_whatever_the_number_of_items(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    _items(workspace, 3 * CONTENT_ITEM_CHOICES, start_day=-CONTENT_ITEM_CHOICES)
    client.get(reverse(SEARCH), {"q": "item"})
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse(SEARCH), {"q": "item"})
    items_read = [q["sql"] for q in captured.captured_queries if 'FROM "calendar_app_contentitem"' in q["sql"]]
    assert len(items_read) in (1, 2)  # one UNION on PostgreSQL, two on SQLite
    assert "".join(items_read).count(f"LIMIT {CONTENT_ITEM_CHOICES + 1}") == 2


def test_the_composer_renders_the_nearest_items_and_accepts_one_it_did_not_render(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    account = OwnProfileFactory(workspace=workspace, platform="linkedin")
    _items(workspace, CONTENT_ITEM_CHOICES + 10)
    far = ContentItemFactory(workspace=workspace, title="Far away", due_date=timezone.localdate() + timedelta(days=900))
    page = client.get(reverse("calendar_app:composer")).content.decode()
    select = page.split('name="content_item"', 1)[1].split("</select>", 1)[0]
    assert select.count("<option") == CONTENT_ITEM_CHOICES + 1  # and the empty choice
    assert "Far away" not in page and f'data-search-url="{reverse(SEARCH)}"' in page
    assert "js/select_search.js" in page

    data = {"content_item": far.pk, "accounts": [account.pk], "copy": "Far, far away.", "scheduled_at": "", "media": ""}
    assert client.post(reverse("calendar_app:composer"), data).status_code == 302
    assert Publication.objects.get().content_item == far


def test_the_composer_refuses_another_workspaces_content_item(client_as, workspace, other_workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    account = OwnProfileFactory(workspace=workspace, platform="linkedin")
    theirs = ContentItemFactory(workspace=other_workspace, title="Their secret launch")
    data = {"content_item": theirs.pk, "accounts": [account.pk], "copy": "Ours.", "scheduled_at": "", "media": ""}
    response = client.post(reverse("calendar_app:composer"), data)
    assert response.status_code == 400 and not Publication.objects.exists()
    assert "Their secret launch" not in response.content.decode()


def test_the_publication_form_accepts_an_item_it_did_not_render_and_refuses_another_workspaces(
    client_as, workspace, other_workspace
):
    client = client_as(Role.COMMUNITY_MANAGER)
    account = OwnProfileFactory(workspace=workspace, platform="linkedin")
    _items(workspace, CONTENT_ITEM_CHOICES + 10)
    old = ContentItemFactory(
        workspace=workspace, title="Last year", due_date=timezone.localdate() - timedelta(days=400)
    )
    assert "Last year" not in client.get(reverse("calendar_app:publication_new")).content.decode()
    data = {"profile": account.pk, "copy": "From last year.", "scheduled_at": "2027-01-05T09:00", "media": ""}
    theirs = ContentItemFactory(workspace=other_workspace)
    refused = client.post(reverse("calendar_app:publication_new"), data | {"content_item": theirs.pk})
    assert refused.status_code == 200 and not Publication.objects.exists()
    assert client.post(reverse("calendar_app:publication_new"), data | {"content_item": old.pk}).status_code == 302
    assert Publication.objects.get().content_item == old


def _query_count(client, url) -> int:
    client.get(url)  # the first request after the login writes to the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_composer_runs_the_same_queries_with_a_few_or_many_content_items(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    OwnProfileFactory(workspace=workspace, platform="x")
    _items(workspace, 3, start_day=-1)
    few = _query_count(client, reverse("calendar_app:composer"))
    _items(workspace, 10 * CONTENT_ITEM_CHOICES, title="More", start_day=-5 * CONTENT_ITEM_CHOICES)
    OwnProfileFactory(workspace=workspace, platform="linkedin")
    many = _query_count(client, reverse("calendar_app:composer"))
    assert many == few
    html = client.get(reverse("calendar_app:composer")).content.decode()
    assert html.split('name="content_item"', 1)[1].split("</select>", 1)[0].count("<option") == CONTENT_ITEM_CHOICES + 1


def _publications(workspace, account, n: int) -> None:
    """n of each state the page treats apart: drafts, in review (their step), held and unknown (a decision)."""
    for status in ("draft", "in_review", "held", "unknown", "scheduled"):
        reason = "No answer from the network." if status == "unknown" else ""
        PublicationFactory.create_batch(n, workspace=workspace, profile=account, status=status, failure_reason=reason)


def test_the_publishing_month_runs_the_same_queries_with_a_few_or_many_publications(client_as, workspace):
    client = client_as(Role.ADMIN)
    _publications(workspace, OwnProfileFactory(workspace=workspace, platform="x"), 1)
    few = _query_count(client, reverse("calendar_app:publishing"))
    _publications(workspace, OwnProfileFactory(workspace=workspace, platform="instagram"), 12)
    _items(workspace, 40)
    many = _query_count(client, reverse("calendar_app:publishing"))
    assert many == few
