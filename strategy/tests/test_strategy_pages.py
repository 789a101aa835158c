from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from strategy import services
from strategy.models import AudienceSegment, BudgetLine, Objective

from .factories import own_profile, snapshot


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def _add(workspace, by, n):
    profile = own_profile(workspace, "instagram", handle=f"brand{n}")
    snapshot(profile, date.today(), 1000 + n)
    services.strategy_item_save(
        item=Objective(
            workspace=workspace,
            title=f"Objective {n}",
            kpi="followers",
            baseline=0,
            target=10,
            deadline=date(2027, 1, 1),
        ),
        by=by,
    )
    services.strategy_item_save(item=AudienceSegment(workspace=workspace, name=f"Segment {n}", networks=["x"]), by=by)
    services.strategy_item_save(item=BudgetLine(workspace=workspace, label=f"Line {n}", amount=10), by=by)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/strategy/", "/strategy/history/", "/"])
def test_strategy_pages_do_not_get_slower_with_more_objectives_and_revisions(client_as, workspace, path):
    client = client_as(Role.STRATEGY_LEAD)
    _add(workspace, client.membership.user, 0)
    client.get(path)
    few = _queries(client, path)
    for n in range(1, 8):
        _add(workspace, client.membership.user, n)
    assert _queries(client, path) == few


@pytest.mark.django_db
def test_an_executive_home_asks_for_the_charter_approval_until_it_is_given(client_as, workspace, make_member):
    lead = make_member(Role.STRATEGY_LEAD).user
    charter = services.charter_publish(workspace=workspace, by=lead, body="Be kind.")
    client = client_as(Role.EXECUTIVE)
    assert "Charter to approve" in client.get("/").content.decode()

    client.post(reverse("strategy:charter_approve", args=[charter.pk]))
    assert "Charter to approve" not in client.get("/").content.decode()
