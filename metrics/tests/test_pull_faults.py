"""Pulls that survive faults made for real: a worker killed with SIGKILL mid-backfill, two pulls racing for one
profile, a worker presumed dead that wakes up; and the reaper that closes what a dead worker left running."""

import html
import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from metrics import services
from metrics.connectors.demo import DemoConnector
from metrics.models import Post, PullRun, PullRunDay
from metrics.refresh import heartbeat_stale_after
from metrics.services import pull_run, pull_runs_reap
from metrics.tasks import pull_due_profiles, reap_abandoned_pulls
from tests.markers import requires_postgres, requires_redis
from tests.workers import client_app, kill_worker, private_redis, start_worker, wait_for  # noqa: F401

from .factories import TrackedProfileFactory

DEMO_FETCH_POSTS = DemoConnector.fetch_posts
DEMO_FETCH_PROFILE = DemoConnector.fetch_profile
NOW = "2026-11-23 10:00Z"


def _spy_on_cursors(monkeypatch) -> list:
    """Record the cursors the demo platform is asked for (it still answers as itself)."""
    asked = []

    def fetch_posts(self, *, cursor=None, **kwargs):
        asked.append(cursor)
        return DEMO_FETCH_POSTS(self, cursor=cursor, **kwargs)

    monkeypatch.setattr(DemoConnector, "fetch_posts", fetch_posts)
    return asked


def _platform_count(handle: str) -> int:
    return DemoConnector("x").fetch_profile(handle=handle).posts_count


@pytest.mark.fault
@requires_postgres
def test_a_backfill_killed_with_sigkill_is_reaped_and_resumed_from_its_cursor_with_every_post_once(
    transactional_db,
    workspace,
    private_redis,  # noqa: F811
    monkeypatch,
):
    # A history of several pages of 100 (the demo platform posts 2 to 9 times a week for three years).
    handle = max(["sigkill_a", "sigkill_b", "sigkill_c", "sigkill_d", "sigkill_e"], key=_platform_count)
    expected = _platform_count(handle)
    assert expected > 800
    profile = TrackedProfileFactory(workspace=workspace, handle=handle)
    worker = start_worker(private_redis.url, DEMO_PLATFORM_LATENCY=0.2)  # a real platform's pace per call
    try:
        client_app(private_redis.url).send_task(
            "metrics.tasks.pull_profile", args=[profile.pk, PullRun.Kind.BACKFILL, True]
        )
        wait_for(
            lambda: PullRun.objects.filter(profile=profile, pages_done__gte=2).exists(),
            timeout=90,
            what="the backfill's second page",
        )
    finally:
        output = kill_worker(worker)
    run = PullRun.objects.get(profile=profile)
    assert run.status == PullRun.Status.RUNNING, output  # the dead worker left it so
    kept, cursor = Post.objects.filter(profile=profile).count(), run.cursor
    assert kept == run.posts_done == 100 * run.pages_done < expected and cursor
    assert not PullRunDay.objects.filter(profile=profile).exists() and not run.counted_in_day  # not ended: uncounted

    # Nothing happens while the heartbeat is recent; once it is older than the threshold, the reaper's beat closes it.
    assert reap_abandoned_pulls.delay().get() == 0
    with time_machine.travel(run.last_sign_of_life + heartbeat_stale_after() + timedelta(seconds=1), tick=True):
        assert reap_abandoned_pulls.delay().get() == 1
        assert not PullRun.objects.filter(status=PullRun.Status.RUNNING).exists()
        run.refresh_from_db()
        assert run.status == PullRun.Status.ABANDONED
        assert run.error_message == (
            f"The worker stopped after {run.pages_done} of {-(-expected // 100)} pages; "
            "the next pull resumes from there."
        )
        # The profile is due: the next beat fan-out resumes the run from its cursor.
        asked = _spy_on_cursors(monkeypatch)
        # The demo platform keeps posting: minutes later (past the reaper's threshold) it may have a post more. A newer
        # post is the next pull's (the backfill resumes from its cursor, older posts), but it shifts the demo's
        # offset pages by one, so the resumed page re-reads the post at the boundary: counted, stored once.
        newer = _platform_count(handle) - expected
        assert pull_due_profiles.delay().get() == 1
    assert asked[0] == cursor and None not in asked
    run.refresh_from_db()
    assert (run.status, run.attempts, run.posts_done) == (PullRun.Status.SUCCESS, 2, expected + newer)
    assert PullRun.objects.filter(profile=profile).count() == 1
    posts = Post.objects.filter(profile=profile)
    assert posts.count() == posts.values("external_id").distinct().count() == expected
    # The killed, reaped and resumed run is one pull in its day, counted once, by the attempt that ended it.
    day = PullRunDay.objects.get(profile=profile)
    assert (day.runs, day.succeeded, day.failed) == (1, 1, 0)


@pytest.mark.fault
@requires_postgres
def test_two_pulls_racing_for_one_profile_ask_the_platform_once(transactional_db, workspace, settings, monkeypatch):
    settings.DEMO_PLATFORM_LATENCY = 0.02
    profile = TrackedProfileFactory(workspace=workspace, handle="race_brand")
    calls = []

    def fetch_profile(self, **kwargs):
        calls.append(kwargs["handle"])
        return DEMO_FETCH_PROFILE(self, **kwargs)

    monkeypatch.setattr(DemoConnector, "fetch_profile", fetch_profile)
    start = threading.Barrier(2)
    runs = []

    def pull():
        try:
            start.wait()
            runs.append(pull_run(profile=type(profile).objects.get(pk=profile.pk), backfill=True).pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=pull) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(calls) == 1  # one of the two found the other's run live and left it alone
    assert len(runs) == 2 and len(set(runs)) == 1
    run = PullRun.objects.get(profile=profile)
    assert (run.status, run.attempts) == (PullRun.Status.SUCCESS, 1)
    assert Post.objects.filter(profile=profile).count() == _platform_count("race_brand")


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_worker_presumed_dead_that_wakes_up_writes_nothing_over_the_run(workspace, monkeypatch):
    monkeypatch.setattr(services, "PAGE_SIZE", 50)
    profile = TrackedProfileFactory(workspace=workspace, handle="zombie_brand")

    def stalls_on_page_three(self, *, cursor=None, **kwargs):
        if cursor == "100":
            # The worker hangs here long enough for the reaper to give it up.
            with time_machine.travel(timezone.now() + heartbeat_stale_after() + timedelta(seconds=1), tick=False):
                assert pull_runs_reap() == 1
        return DEMO_FETCH_POSTS(self, cursor=cursor, **kwargs)

    monkeypatch.setattr(DemoConnector, "fetch_posts", stalls_on_page_three)
    woken = pull_run(profile=profile, backfill=True)  # wakes up with page 3 in hand
    assert woken.status == PullRun.Status.ABANDONED
    run = PullRun.objects.get(profile=profile)
    assert (run.status, run.pages_done, run.cursor) == (PullRun.Status.ABANDONED, 2, "100")
    assert Post.objects.filter(profile=profile).count() == 100  # its page 3 was not written

    asked = _spy_on_cursors(monkeypatch)
    resumed = pull_run(profile=profile)
    assert asked[0] == "100" and resumed.pk == run.pk and resumed.status == PullRun.Status.SUCCESS
    assert Post.objects.filter(profile=profile).count() == _platform_count("zombie_brand")


@pytest.fixture
def quiet_runs(workspace):
    """Running runs whose last heartbeat was 119 s, 121 s and 150 s ago, one never beat (started 200 s ago), and a
    rate-limited run waiting for its reset."""
    now = timezone.now()
    runs = {}
    for name, quiet in [("119 s", 119), ("121 s", 121), ("150 s", 150)]:
        profile = TrackedProfileFactory(workspace=workspace, handle=f"quiet_{quiet}")
        runs[name] = PullRun.objects.create(
            profile=profile, kind=PullRun.Kind.BACKFILL, heartbeat_at=now - timedelta(seconds=quiet), attempts=1
        )
    silent = PullRun.objects.create(profile=TrackedProfileFactory(workspace=workspace, handle="never_beat"))
    PullRun.objects.filter(pk=silent.pk).update(started_at=now - timedelta(seconds=200))
    runs["never"] = silent
    runs["waiting"] = PullRun.objects.create(
        profile=TrackedProfileFactory(workspace=workspace, handle="waiting"),
        status=PullRun.Status.RATE_LIMITED,
        heartbeat_at=now - timedelta(hours=2),
    )
    return runs


def _statuses(runs) -> dict:
    return {name: PullRun.objects.get(pk=run.pk).status for name, run in runs.items()}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("http_timeout", "reaped"),
    [
        (15.0, {"121 s", "150 s", "never"}),  # 4 x 15 s + 60 s = 120 s without a heartbeat
        (30.0, {"never"}),  # 4 x 30 s + 60 s = 180 s
    ],
)
def test_the_reaper_closes_runs_quiet_for_longer_than_the_http_timeout_allows(
    settings, quiet_runs, http_timeout, reaped
):
    settings.PLATFORM_HTTP_TIMEOUT = http_timeout
    assert pull_runs_reap() == len(reaped)
    statuses = _statuses(quiet_runs)
    assert {name for name, status in statuses.items() if status == PullRun.Status.ABANDONED} == reaped
    assert statuses["waiting"] == PullRun.Status.RATE_LIMITED
    assert pull_runs_reap() == 0  # closed once


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_reaped_backfill_stops_showing_as_running_and_says_where_it_stopped(client_as, workspace):
    profile = TrackedProfileFactory(workspace=workspace, handle="stopped_brand")
    run = PullRun.objects.create(
        profile=profile,
        kind=PullRun.Kind.BACKFILL,
        posts_done=900,
        posts_expected=1252,
        pages_done=9,
        cursor="900",
        attempts=1,
        heartbeat_at=timezone.now() - timedelta(minutes=10),
    )
    client = client_as(Role.ADMIN)
    before = html.unescape(client.get(reverse("metrics:connections")).content.decode())
    assert "backfill-progress" not in before  # its worker went quiet: not shown as progress even before the reaper

    assert pull_runs_reap() == 1
    run.refresh_from_db()
    assert run.status == PullRun.Status.ABANDONED
    profile.refresh_from_db()
    assert profile.next_pull_at == timezone.now() and profile.last_error_kind == "abandoned"
    content = html.unescape(client.get(reverse("metrics:connections")).content.decode())
    assert "backfill-progress" not in content and 'http-equiv="refresh"' not in content
    assert "Backfill stopped" in content and "after 900 of 1,252 posts (9 pages)" in content
    assert "The worker stopped after 9 of 13 pages; the next pull resumes from there." in content
    backfill_button = content.split(reverse("metrics:backfill", args=[profile.pk]))[1].split("</form>")[0]
    assert "Resume backfill" in backfill_button and "disabled" not in backfill_button


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_run_given_up_after_repeated_failures_without_progress_starts_over(workspace, monkeypatch):
    monkeypatch.setattr(services, "PAGE_SIZE", 50)
    profile = TrackedProfileFactory(workspace=workspace, handle="stuck_brand")

    def crashes_on_page_two(self, *, cursor=None, **kwargs):
        if cursor == "50":
            raise RuntimeError("a bug on this page")
        return DEMO_FETCH_POSTS(self, cursor=cursor, **kwargs)

    monkeypatch.setattr(DemoConnector, "fetch_posts", crashes_on_page_two)
    for _ in range(services.MAX_FAILURES_WITHOUT_PROGRESS):
        with pytest.raises(services.PullCrashed):
            pull_run(profile=profile, backfill=True)
    run = PullRun.objects.get(profile=profile)
    assert (run.status, run.failures) == (PullRun.Status.FAILED, services.MAX_FAILURES_WITHOUT_PROGRESS)
    assert run.error_message.startswith("Given up after 5 attempts in a row without a new page")

    asked = _spy_on_cursors(monkeypatch)
    fresh = pull_run(profile=profile, backfill=True)
    assert fresh.pk != run.pk and asked[0] is None and fresh.status == PullRun.Status.SUCCESS


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_run_whose_worker_died_once_too_often_is_given_up_when_the_next_pull_finds_it(workspace, monkeypatch):
    profile = TrackedProfileFactory(workspace=workspace, handle="killed_often")
    run = PullRun.objects.create(
        profile=profile,
        kind=PullRun.Kind.BACKFILL,
        cursor="300",
        pages_done=3,
        attempts=4,
        failures=services.MAX_FAILURES_WITHOUT_PROGRESS - 1,
        heartbeat_at=timezone.now() - timedelta(hours=1),  # dead, and the reaper has not passed yet
    )
    asked = _spy_on_cursors(monkeypatch)
    fresh = pull_run(profile=profile, backfill=True)
    run.refresh_from_db()
    assert run.status == PullRun.Status.FAILED and run.error_message.startswith("Given up after 5 attempts")
    assert fresh.pk != run.pk and asked[0] is None and fresh.status == PullRun.Status.SUCCESS


@requires_redis
def test_the_reaper_is_a_registered_task():
    from smm.celery import app

    app.loader.import_default_modules()
    assert "metrics.tasks.reap_abandoned_pulls" in app.tasks
