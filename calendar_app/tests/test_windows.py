"""Pages that show a window read a window: their rows and their queries do not grow with the tables."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from calendar_app.models import Idea, IdeaComment, IdeaVote
from calendar_app.selectors import IDEAS_PAGE_SIZE

from .factories import ContentItemFactory, IdeaFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def _rows(html: str, testid: str) -> int:
    table = html.split(f'data-testid="{testid}"', 1)[1].split("</table>", 1)[0]
    return table.split("<tbody>", 1)[1].count("<tr>")


def _ideas(workspace, author, n: int, start: int = 0) -> None:
    ideas = Idea.objects.bulk_create(
        Idea(workspace=workspace, author=author, title=f"Idea {start + i:03}", description="d", status="new")
        for i in range(n)
    )
    # Created in one go: the same created_at, the newest has the highest id.
    IdeaVote.objects.bulk_create(IdeaVote(idea=idea, voter=author) for idea in ideas[::2])
    IdeaComment.objects.bulk_create(IdeaComment(idea=idea, author=author, body="+1") for idea in ideas[::3])


def test_the_ideas_page_shows_fifty_ideas_newest_first_and_says_which_page_of_how_many(client_as, workspace):
    client = client_as(Role.CONTENT_LEAD)
    _ideas(workspace, client.membership.user, 2 * IDEAS_PAGE_SIZE + 3)
    html = client.get(reverse("calendar_app:idea_list"), {"status": "new"}).content.decode()
    assert _rows(html, "idea-table") == IDEAS_PAGE_SIZE
    assert "Idea 102" in html and "Idea 052" not in html  # the newest first
    assert 'data-testid="pager-position">Page 1 of 3<' in html
    assert 'href="?status=new&amp;page=2"' in html and 'data-testid="pager-previous"' not in html

    last = client.get(reverse("calendar_app:idea_list"), {"status": "new", "page": 3}).content.decode()
    assert _rows(last, "idea-table") == 3 and "Idea 000" in last and "Idea 003" not in last
    assert 'data-testid="pager-position">Page 3 of 3<' in last and 'href="?status=new&amp;page=2"' in last
    # Out of range or not a number: the nearest page, never an error.
    assert "Page 3 of 3" in client.get(reverse("calendar_app:idea_list"), {"page": 99}).content.decode()
    assert "Page 1 of 3" in client.get(reverse("calendar_app:idea_list"), {"page": "x"}).content.decode()


def test_an_idea_row_counts_its_own_votes_and_comments(client_as, workspace):
    client = client_as(Role.CONTENT_LEAD)
    idea = IdeaFactory(workspace=workspace, author=client.membership.user, title="Counted")
    for _ in range(3):
        IdeaComment.objects.create(idea=idea, author=client.membership.user, body="yes")
    IdeaVote.objects.create(idea=idea, voter=client.membership.user)
    html = client.get(reverse("calendar_app:idea_list")).content.decode()
    row = html.split("Counted", 1)[1].split("</tr>", 1)[0]
    assert '<td class="text-end">1</td><td class="text-end">3</td>' in row


def _queries(client, url, params=None) -> list[str]:
    client.get(url, params or {})  # the first request after the login writes to the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_the_ideas_page_reads_one_page_whatever_the_number_of_ideas(client_as, workspace):
    client = client_as(Role.CONTENT_LEAD)
    _ideas(workspace, client.membership.user, 5)
    small = _queries(client, reverse("calendar_app:idea_list"))
    _ideas(workspace, client.membership.user, 3 * IDEAS_PAGE_SIZE, start=5)
    large = _queries(client, reverse("calendar_app:idea_list"))
    assert len(large) == len(small)
    ideas_read = [sql for sql in large if 'FROM "calendar_app_idea"' in sql and not sql.startswith("SELECT COUNT(*)")]
    assert ideas_read and all(f"LIMIT {IDEAS_PAGE_SIZE}" in sql for sql in ideas_read)
    # Vote and comment counts per row of the page, not a GROUP BY over every idea's votes and comments.
    assert not any("GROUP BY" in sql and "LIMIT" not in sql for sql in large)


def test_the_editorial_owner_filter_lists_the_owners_of_items_not_every_member(client_as, workspace, make_member):
    client = client_as(Role.CONTENT_LEAD)
    owner = make_member(Role.COMMUNITY_MANAGER, full_name="Olivia Owner").user
    for n in range(30):
        make_member(Role.CONTRIBUTOR, full_name=f"Bystander {n}")
    ContentItemFactory(workspace=workspace, owner=owner, due_date=timezone.localdate() + timedelta(days=2))
    html = client.get(reverse("calendar_app:editorial")).content.decode()
    options = html.split('aria-label="Owner"', 1)[1].split("</select>", 1)[0]
    assert "Olivia Owner" in options and "Bystander" not in options
    # A member picked by the address stays selected, even without items.
    chosen = client.membership.user
    html = client.get(reverse("calendar_app:editorial"), {"owner": chosen.pk}).content.decode()
    assert f'<option value="{chosen.pk}" selected>' in html


def test_the_editorial_page_runs_the_same_queries_with_a_few_or_many_members_ideas_and_items(
    client_as, workspace, make_member
):
    client = client_as(Role.CONTENT_LEAD)
    soon = timezone.localdate() + timedelta(days=2)
    ContentItemFactory(workspace=workspace, owner=client.membership.user, due_date=soon)
    small = _queries(client, reverse("calendar_app:editorial"))
    for _ in range(20):
        member = make_member(Role.CONTRIBUTOR).user
        item = ContentItemFactory(workspace=workspace, owner=member, due_date=soon)
        IdeaFactory(workspace=workspace, author=member, content_item=item)
    large = _queries(client, reverse("calendar_app:editorial"))
    assert len(large) == len(small)
    by_workspace = re.compile(r'"accounts_membership"\."workspace_id" = \d+')
    members_read = [sql for sql in large if by_workspace.search(sql) and "LIMIT" not in sql]
    assert not members_read, members_read
    # The "from an idea" mark: the ideas of the page's items, not an EXISTS answered by reading every idea.
    ideas_read = [sql for sql in large if '"calendar_app_idea"' in sql]
    assert ideas_read and all('"calendar_app_idea"."content_item_id" IN (' in sql for sql in ideas_read), ideas_read


def test_the_publishing_feed_titles_its_events_by_the_ids_of_the_window(client_as, workspace):
    client = client_as(Role.ANALYST)
    when = timezone.now().replace(hour=9, minute=0) + timedelta(days=1)
    for n in range(3):
        PublicationFactory(workspace=workspace, scheduled_at=when, content_item__title=f"Window {n}")
    for _ in range(20):  # outside the window
        PublicationFactory(workspace=workspace, scheduled_at=when + timedelta(days=200))
    day = timezone.localdate(when)
    params = {"start": (day - timedelta(days=3)).isoformat(), "end": (day + timedelta(days=3)).isoformat()}
    url = reverse("calendar_app:publishing_events")
    assert sorted(e["title"] for e in client.get(url, params).json()) == ["Window 0", "Window 1", "Window 2"]
    queries = _queries(client, url, params)
    items_read = [sql for sql in queries if '"calendar_app_contentitem"' in sql]
    # Probed on the primary key for the window's ids (= ANY(ARRAY(SELECT DISTINCT …))), never a join or a semi-join
    # that lets the planner read every content item.
    assert items_read and all('"calendar_app_contentitem"."id" = ANY(ARRAY(' in sql for sql in items_read), items_read
    assert not any('JOIN "calendar_app_contentitem"' in sql for sql in queries)
