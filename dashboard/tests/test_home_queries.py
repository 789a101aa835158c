"""Each home runs as many queries for 3 competitors and 10 accounts
as for 1 competitor and 2 accounts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from competitors import services as competitors
from metrics.models import TrackedProfile
from metrics.services import pull_run
from metrics.tests.factories import TrackedProfileFactory

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


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.EXECUTIVE, Role.CONTRIBUTOR, Role.ANALYST])
def test_a_home_runs_the_same_queries_for_more_competitors_and_accounts(client_as, workspace, role):
    client = client_as(role)
    _grow(workspace, competitors_to=1, accounts_to=2)
    client.get("/")  # the first request also stores the chosen workspace in the session
    small = _queries(client)
    _grow(workspace, competitors_to=3, accounts_to=10)
    assert _queries(client) == small
