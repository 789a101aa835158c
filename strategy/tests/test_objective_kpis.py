from datetime import date

import pytest

from accounts.roles import Role
from strategy import services
from strategy.models import Objective
from strategy.selectors import kpi_readings

from .factories import own_profile, post, snapshot


@pytest.mark.django_db
def test_measured_kpis_read_the_brands_own_profiles_and_show_progress(workspace, make_member):
    lead = make_member(Role.STRATEGY_LEAD).user
    insta, x = own_profile(workspace, "instagram"), own_profile(workspace, "x")
    snapshot(insta, date(2026, 10, 31), 1500)
    snapshot(x, date(2026, 10, 31), 700)
    post(insta, date(2026, 10, 5), likes=30, followers=1000)  # 3 %
    post(insta, date(2026, 10, 6), likes=10, followers=1000)  # 1 %
    post(x, date(2026, 10, 7), likes=50, followers=1000)  # 5 %
    deadline = date(2027, 1, 1)
    for title, kpi, platform, baseline, target in [
        ("Instagram followers", "followers", "instagram", 1000, 2000),
        ("Engagement", "engagement_rate", "", 1, 5),
        ("Posting", "posts_per_week", "", 0, 7),
    ]:
        services.strategy_item_save(
            item=Objective(
                workspace=workspace,
                title=title,
                kpi=kpi,
                platform=platform,
                baseline=baseline,
                target=target,
                deadline=deadline,
            ),
            by=lead,
        )
    services.strategy_item_save(
        item=Objective(
            workspace=workspace,
            title="Shop visits",
            kpi="manual",
            kpi_label="visits",
            baseline=10,
            target=20,
            manual_value=15,
            deadline=deadline,
        ),
        by=lead,
    )

    readings = {
        r.objective.title: r for r in kpi_readings(workspace=workspace, start=date(2026, 10, 1), end=date(2026, 10, 31))
    }

    assert readings["Instagram followers"].value == 1500
    assert readings["Instagram followers"].progress_pct == 50.0
    assert readings["Engagement"].value == pytest.approx(3.0)  # the mean over the three posts
    assert readings["Engagement"].progress_pct == 50.0
    assert readings["Posting"].value == pytest.approx(3 * 7 / 31, abs=0.01)
    assert readings["Shop visits"].value == 15
    assert readings["Shop visits"].progress_pct == 50.0
