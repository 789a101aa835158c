"""The team home's stakeholder nudge and its decisions: what they show, and to whom."""

import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from calendar_app.models import Publication
from calendar_app.tests.factories import PublicationFactory
from stakeholders.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def _nudge(page: str) -> str | None:
    found = re.search(r'data-testid="not-met-nudge">([^<]+)<', page)
    return found.group(1).strip() if found else None


def test_the_not_met_nudge_counts_the_directory_and_names_the_most_influential_first(client_as, workspace):
    for n in range(7):
        ContactFactory(workspace=workspace, full_name=f"Person {n}", influence=1 + n % 3, interest=2, is_met=False)
    ContactFactory.create_batch(2, workspace=workspace, is_met=True)
    page = client_as(Role.ANALYST).get("/").content.decode()
    assert _nudge(page) == "7 of 9 contacts not met yet. Start with:"
    names = re.findall(r'<a href="/stakeholders/contacts/\d+/">(Person \d)</a>', page)
    assert names == ["Person 2", "Person 5", "Person 1", "Person 4", "Person 0"]


def test_the_nudge_tells_all_met_from_an_empty_directory(client_as, workspace):
    client = client_as(Role.ADMIN)
    assert "List the people you need to meet" in client.get("/").content.decode()
    ContactFactory(workspace=workspace, is_met=True)
    page = client.get("/").content.decode()
    assert "You have met everyone in the directory." in page and _nudge(page) is None


def test_held_posts_ask_for_a_decision_of_those_who_may_publish_only(client_as, workspace):
    PublicationFactory(workspace=workspace, status=Publication.Status.HELD, content_item__title="Paused launch post")
    for role, asked in ((Role.ADMIN, True), (Role.COMMUNITY_MANAGER, True), (Role.ANALYST, False)):
        page = client_as(role).get("/").content.decode()
        assert ('data-testid="home-decisions"' in page and "Paused launch post" in page) is asked, role


def test_only_the_homes_with_figures_fetch_them_and_no_one_else_gets_any(client_as, client):
    figures = reverse("dashboard:figures")
    team = client_as(Role.ANALYST)
    assert f'data-fragment="{figures}"' in team.get("/").content.decode()
    assert "Followers, last 30 days" not in team.get("/").content.decode()  # not in the page: fetched
    assert "Followers, last 30 days" in team.get(figures).content.decode()
    contributor = client_as(Role.CONTRIBUTOR)
    assert "data-fragment=" not in contributor.get("/").content.decode()
    assert contributor.get(figures).content.decode().strip() == ""
    client.logout()
    assert client.get(figures)["Location"].startswith(reverse("accounts:login"))
