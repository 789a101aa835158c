"""Demo data through the real pull service, and the pull_metrics command."""

import pytest
import time_machine
from django.core.management import CommandError, call_command

from metrics import demo
from metrics.models import DailySnapshot, Post, PullRun, TrackedProfile

from .factories import TrackedProfileFactory

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-23 10:00Z", tick=False)
def test_demo_seed_gives_six_own_accounts_with_history_and_a_second_run_adds_nothing(workspace):
    demo.seed(workspace)
    counts = (
        TrackedProfile.objects.count(),
        DailySnapshot.objects.count(),
        Post.objects.count(),
        PullRun.objects.count(),
    )
    demo.seed(workspace)
    assert counts[0] == 6 and counts[1] == 6 * 400 and counts[2] > 400
    assert (
        TrackedProfile.objects.count(),
        DailySnapshot.objects.count(),
        Post.objects.count(),
        PullRun.objects.count(),
    ) == counts


@time_machine.travel("2026-11-23 10:00Z", tick=False)
def test_demo_seed_pulls_competitors_added_without_figures(workspace):
    demo.seed(workspace)
    rival = TrackedProfileFactory(workspace=workspace, handle="rival_brand", is_own=False)
    gone = TrackedProfileFactory(workspace=workspace, handle="gone_brand", is_own=False)
    assert demo.pull_unpulled_profiles(workspace) == 1
    assert DailySnapshot.objects.filter(profile=rival).exists()
    assert PullRun.objects.get(profile=gone).status == PullRun.Status.NOT_FOUND
    assert demo.pull_unpulled_profiles(workspace) == 0  # a second run adds nothing


@time_machine.travel("2026-11-23 10:00Z", tick=False)
def test_pull_metrics_pulls_one_profile_inline(workspace, capsys):
    profile = TrackedProfileFactory(workspace=workspace, handle="cmd_brand")
    other = TrackedProfileFactory(workspace=workspace)
    call_command("pull_metrics", "--profile", str(profile.pk), "--backfill")
    assert "rows written" in capsys.readouterr().out
    assert PullRun.objects.get(profile=profile).kind == PullRun.Kind.BACKFILL
    assert not PullRun.objects.filter(profile=other).exists()


def test_pull_metrics_reports_an_unknown_profile():
    with pytest.raises(CommandError, match="No tracked profile with id 999"):
        call_command("pull_metrics", "--profile", "999")


@time_machine.travel("2026-11-23 10:00Z", tick=False)
def test_pull_metrics_reports_a_failing_profile_and_goes_on(workspace, capsys):
    TrackedProfileFactory(workspace=workspace, handle="suspended")
    fine = TrackedProfileFactory(workspace=workspace, handle="fine_brand")
    call_command("pull_metrics")
    err = capsys.readouterr().err
    assert "not_found" in err
    assert PullRun.objects.filter(profile=fine, status=PullRun.Status.SUCCESS).exists()


@time_machine.travel("2026-11-23 10:00Z", tick=False)
def test_demo_linkedin_refuses_a_competitors_figures_as_the_real_platform_does(workspace):
    rival = TrackedProfileFactory(workspace=workspace, platform="linkedin", handle="rival", is_own=False)
    own = TrackedProfileFactory(workspace=workspace, platform="linkedin", handle="ours", is_own=True)

    demo.pull_unpulled_profiles(workspace)

    assert not DailySnapshot.objects.filter(profile=rival).exists()
    assert not rival.pull_runs.exists()  # never pulled: its row says why (metrics.platforms.NO_COMPETITOR_DATA)
    assert DailySnapshot.objects.filter(profile=own).exists()


def test_the_demo_draws_the_same_numbers_with_its_prefix_hashed_once():
    from datetime import date

    from metrics.connectors.demo import _unit, _units

    for prefix, last in [
        (("x", "acme", "jitter"), 7),
        (("instagram", "acme"), date(2026, 11, 2)),
        (("x", "a", "post"), 9),
    ]:
        assert _units(*prefix)(last) == _unit(*prefix, last)
    assert _units("x", "acme", "jitter")(7) != _units("x", "acme", "jitter")(8)


@time_machine.travel("2026-11-23 10:00Z", tick=False)
def test_the_demo_shows_a_connection_with_failed_days_and_nothing_to_fix_now(workspace, client_as):
    from accounts.roles import Role
    from metrics.models import PullRunDay

    demo.seed(workspace)
    instagram = TrackedProfile.objects.get(workspace=workspace, platform="instagram")
    assert PullRunDay.objects.filter(profile=instagram, failed__gt=0).count() == len(demo.PAST_FAILURES)
    page = client_as(Role.ADMIN).get("/metrics/connections/").content.decode()
    assert f'data-testid="failed-days-{instagram.pk}"' in page and "3 failed days" in page
    assert not TrackedProfile.objects.filter(workspace=workspace).with_connection_problems().exists()
