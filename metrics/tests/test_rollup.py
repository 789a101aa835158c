"""The daily roll-up: written by the pull from the raw rows, rebuilt the same by the command, by local days."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from metrics.connectors.base import PostData, PostsPage
from metrics.models import DailySnapshot, Post, ProfileDay, PullRun
from metrics.rollup import rollup_days, rollup_posts, rollup_snapshots
from metrics.services import _commit_page, pull_run, upsert_posts, upsert_snapshots

from .factories import TrackedProfileFactory

pytestmark = pytest.mark.django_db
FIELDS = ["profile_id", "date", "followers", "follower_change", "posts", "interactions", "impressions"]
FIELDS += ["rated_posts", "rate_sum", "viewed_posts", "view_rate_sum"]


def _days(**filters):
    return [
        tuple(round(v, 12) if isinstance(v, float) else v for v in row)
        for row in ProfileDay.objects.filter(**filters).order_by("profile_id", "date").values_list(*FIELDS)
    ]


def _post(external_id, when, likes, views=None):
    return PostData(external_id=external_id, published_at=when, text="", likes=likes, comments=0, shares=0, views=views)


def test_a_backfill_writes_the_roll_up_that_a_rebuild_writes_again(workspace):
    profile = TrackedProfileFactory(workspace=workspace)
    pull_run(profile=profile, backfill=True)
    written = _days(profile=profile)
    assert len(written) >= 300  # the demo platform's ~400 days of history
    assert sum(day[4] for day in written) == Post.objects.filter(profile=profile).count()
    assert written[0][3] == 0  # the first known count has no change

    call_command("rollup_rebuild", profile=profile.pk, verbosity=0)
    assert _days(profile=profile) == written


def test_the_rebuild_is_idempotent_and_repairs_a_wrong_roll_up(workspace):
    profiles = [TrackedProfileFactory(workspace=workspace) for _ in range(2)]
    for profile in profiles:
        pull_run(profile=profile, backfill=True)
    right = _days()
    ProfileDay.objects.filter(profile=profiles[0]).update(posts=999, followers=1)
    ProfileDay.objects.create(profile=profiles[1], date=date(2001, 1, 1), posts=5)  # a day with no raw rows

    call_command("rollup_rebuild", workspace=workspace.pk, verbosity=0)
    assert _days() == right
    ids = list(ProfileDay.objects.order_by("pk").values_list("pk", flat=True))
    call_command("rollup_rebuild", verbosity=0)
    assert _days() == right
    assert list(ProfileDay.objects.order_by("pk").values_list("pk", flat=True)) == ids  # nothing rewritten as new


def test_a_refreshed_post_replaces_its_figures_in_its_day(workspace):
    profile = TrackedProfileFactory(workspace=workspace)
    when = datetime(2026, 11, 10, 9, tzinfo=UTC)
    day = date(2026, 11, 10)

    def pull(likes):
        upsert_posts(profile=profile, posts=[_post("a", when, likes, views=400)], followers_on=lambda d: 1000, now=when)
        rollup_days(profile, [day])

    pull(10)
    pull(30)  # the same post, refreshed: its day counts it once, with its new figures
    (row,) = ProfileDay.objects.filter(profile=profile)
    assert (row.posts, row.interactions, row.impressions, row.rated_posts) == (1, 30, 400, 1)
    assert row.rate_sum == pytest.approx(0.03) and row.view_rate_sum == pytest.approx(30 / 400)


def test_a_changed_count_moves_the_next_known_days_change(workspace):
    profile = TrackedProfileFactory(workspace=workspace)
    days = [date(2026, 11, 1), date(2026, 11, 3), date(2026, 11, 6)]
    upsert_snapshots(
        [DailySnapshot(profile=profile, date=d, followers=f) for d, f in zip(days, (100, 110, 130), strict=True)]
    )
    rollup_days(profile, days)
    assert list(ProfileDay.objects.order_by("date").values_list("follower_change", flat=True)) == [0, 10, 20]

    upsert_snapshots([DailySnapshot(profile=profile, date=days[1], followers=150)])
    rollup_days(profile, [days[1]])  # the pull recomputes the day it wrote; the next known day follows
    assert list(ProfileDay.objects.order_by("date").values_list("follower_change", flat=True)) == [0, 50, -20]


def test_a_post_counts_on_the_workspaces_local_day(workspace):
    profile = TrackedProfileFactory(workspace=workspace)  # Europe/Paris
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # 00:30 on 1 December in Paris
    upsert_posts(profile=profile, posts=[_post("late", late, 5)], followers_on=lambda d: 1000, now=late)
    rollup_days(profile, [date(2026, 12, 1)])
    assert list(ProfileDay.objects.values_list("date", "posts")) == [(date(2026, 12, 1), 1)]
    rollup_days(profile, [late.date()])  # 30 November has nothing: no row
    assert not ProfileDay.objects.filter(date=late.date()).exists()


def test_a_pull_rolls_up_the_days_of_its_pages(workspace):
    profile = TrackedProfileFactory(workspace=workspace)
    pull_run(profile=profile)
    posts = Post.objects.filter(profile=profile).count()
    assert posts and sum(ProfileDay.objects.filter(profile=profile).values_list("posts", flat=True)) == posts
    assert ProfileDay.objects.filter(profile=profile, followers__isnull=False).exists()


def test_seed_demo_leaves_every_profile_rolled_up():
    from django.db.models import Sum

    call_command("seed_demo", verbosity=0)
    posts = Post.objects.count()
    assert posts and ProfileDay.objects.aggregate(n=Sum("posts"))["n"] == posts  # competitors' demo posts too
    assert ProfileDay.objects.values("profile").distinct().count() >= 6
    before = _days()
    call_command("rollup_rebuild", verbosity=0)
    assert _days() == before  # the seed left exactly what the raw rows give


def _rollup_statements(queries) -> list[str]:
    """The roll-up's statements among a transaction's: its reads of posts by day and of snapshots, its writes."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if '"metrics_profileday"' in q["sql"]
        or ("GROUP BY" in q["sql"] and '"metrics_post"' in q["sql"])
        or q["sql"].startswith('SELECT "metrics_dailysnapshot"')
    ]


def test_a_pull_page_runs_two_roll_up_statements_whatever_the_days_it_touches(workspace):
    profile = TrackedProfileFactory(workspace=workspace)
    upsert_snapshots([DailySnapshot(profile=profile, date=date(2026, 11, 30), followers=100)])  # a later known day
    rollup_days(profile, [date(2026, 11, 30)])
    run = PullRun.objects.create(profile=profile)
    counts = []
    for page, days in enumerate((1, 60)):
        first = datetime(2026, 3 + 4 * page, 1, 9, tzinfo=UTC)
        posts = [_post(f"{page}-{n}", first + timedelta(days=n), n) for n in range(days)]
        with CaptureQueriesContext(connection) as queries:
            _commit_page(
                profile=profile,
                run=run,
                page=PostsPage(posts=posts, next_cursor=f"after-{page}"),
                followers_on=lambda day: 100,
                now=first,
            )
        counts.append(len(_rollup_statements(queries)))
    # One grouped aggregate over the page's days, one upsert of their rows, one sum of their network's same days and
    # one of its hours from the posts (the other statements: metrics/tests/test_network_days.py, test_network_hours.py).
    assert counts == [4, 4]
    assert ProfileDay.objects.filter(profile=profile).count() == 62
    written = _days(profile=profile)
    call_command("rollup_rebuild", profile=profile.pk, verbosity=0)
    assert _days(profile=profile) == written


def test_the_snapshot_step_runs_two_roll_up_statements_for_a_day_or_a_backfills_400(workspace):
    counts = []
    for days in (1, 400):
        profile = TrackedProfileFactory(workspace=workspace)
        today = date(2026, 11, 30)
        snapshots = [
            DailySnapshot(profile=profile, date=today - timedelta(days=n), followers=1000 - n) for n in range(days)
        ]
        with CaptureQueriesContext(connection) as queries:
            upsert_snapshots(snapshots)
            rollup_snapshots(profile, [s.date for s in snapshots])
        counts.append(len(_rollup_statements(queries)))
        written = _days(profile=profile)
        assert len(written) == days
        call_command("rollup_rebuild", profile=profile.pk, verbosity=0)
        assert _days(profile=profile) == written
    assert counts == [3, 3]  # one read of the snapshots, one upsert of the days, one sum of their network's days


def test_each_half_of_a_day_keeps_the_other(workspace):
    """A page rewrites a day's post figures and keeps its followers; a snapshot keeps its posts."""
    profile = TrackedProfileFactory(workspace=workspace)
    when = datetime(2026, 11, 10, 9, tzinfo=UTC)
    days = [date(2026, 11, 9), date(2026, 11, 10), date(2026, 11, 12)]
    upsert_snapshots(
        [DailySnapshot(profile=profile, date=d, followers=f) for d, f in zip(days, (90, 100, 130), strict=True)]
    )
    rollup_snapshots(profile, days)
    upsert_posts(profile=profile, posts=[_post("a", when, 10, views=200)], followers_on=lambda d: 100, now=when)
    rollup_posts(profile, [when])
    upsert_snapshots([DailySnapshot(profile=profile, date=days[1], followers=120)])
    rollup_snapshots(profile, [days[1]])  # its change, and the next known day's
    upsert_posts(profile=profile, posts=[_post("b", when, 5)], followers_on=lambda d: 100, now=when)
    rollup_posts(profile, [when])
    written = _days(profile=profile)
    assert [(row[1], row[2], row[3], row[4], row[5]) for row in written] == [
        (days[0], 90, 0, 0, 0),
        (days[1], 120, 30, 2, 15),
        (days[2], 130, 10, 0, 0),
    ]
    call_command("rollup_rebuild", profile=profile.pk, verbosity=0)
    assert _days(profile=profile) == written
