from datetime import date

import pytest

from accounts.roles import Role
from metrics.models import TrackedProfile
from strategy import services as strategy_services
from strategy.models import NetworkPlan, Objective
from strategy.tests.factories import own_profile, post, snapshot
from tests.workers import private_redis  # noqa: F401  (the fault tests' broker of their own)

OCTOBER = date(2026, 10, 1)


@pytest.fixture
def october_data(workspace, make_member):
    """A small known month: Instagram 1,000 -> 1,100 followers, X 500 -> 450, four posts, one competitor."""
    lead = make_member(Role.STRATEGY_LEAD).user
    insta, x = own_profile(workspace, "instagram"), own_profile(workspace, "x")
    rival = TrackedProfile.objects.create(workspace=workspace, platform="instagram", handle="rival", is_own=False)
    snapshot(insta, date(2026, 9, 30), 900)
    snapshot(insta, date(2026, 10, 1), 1000)
    snapshot(insta, date(2026, 10, 31), 1100)
    snapshot(x, date(2026, 10, 1), 500)
    snapshot(x, date(2026, 10, 31), 450)
    snapshot(rival, date(2026, 10, 31), 99999)
    post(insta, date(2026, 10, 3), likes=40, comments=5, shares=5, text="Best insta post")  # 50 / 1000 = 5 %
    post(insta, date(2026, 10, 20), likes=10, text="Quiet insta post")  # 1 %
    post(x, date(2026, 10, 9), likes=20, shares=10, followers=500, text="Good X post")  # 6 %
    post(x, date(2026, 9, 15), likes=400, followers=500, text="September post")  # outside the month
    post(rival, date(2026, 10, 9), likes=9000, text="Rival post")  # not the brand's
    strategy_services.strategy_item_save(
        item=Objective(
            workspace=workspace,
            title="Instagram reach",
            kpi="followers",
            platform="instagram",
            baseline=1000,
            target=2000,
            deadline=date(2027, 6, 30),
        ),
        by=lead,
    )
    strategy_services.strategy_item_save(
        item=NetworkPlan(workspace=workspace, platform="instagram", role="Show", target_posts_per_week=5), by=lead
    )
    return {"insta": insta, "x": x, "lead": lead}
