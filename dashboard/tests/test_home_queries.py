"""Each home and its figures run as many queries for 3 competitors and 10 accounts as for 1 competitor and 2
accounts; the figures are read once, by the figures the home fetches, not by the page."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from competitors import services as competitors
from metrics.models import TrackedProfile
from metrics.services import pull_run
from metrics.tests.factories import TrackedProfileFactory
from strategy.models import Objective

pytestmark = pytest.mark.django_db


def _grow(workspace, *, competitors_to: int, accounts_to: int) -> None:
    """Competitors with two networks each and pulled own accounts, up to the given numbers."""
    have = workspace.competitors.count()
    for n in range(have, competitors_to):
        rival = competitors.competitor_create(
            workspace=workspace, name=f"Rival {n}", handles={"x": f"rival{n}", "instagram": f"rival{n}"}
        )
        for link in rival.profile_links.all():
            pull_run(profile=link.profile)
    have = TrackedProfile.objects.filter(workspace=workspace, is_own=True).count()
    for n in range(have, accounts_to):
        pull_run(profile=TrackedProfileFactory(workspace=workspace, is_own=True, handle=f"brand{n}"))


def _queries(client, url: str = "/") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


FIGURES = reverse("dashboard:figures")


@pytest.mark.parametrize("role", [Role.ADMIN, Role.EXECUTIVE, Role.CONTRIBUTOR, Role.ANALYST])
def test_a_home_runs_the_same_queries_for_more_competitors_and_accounts(client_as, workspace, role):
    client = client_as(role)
    _grow(workspace, competitors_to=1, accounts_to=2)
    client.get("/")  # the first request also stores the chosen workspace in the session
    small = _queries(client), _queries(client, FIGURES)
    _grow(workspace, competitors_to=3, accounts_to=10)
    assert (_queries(client), _queries(client, FIGURES)) == small


def _figure_reads(client, url: str) -> tuple[int, int]:
    """The queries that read the roll-ups: per profile (metrics.ProfileDay) and per entity and network."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    sqls = [q["sql"] for q in queries.captured_queries]
    return sum('"metrics_profileday"' in sql for sql in sqls), sum('"metrics_networkday"' in sql for sql in sqls)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.ANALYST, Role.EXECUTIVE])
def test_a_home_reads_the_figures_of_its_panels_once(client_as, workspace, role):
    """The competitors and objectives panels show the same 30 days of the same entities: one read of the roll-up
    per network (two queries) by the figures the home fetches, not one per panel, and the followers panel shows the
    brand's networks from that same read; the page itself reads none."""
    client = client_as(role)
    _grow(workspace, competitors_to=2, accounts_to=2)
    Objective.objects.create(
        workspace=workspace, title="Reach", kpi="followers", baseline=0, target=10, deadline=date(2027, 1, 1)
    )
    client.get("/")
    assert _figure_reads(client, "/") == (0, 0)
    assert _figure_reads(client, FIGURES) == (0, 2)


# The whole home and its figures, session and membership included: what each role's panels need, nothing more.
HOME_QUERIES = {Role.ADMIN: (15, 13), Role.ANALYST: (13, 13), Role.EXECUTIVE: (7, 9), Role.CONTRIBUTOR: (8, 4)}


@pytest.mark.parametrize("role", list(HOME_QUERIES))
def test_a_home_runs_only_the_queries_its_panels_need(client_as, workspace, role):
    client = client_as(role)
    _grow(workspace, competitors_to=2, accounts_to=2)
    client.get("/")
    assert (_queries(client), _queries(client, FIGURES)) == HOME_QUERIES[role]
