"""A pull run adds itself to its day (PullRunDay) when it ends, in the transaction that saves its outcome: once,
whatever stopped it on the way (a killed worker, the reaper, a newer pull)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from metrics import services
from metrics.connectors.base import HandleNotFound
from metrics.connectors.demo import DemoConnector
from metrics.models import PullRun, PullRunDay
from metrics.refresh import heartbeat_stale_after
from metrics.services import pull_run, pull_runs_reap

from .factories import TrackedProfileFactory

pytestmark = pytest.mark.django_db
S = PullRun.Status
NOW = "2026-11-23 23:30Z"  # already the 24th in Paris: a run's day is its workspace's day
DEMO_FETCH_POSTS = DemoConnector.fetch_posts


def _days(profile) -> list:
    return [
        (d.date.isoformat(), d.runs, d.succeeded, d.failed, d.last_status, d.last_error_kind)
        for d in PullRunDay.objects.filter(profile=profile).order_by("date")
    ]


@pytest.fixture
def profile(workspace):
    workspace.time_zone = "Europe/Paris"
    workspace.save(update_fields=["time_zone"])
    return TrackedProfileFactory(workspace=workspace, handle="daily_brand")


@time_machine.travel(NOW, tick=False)
def test_a_pull_that_succeeds_counts_itself_in_its_local_day_with_its_success(profile):
    run = pull_run(profile=profile)
    assert run.status == S.SUCCESS and PullRun.objects.get(pk=run.pk).counted_in_day
    assert _days(profile) == [("2026-11-24", 1, 1, 0, S.SUCCESS, "")]


@time_machine.travel(NOW, tick=False)
def test_the_day_is_written_in_the_transaction_of_the_outcome(profile, monkeypatch):
    """Should the day's row not be written, the success is not either: the run stays open, to be resumed."""

    def refuses(**kwargs):
        raise RuntimeError("the day's row could not be written")

    monkeypatch.setattr(services, "pull_run_day_add", refuses)
    with pytest.raises(services.PullCrashed):
        pull_run(profile=profile)
    run = PullRun.objects.get(profile=profile)
    assert run.status == S.INTERRUPTED and not run.counted_in_day and run.finished_at is not None
    assert _days(profile) == []


@time_machine.travel(NOW, tick=False)
def test_a_permanent_failure_counts_a_failed_pull_and_tells_the_day(profile, monkeypatch):
    pull_run(profile=profile)

    def not_found(self, **kwargs):
        raise HandleNotFound("@daily_brand is suspended.")

    monkeypatch.setattr(DemoConnector, "fetch_profile", not_found)
    with pytest.raises(HandleNotFound):
        pull_run(profile=profile, kind=PullRun.Kind.MANUAL)
    assert _days(profile) == [("2026-11-24", 2, 1, 1, S.NOT_FOUND, "not_found")]


@time_machine.travel(NOW, tick=False)
def test_a_run_killed_before_it_ends_counts_nothing_until_a_later_attempt_ends_it(profile, monkeypatch):
    """Killed, the run is left running and counts nothing; the reaper leaves it open (abandoned), still counting
    nothing; the attempt that resumes it and ends it counts it, once, in the day it started."""
    monkeypatch.setattr(services, "PAGE_SIZE", 50)

    def killed_on_page_two(self, *, cursor=None, **kwargs):
        if cursor == "50":
            raise SystemExit("SIGKILL")  # not an Exception: nothing records it, as when the process dies
        return DEMO_FETCH_POSTS(self, cursor=cursor, **kwargs)

    monkeypatch.setattr(DemoConnector, "fetch_posts", killed_on_page_two)
    with pytest.raises(SystemExit):
        pull_run(profile=profile, backfill=True)
    run = PullRun.objects.get(profile=profile)
    assert (run.status, run.pages_done, run.counted_in_day) == (S.RUNNING, 1, False)
    assert _days(profile) == []

    with time_machine.travel(timezone.now() + heartbeat_stale_after() + timedelta(seconds=1), tick=False):
        assert pull_runs_reap() == 1
    assert PullRun.objects.get(pk=run.pk).status == S.ABANDONED
    assert _days(profile) == []

    monkeypatch.setattr(DemoConnector, "fetch_posts", DEMO_FETCH_POSTS)
    with time_machine.travel(timezone.now() + timedelta(hours=2), tick=False):  # resumed the next (local) day
        resumed = pull_run(profile=profile)
    assert resumed.pk == run.pk and resumed.status == S.SUCCESS
    assert _days(profile) == [("2026-11-24", 1, 1, 0, S.SUCCESS, "")]
    assert services.pull_runs_reap() == 0 and _days(profile) == [("2026-11-24", 1, 1, 0, S.SUCCESS, "")]


@time_machine.travel(NOW, tick=False)
def test_a_run_replaced_by_a_newer_pull_counts_as_a_failed_pull_once(profile):
    waiting = PullRun.objects.create(profile=profile, status=S.RATE_LIMITED, attempts=1)
    backfill = pull_run(profile=profile, backfill=True)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.error_kind, waiting.counted_in_day) == (S.FAILED, "superseded", True)
    assert backfill.status == S.SUCCESS
    # The failure tells the day, though the backfill ended later.
    assert _days(profile) == [("2026-11-24", 2, 1, 1, S.FAILED, "superseded")]


@time_machine.travel(NOW, tick=False)
def test_a_run_given_up_after_repeated_failures_counts_once_as_failed(profile, monkeypatch):
    monkeypatch.setattr(services, "PAGE_SIZE", 50)

    def crashes_on_page_two(self, *, cursor=None, **kwargs):
        if cursor == "50":
            raise RuntimeError("a bug on this page")
        return DEMO_FETCH_POSTS(self, cursor=cursor, **kwargs)

    monkeypatch.setattr(DemoConnector, "fetch_posts", crashes_on_page_two)
    for attempt in range(services.MAX_FAILURES_WITHOUT_PROGRESS):
        with pytest.raises(services.PullCrashed):
            pull_run(profile=profile, backfill=True)
        counted = [] if attempt < services.MAX_FAILURES_WITHOUT_PROGRESS - 1 else [1]
        assert [d[1] for d in _days(profile)] == counted  # open (interrupted) until given up
    assert _days(profile) == [("2026-11-24", 1, 0, 1, S.FAILED, "unexpected")]
