"""The demo data, the monthly report's section and the home panels."""

from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.demo import seed_people
from accounts.roles import Role
from competitors import demo, services
from competitors.models import Competitor, SwotItem, SwotVersion
from competitors.reporting import report_section
from competitors.tests.factories import TrackedProfileFactory, post, snapshot
from metrics.models import DailySnapshot, Post
from tests.homes import home_as_shown


@pytest.mark.django_db
def test_the_demo_has_three_competitors_with_history_and_a_filled_swot_and_a_second_run_adds_nothing():
    workspace = seed_people()
    demo.seed(workspace)
    counts = (Competitor.objects.count(), DailySnapshot.objects.count(), Post.objects.count(), SwotItem.objects.count())
    assert counts[0] == 3
    oldest = DailySnapshot.objects.order_by("date").first().date
    assert oldest <= timezone.localdate() - timedelta(days=365)
    assert counts[2] > 500
    assert SwotVersion.objects.count() == 2 and counts[3] >= 16

    demo.seed(workspace)

    assert (
        Competitor.objects.count(),
        DailySnapshot.objects.count(),
        Post.objects.count(),
        SwotItem.objects.count(),
    ) == counts


@pytest.fixture
def november(workspace):
    brand = TrackedProfileFactory(workspace=workspace, platform="x", handle="acme")
    rival = services.competitor_create(workspace=workspace, name="Rival", handles={"x": "rival"})
    theirs = rival.profile_links.get().profile
    snapshot(brand, date(2026, 11, 1), 1000)
    snapshot(theirs, date(2026, 11, 1), 4000)
    post(brand, "2026-11-05T10:00", likes=30, followers=1000)
    post(theirs, "2026-11-06T10:00", likes=20, followers=4000, text="Their best")
    post(theirs, "2026-11-07T10:00", likes=50, followers=4000)
    return rival


@pytest.mark.django_db
def test_the_report_section_is_plain_json_figures_of_the_benchmark(workspace, november):
    import json

    section = report_section(workspace=workspace, period_start=date(2026, 11, 1), period_end=date(2026, 11, 30))
    json.dumps(section)  # frozen into the report as it is
    assert section["share_of_posts_pct"] == 33.33  # 1 of 3, rounded by the one rule (common.numbers.as_percent)
    assert section["share_of_interactions_pct"] == pytest.approx(30.0)  # 30 of 100
    brand, rival = section["rows"]
    assert brand["engagement_rate_pct"] == pytest.approx(3.0) and rival["posts"] == 2
    assert section["best_posts"][0]["published_on"] == "2026-11-07"
    percents = [v for row in section["rows"] for k, v in row.items() if k.endswith("_pct") and v is not None]
    assert percents and all(v == round(v, 2) for v in percents)
    html = render_to_string("competitors/_report_section.html", {"section": section})
    assert "Rival" in html and "<script" not in html


@pytest.mark.django_db
def test_no_competitor_no_report_section(workspace):
    assert report_section(workspace=workspace, period_start=date(2026, 11, 1), period_end=date(2026, 11, 30)) is None


@pytest.mark.django_db
def test_the_team_and_executive_homes_show_the_competitors_panel(client_as, workspace, november, time_machine):
    time_machine.move_to("2026-11-20 12:00:00+00:00")
    team = home_as_shown(client_as(Role.CONTENT_LEAD))
    assert 'data-testid="competitors-panel"' in team and "Rival" in team
    executive = home_as_shown(client_as(Role.EXECUTIVE))
    assert 'data-testid="competitors-executive"' in executive
    assert "33 %</strong> of all posts" in executive
