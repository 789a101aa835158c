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
    assert readings["Posting"].value == 0.7  # 3 posts in 31 days: 0.68 a week, to one decimal as every page shows it
    assert readings["Shop visits"].value == 15
    assert readings["Shop visits"].progress_pct == 50.0


def _objective(workspace, title, kpi, platform=""):
    return Objective.objects.create(
        workspace=workspace, title=title, kpi=kpi, platform=platform, baseline=0, target=10, deadline=date(2027, 1, 1)
    )


@pytest.mark.django_db
def test_kpis_without_data_read_no_value_and_a_quiet_network_reads_zero_posts(workspace):
    insta = own_profile(workspace, "instagram")
    own_profile(workspace, "x")
    snapshot(insta, date(2026, 9, 20), 800)  # the last known before the period's end
    post(insta, date(2026, 9, 30), likes=10)  # before the period
    _objective(workspace, "Instagram followers", "followers", "instagram")
    _objective(workspace, "TikTok followers", "followers", "tiktok")
    _objective(workspace, "X posting", "posts_per_week", "x")
    _objective(workspace, "TikTok posting", "posts_per_week", "tiktok")
    _objective(workspace, "Engagement", "engagement_rate")

    readings = {
        r.objective.title: r.value
        for r in kpi_readings(workspace=workspace, start=date(2026, 10, 1), end=date(2026, 10, 31))
    }

    assert readings == {
        "Instagram followers": 800,
        "TikTok followers": None,
        "X posting": 0,
        "TikTok posting": None,
        "Engagement": None,
    }


@pytest.mark.django_db
def test_kpi_readings_take_four_queries_whatever_the_number_of_profiles(workspace, django_assert_num_queries):
    for kpi in ("followers", "posts_per_week", "engagement_rate"):
        _objective(workspace, kpi, kpi)
    for n, platform in enumerate(["instagram", "x", "linkedin", "facebook"]):
        profile = own_profile(workspace, platform, handle=f"brand{n}")
        snapshot(profile, date(2026, 10, 31), 1000 + n)
        post(profile, date(2026, 10, 10), likes=n)

    # The objectives, the brand's figures per network (metrics.figures.network_parts: two), its networks: four.
    with django_assert_num_queries(4):
        readings = kpi_readings(workspace=workspace, start=date(2026, 10, 1), end=date(2026, 10, 31))

    assert [r.value for r in readings] == [4006, 0.9, pytest.approx(0.15)]
