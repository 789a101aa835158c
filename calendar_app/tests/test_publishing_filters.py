"""The publishing calendar's filters (calendar_app/filters.py): one query string for the calendar's feed, the list
below it and the CSV export; the owner filter lists the team; nothing of another workspace comes through."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from accounts.roles import Role

from .factories import OwnProfileFactory, PublicationFactory

pytestmark = pytest.mark.django_db

WINDOW = {"start": "2026-12-01", "end": "2026-12-31"}
AT = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def posts(workspace, make_member):
    """Four posts that differ in one filter each from the first."""
    camille = make_member(Role.CONTENT_LEAD, full_name="Camille").user
    jordan = make_member(Role.COMMUNITY_MANAGER, full_name="Jordan").user
    instagram = OwnProfileFactory(workspace=workspace, platform="instagram", handle="acme")
    x = OwnProfileFactory(workspace=workspace, platform="x", handle="acme_news")
    return {
        "gram": PublicationFactory(
            workspace=workspace,
            profile=instagram,
            owner=camille,
            status="scheduled",
            scheduled_at=AT,
            content_item__title="Gram",
            content_item__pillar="Product stories",
        ),
        "tweet": PublicationFactory(
            workspace=workspace,
            profile=x,
            owner=camille,
            status="scheduled",
            scheduled_at=AT,
            content_item__title="Tweet",
            content_item__pillar="Product stories",
        ),
        "draft": PublicationFactory(
            workspace=workspace,
            profile=instagram,
            owner=camille,
            status="draft",
            scheduled_at=AT,
            content_item__title="Draft",
            content_item__pillar="Product stories",
        ),
        "jordans": PublicationFactory(
            workspace=workspace,
            profile=instagram,
            owner=jordan,
            status="scheduled",
            scheduled_at=AT,
            content_item__title="Jordan's",
            content_item__pillar="Behind the scenes",
        ),
        "profiles": (instagram, x),
        "owners": (camille, jordan),
    }


def _feed(client, **filters) -> set[str]:
    return {e["title"] for e in client.get(reverse("calendar_app:publishing_events"), WINDOW | filters).json()}


def test_each_filter_narrows_the_calendar_feed(client_as, posts):
    client = client_as(Role.ANALYST)
    instagram, _ = posts["profiles"]
    camille, jordan = posts["owners"]
    assert _feed(client) == {"Gram", "Tweet", "Draft", "Jordan's"}
    assert _feed(client, network="x") == {"Tweet"}
    assert _feed(client, account=str(instagram.pk)) == {"Gram", "Draft", "Jordan's"}
    assert _feed(client, status="draft") == {"Draft"}
    assert _feed(client, owner=str(jordan.pk)) == {"Jordan's"}
    assert _feed(client, pillar="behind the SCENES") == {"Jordan's"}  # any case
    assert _feed(client, account=str(instagram.pk), status="scheduled", owner=str(camille.pk)) == {"Gram"}
    # A value the workspace does not have is no filter; a value it has no post for selects nothing.
    assert _feed(client, network="myspace", status="lost", account="x1", owner="") == {
        "Gram",
        "Tweet",
        "Draft",
        "Jordan's",
    }
    assert _feed(client, pillar="Recipes") == set()


def test_the_chips_carry_the_status_colour_the_network_icon_and_the_account(client_as, posts):
    from calendar_app.selectors import PUBLICATION_COLOURS

    client = client_as(Role.ANALYST)
    events = {e["title"]: e for e in client.get(reverse("calendar_app:publishing_events"), WINDOW).json()}
    assert events["Gram"]["color"] == PUBLICATION_COLOURS["scheduled"] != PUBLICATION_COLOURS["draft"]
    assert events["Draft"]["color"] == PUBLICATION_COLOURS["draft"]
    assert events["Tweet"]["extendedProps"] == {
        "status": "Scheduled",
        "network": "X (Twitter)",
        "icon": "twitter-x",
        "account": "@acme_news",
    }


def test_another_workspace_account_or_owner_selects_nothing_of_theirs(client_as, workspace, other_workspace, posts):
    client = client_as(Role.ANALYST)
    theirs = PublicationFactory(workspace=other_workspace, scheduled_at=AT, content_item__title="Theirs")
    assert _feed(client, account=str(theirs.profile_id)) == set()
    page = client.get(reverse("calendar_app:publishing"), {"account": theirs.profile_id}).content.decode()
    assert "Theirs" not in page and f"@{theirs.profile.handle}" not in page


def test_the_page_list_and_csv_read_the_same_filters_and_keep_them_in_their_links(client_as, posts):
    client = client_as(Role.ANALYST)
    instagram, _ = posts["profiles"]
    query = {"account": str(instagram.pk), "status": "scheduled"}
    response = client.get(reverse("calendar_app:publishing"), query)
    page = response.content.decode()
    listed = [row["title"] for row in response.context["publications"]]
    assert sorted(listed) == ["Gram", "Jordan's"]
    kept = f"account={instagram.pk}&amp;status=scheduled"
    assert f'data-events="{reverse("calendar_app:publishing_events")}?{kept}"' in page
    assert f'href="{reverse("calendar_app:publishing_csv")}?{kept}"' in page
    assert f'<option value="{instagram.pk}" selected>@acme on Instagram</option>' in page
    assert '<option value="scheduled" selected>Scheduled</option>' in page
    rows = list(csv.reader(io.StringIO(client.get(reverse("calendar_app:publishing_csv"), query).content.decode())))
    assert sorted(row[4] for row in rows[1:]) == ["Gram", "Jordan's"]


def test_the_owner_filter_lists_the_team_not_every_contributor(client_as, workspace, make_member, posts):
    client = client_as(Role.ANALYST)
    contributor = make_member(Role.CONTRIBUTOR, full_name="Robin Contributor").user
    owners = dict(client.get(reverse("calendar_app:publishing")).context["owners"])
    assert {"Camille", "Jordan"} <= set(owners.values()) and contributor.pk not in owners
    # A member chosen in the address is listed even outside the team (a former team member's posts).
    chosen = dict(client.get(reverse("calendar_app:publishing"), {"owner": contributor.pk}).context["owners"])
    assert chosen[contributor.pk] == "Robin Contributor"


def test_the_calendar_opens_on_the_view_and_day_the_address_asks_for(client_as):
    client = client_as(Role.ANALYST)
    url = reverse("calendar_app:publishing")
    page = client.get(url, {"view": "timeGridDay", "date": "2026-12-10"}).content.decode()
    assert 'data-initial-view="timeGridDay"' in page and 'data-initial-date="2026-12-10"' in page
    assert 'name="view" value="timeGridDay"' in page  # the filter form keeps the place
    page = client.get(url, {"view": "<script>", "date": "soon"}).content.decode()
    assert "data-initial-view" not in page and "data-initial-date" not in page
