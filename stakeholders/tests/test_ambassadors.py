from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from calendar_app.models import Publication
from calendar_app.tests.factories import OwnProfileFactory, PublicationFactory
from stakeholders import services
from stakeholders.models import Ambassador, ExampleText, Relay

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "full_name": "Robin Moreau",
    "email": "robin@company.test",
    "networks": ["linkedin", "instagram"],
    "handle_linkedin": "linkedin.com/in/robin",
    "handle_instagram": "",
    "relays_posts": "on",
}


def test_a_contributor_signs_up_as_an_ambassador_with_their_networks(client_as, workspace):
    client = client_as(Role.CONTRIBUTOR)

    response = client.post("/stakeholders/ambassadors/me/", SIGN_UP)

    assert response.status_code == 302
    ambassador = Ambassador.objects.get(workspace=workspace)
    assert ambassador.user == client.membership.user
    assert {(n.platform, n.handle) for n in ambassador.networks.all()} == {
        ("linkedin", "linkedin.com/in/robin"),
        ("instagram", ""),
    }


def test_signing_up_without_a_network_or_a_way_to_help_says_what_is_missing(client_as):
    client = client_as(Role.CONTRIBUTOR)

    response = client.post("/stakeholders/ambassadors/me/", {"full_name": "Robin"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in body
    assert "Tick at least one way you would like to help." in body
    assert not Ambassador.objects.exists()


def test_a_contributor_edits_only_their_own_profile(client_as, workspace, make_member):
    client = client_as(Role.CONTRIBUTOR)
    colleague = make_member(Role.CONTRIBUTOR).user
    theirs = services.ambassador_sign_up(
        workspace=workspace, user=colleague, full_name="Colleague", networks={"x": "@colleague"}
    )
    client.post("/stakeholders/ambassadors/me/", SIGN_UP)
    mine = Ambassador.objects.get(user=client.membership.user)

    response = client.post("/stakeholders/ambassadors/me/", SIGN_UP | {"full_name": "Robin M.", "networks": ["x"]})

    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.full_name == "Robin M."
    assert [n.platform for n in mine.networks.all()] == ["x"]
    assert theirs.full_name == "Colleague"
    assert client.get(f"/stakeholders/ambassadors/{theirs.pk}/edit/").status_code == 403
    assert client.post(f"/stakeholders/ambassadors/{theirs.pk}/edit/", SIGN_UP).status_code == 403


def test_a_contributor_sees_their_own_profile_but_not_the_list_of_ambassadors(client_as, workspace, make_member):
    client = client_as(Role.CONTRIBUTOR)
    colleague = make_member(Role.CONTRIBUTOR).user
    services.ambassador_sign_up(workspace=workspace, user=colleague, full_name="Colleague Person", networks={"x": ""})
    client.post("/stakeholders/ambassadors/me/", SIGN_UP)

    body = client.get("/stakeholders/ambassadors/").content.decode()

    assert "My ambassador profile" in body and "Robin Moreau" in body
    assert "Colleague Person" not in body
    assert "Who relays what" not in body


def test_the_team_sees_who_relays_what(client_as, workspace):
    services.ambassador_sign_up(
        workspace=workspace, user=None, full_name="Mehdi Ait", networks={"x": "@mehdi"}, helps_analytics=True
    )

    body = client_as(Role.ANALYST).get("/stakeholders/ambassadors/").content.decode()

    assert "Who relays what" in body
    assert "Mehdi Ait" in body and "@mehdi" in body and "analytics" in body


def test_an_ambassador_who_leaves_is_kept_but_paused(client_as, workspace):
    client = client_as(Role.CONTRIBUTOR)
    client.post("/stakeholders/ambassadors/me/", SIGN_UP)

    client.post("/stakeholders/ambassadors/me/leave/")

    assert Ambassador.objects.get().is_active is False


def test_example_texts_show_for_their_month_only_and_to_contributors_too(client_as, workspace):
    team = client_as(Role.CONTENT_LEAD)
    team.post(
        "/stakeholders/ambassadors/texts/new/?month=2026-12",
        {"title": "Trade fair", "text": "Come and see us at the fair!", "platform": "linkedin"},
    )
    assert ExampleText.objects.get().month == date(2026, 12, 1)

    contributor = client_as(Role.CONTRIBUTOR)
    december = contributor.get("/stakeholders/ambassadors/?month=2026-12").content.decode()
    november = contributor.get("/stakeholders/ambassadors/?month=2026-11").content.decode()

    assert "Come and see us at the fair!" in december
    assert "Come and see us at the fair!" not in november
    assert 'data-copy="example-text-' in december


def test_contributors_cannot_add_example_texts(client_as):
    response = client_as(Role.CONTRIBUTOR).post("/stakeholders/ambassadors/texts/new/", {"title": "t", "text": "x"})

    assert response.status_code == 403
    assert not ExampleText.objects.exists()


def _publication(workspace, profile, title: str, when: datetime, status, **fields):
    return PublicationFactory(
        workspace=workspace,
        profile=profile,
        content_item__title=title,
        copy=f"{title}: the copy to relay.",
        scheduled_at=when,
        status=status,
        **fields,
    )


def test_the_ambassadors_page_lists_the_months_publications_to_relay_and_the_ambassadors(client_as, workspace):
    linkedin = OwnProfileFactory(workspace=workspace, platform="linkedin", handle="acme")
    status = Publication.Status
    _publication(
        workspace, linkedin, "Our new product", datetime(2026, 12, 3, 9, tzinfo=UTC), status.PUBLISHED,
        permalink="https://example.test/p/1",
    )  # fmt: skip
    _publication(workspace, linkedin, "Winter sale", datetime(2026, 12, 10, 9, tzinfo=UTC), status.SCHEDULED)
    _publication(workspace, linkedin, "Still a draft", datetime(2026, 12, 12, 9, tzinfo=UTC), status.DRAFT)
    _publication(workspace, linkedin, "November news", datetime(2026, 11, 28, 9, tzinfo=UTC), status.PUBLISHED)
    services.ambassador_sign_up(workspace=workspace, user=None, full_name="Robin Moreau", networks={"linkedin": ""})
    services.ambassador_sign_up(workspace=workspace, user=None, full_name="Sam Diallo", networks={"x": "@sam"})

    response = client_as(Role.CONTENT_LEAD).get("/stakeholders/ambassadors/?month=2026-12")

    # The calendar owns the list and its partial (calendar_app/relay.py); this page passes the month through.
    assert [item["title"] for item in response.context["relay_items"]] == ["Our new product", "Winter sale"]
    assert "calendar_app/_relay_list.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert "Our new product: the copy to relay." in page and 'href="https://example.test/p/1"' in page
    assert "Winter sale: the copy to relay." in page and "Link once published" in page
    assert "Still a draft" not in page and "November news" not in page
    assert [a.full_name for a in response.context["ambassador_list"]] == ["Robin Moreau", "Sam Diallo"]
    assert "Robin Moreau" in page and "@sam" in page


def test_the_relay_partial_renders_each_publication_with_its_ready_to_copy_text():
    item = {
        "network": "linkedin",
        "network_label": "LinkedIn",
        "scheduled_at": "2026-12-03T09:00:00+01:00",
        "title": "Our new product",
        "copy": "Discover our new product!",
        "permalink": "https://example.test/p/1",
    }

    html = render_to_string("calendar_app/_relay_list.html", {"relay_items": [item]})

    assert "Our new product" in html and "Discover our new product!" in html


def test_the_ambassadors_page_costs_the_same_queries_for_2_or_20_ambassadors(client_as, workspace):
    client = client_as(Role.ADMIN)
    for n in range(2):
        services.ambassador_sign_up(
            workspace=workspace, user=None, full_name=f"A{n}", networks={"x": "", "linkedin": ""}
        )
    client.get("/stakeholders/ambassadors/")
    with CaptureQueriesContext(connection) as few:
        client.get("/stakeholders/ambassadors/")
    for n in range(18):
        services.ambassador_sign_up(
            workspace=workspace, user=None, full_name=f"B{n}", networks={"x": "", "facebook": ""}
        )
    with CaptureQueriesContext(connection) as many:
        client.get("/stakeholders/ambassadors/")

    assert len(many) == len(few)


def test_a_bad_month_in_the_address_falls_back_to_this_month(client_as):
    assert client_as(Role.ADMIN).get("/stakeholders/ambassadors/?month=2026-13").status_code == 200


def test_the_contributor_home_invites_them_to_become_an_ambassador(client_as):
    body = client_as(Role.CONTRIBUTOR).get("/").content.decode()

    assert "Become an ambassador" in body


@pytest.fixture
def december_text(workspace):
    return services.example_text_add(
        workspace=workspace, by=None, month=date(2026, 12, 1), title="Trade fair", text="Come and see us!"
    )


def test_an_ambassador_ticks_what_they_shared_and_the_team_sees_who_relayed_it(client_as, workspace, december_text):
    contributor = client_as(Role.CONTRIBUTOR)
    contributor.post("/stakeholders/ambassadors/me/", SIGN_UP)

    response = contributor.post(f"/stakeholders/ambassadors/texts/{december_text.pk}/relayed/")
    contributor.post(f"/stakeholders/ambassadors/texts/{december_text.pk}/relayed/")  # twice counts once

    assert response["Location"] == "/stakeholders/ambassadors/?month=2026-12"
    assert Relay.objects.get().ambassador.full_name == "Robin Moreau"
    assert 'data-testid="relayed"' in contributor.get("/stakeholders/ambassadors/?month=2026-12").content.decode()
    team = client_as(Role.ANALYST).get("/stakeholders/ambassadors/?month=2026-12")
    assert "Shared by Robin Moreau" in team.content.decode()
    assert [len(a.month_relays) for a in team.context["ambassador_list"]] == [1]


def test_an_ambassador_can_take_back_a_relay_ticked_by_mistake(client_as, december_text):
    client = client_as(Role.CONTRIBUTOR)
    client.post("/stakeholders/ambassadors/me/", SIGN_UP)
    client.post(f"/stakeholders/ambassadors/texts/{december_text.pk}/relayed/")

    client.post(f"/stakeholders/ambassadors/texts/{december_text.pk}/relayed/", {"undo": "1"})

    assert not Relay.objects.exists()


def test_someone_who_is_not_an_ambassador_is_asked_to_sign_up_before_ticking(client_as, december_text):
    response = client_as(Role.CONTRIBUTOR).post(f"/stakeholders/ambassadors/texts/{december_text.pk}/relayed/")

    assert response["Location"] == "/stakeholders/ambassadors/me/"
    assert not Relay.objects.exists()


def test_a_paused_ambassador_cannot_tick_a_relay(client_as, december_text):
    client = client_as(Role.CONTRIBUTOR)
    client.post("/stakeholders/ambassadors/me/", SIGN_UP)
    client.post("/stakeholders/ambassadors/me/leave/")

    response = client.post(f"/stakeholders/ambassadors/texts/{december_text.pk}/relayed/", follow=True)

    assert "Your ambassador profile is paused" in response.content.decode()
    assert not Relay.objects.exists()


def test_another_workspaces_example_text_cannot_be_ticked(client_as, other_workspace):
    theirs = services.example_text_add(
        workspace=other_workspace, by=None, month=date(2026, 12, 1), title="Secret", text="x"
    )
    client = client_as(Role.CONTRIBUTOR)
    client.post("/stakeholders/ambassadors/me/", SIGN_UP)

    assert client.post(f"/stakeholders/ambassadors/texts/{theirs.pk}/relayed/").status_code == 404
    assert not Relay.objects.exists()
