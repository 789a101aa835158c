"""The strategy's brand voice and network plan drive the calendar's checks."""

import pytest

from accounts.roles import Role
from calendar_app import services as calendar_services
from calendar_app.frequency import target_posts_per_week
from calendar_app.voice import copy_problems, words_to_avoid
from metrics.platforms import Platform
from strategy import services as strategy_services
from strategy.models import NetworkPlan


@pytest.mark.django_db
def test_words_to_avoid_are_the_brand_voices_one_list(workspace, make_member):
    author = make_member(Role.STRATEGY_LEAD).user
    strategy_services.strategy_update(
        workspace=workspace, by=author, summary="voice", words_to_avoid="cheap\nguaranteed"
    )

    assert words_to_avoid(workspace=workspace) == ["cheap", "guaranteed"]
    problems = copy_problems(workspace=workspace, platform=Platform.X, copy="Guaranteed results, never cheap")
    assert problems == ["Words the brand avoids: cheap, guaranteed."]


@pytest.mark.django_db
def test_the_network_plan_sets_the_posting_targets_and_the_calendar_fills_gaps(workspace, make_member):
    author = make_member(Role.STRATEGY_LEAD).user
    calendar_services.frequency_targets_set(workspace=workspace, targets={Platform.X: 5, Platform.LINKEDIN: 2})
    plan = NetworkPlan(workspace=workspace, platform=Platform.X, role="News and service", target_posts_per_week=10)
    strategy_services.strategy_item_save(item=plan, by=author)

    assert target_posts_per_week(workspace=workspace) == {Platform.X: 10, Platform.LINKEDIN: 2}
