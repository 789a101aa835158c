"""The roll-up per entity, network and local hour (metrics/network_hours.py) and the best times heatmap read from it
(metrics/best_time.py): the same heatmap as grouping the posts themselves, kept right by the pull's pages (a refreshed
post too), a change of group and the rebuild."""

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Avg, Count
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay

from metrics.best_time import BEST_TIME_WEEKS, best_times, period_start
from metrics.connectors.base import PostData, PostsPage
from metrics.models import NetworkHour, Post, PullRun, TrackedProfile
from metrics.rollup import rollup_profile
from metrics.services import _commit_page, own_profile_update

from .factories import TrackedProfileFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 4, 9, 37, tzinfo=UTC)  # 16 weeks before it, 14 August: summer time in Paris


def grouped_from_posts(*, workspace, platform="", now=NOW) -> dict[tuple[int, int], tuple[int, float]]:
    """The heatmap's cells as best_times read them before the roll-up: the own posts of the period grouped by
    local weekday and hour ({(weekday 0-6, hour): (posts, mean rate)})."""
    zone = ZoneInfo(workspace.time_zone)
    own = TrackedProfile.objects.filter(workspace=workspace, is_own=True)
    if platform:
        own = own.filter(platform=platform)
    rows = (
        Post.objects.filter(
            profile_id__in=own.values("pk"),
            published_at__gte=period_start(workspace=workspace, now=now),
            engagement_rate__isnull=False,
        )
        .annotate(weekday=ExtractIsoWeekDay("published_at", tzinfo=zone), hour=ExtractHour("published_at", tzinfo=zone))
        .order_by()
        .values_list("weekday", "hour")
        .annotate(posts=Count("pk"), rate=Avg("engagement_rate"))
    )
    return {(weekday - 1, hour): (posts, rate) for weekday, hour, posts, rate in rows}


def cells(best) -> dict[tuple[int, int], tuple[int, float]]:
    return {(c.weekday, c.hour): (c.posts, c.rate) for row in best.grid for c in row if c.posts}


def assert_same_heatmap(workspace, platforms=("", "instagram", "x", "linkedin")) -> None:
    for platform in platforms:
        expected = grouped_from_posts(workspace=workspace, platform=platform)
        shown = cells(best_times(workspace=workspace, platform=platform, now=NOW))
        assert shown.keys() == expected.keys(), platform
        for key, (posts, rate) in expected.items():
            assert shown[key][0] == posts and shown[key][1] == pytest.approx(rate), (platform, key)


def hours() -> list[tuple]:
    rows = NetworkHour.objects.order_by("entity_network_id", "date", "hour").values_list(
        "entity_network_id", "date", "hour", "rated_posts", "rate_sum"
    )
    return [(*row[:4], round(row[4], 9)) for row in rows]


def generate(workspace, rng: random.Random) -> list[TrackedProfile]:
    """Own accounts on three networks (one with two), a rival's account, posts at random minutes over 20 weeks
    (across the end of summer time), a tenth of them without a rate; rolled up as a writer outside the pull does."""
    profiles = [
        TrackedProfileFactory(workspace=workspace, platform=platform, handle=f"own{n}")
        for n, platform in enumerate(["instagram", "instagram", "x", "linkedin"])
    ]
    profiles.append(TrackedProfileFactory(workspace=workspace, platform="instagram", handle="rival", is_own=False))
    posts = []
    for n in range(1500):
        profile = rng.choice(profiles)
        at = NOW - timedelta(minutes=rng.randrange(20 * 7 * 24 * 60))
        rate = None if rng.random() < 0.1 else rng.uniform(0.001, 0.08)
        posts.append(Post(profile=profile, external_id=f"g{n}", published_at=at, text="", engagement_rate=rate))
    Post.objects.bulk_create(posts)
    for profile in profiles:
        rollup_profile(profile)
    return profiles


@pytest.mark.parametrize("zone", ["Europe/Paris", "Asia/Kolkata"])  # Kolkata: local hours start at :30 UTC
def test_the_heatmap_from_the_roll_up_is_the_posts_grouped_by_hour(workspace, other_workspace, zone):
    workspace.time_zone = zone
    workspace.save(update_fields=["time_zone"])
    profiles = generate(workspace, random.Random(17))
    generate(other_workspace, random.Random(18))  # another brand's posts at the same hours
    assert len(grouped_from_posts(workspace=workspace)) > 150  # most hours of the week have posts
    assert_same_heatmap(workspace)
    best = best_times(workspace=workspace, now=NOW)
    assert best.best and best.posts == sum(posts for posts, _ in grouped_from_posts(workspace=workspace).values())

    # A stopped account's posts stay in the brand's heatmap; the rebuild writes the same hours.
    own_profile_update(profile=profiles[0], handle=profiles[0].handle, source=profiles[0].source, is_active=False)
    assert_same_heatmap(workspace)
    written = hours()
    NetworkHour.objects.filter(hour=9).delete()
    NetworkHour.objects.filter(hour=18).update(rated_posts=999)
    call_command("rollup_rebuild", verbosity=0)
    assert hours() == written


def test_the_period_starts_at_the_local_hour_16_weeks_ago(workspace):
    profile = TrackedProfileFactory(workspace=workspace, platform="instagram")
    since = NOW - timedelta(weeks=BEST_TIME_WEEKS)  # 09:37 UTC, 11:37 in Paris
    at = [since - timedelta(minutes=36), since - timedelta(minutes=38), NOW - timedelta(hours=1)]
    Post.objects.bulk_create(
        Post(profile=profile, external_id=str(n), published_at=when, text="", engagement_rate=0.01 * (n + 1))
        for n, when in enumerate(at)
    )
    rollup_profile(profile)
    best = best_times(workspace=workspace, now=NOW)
    assert best.posts == 2  # 11:01 in Paris 16 weeks ago counts, 10:59 does not
    assert best.grid[11][4].posts == 1 and best.grid[11][4].rate == pytest.approx(0.01)  # a Friday
    assert_same_heatmap(workspace)


def _page(*posts) -> PostsPage:
    return PostsPage(posts=list(posts), next_cursor="")


def test_a_refreshed_post_moves_its_hour_as_the_pull_writes_it(workspace):
    profile = TrackedProfileFactory(workspace=workspace, platform="x")
    run = PullRun.objects.create(profile=profile, status=PullRun.Status.RUNNING)
    when = datetime(2026, 11, 24, 17, 5, tzinfo=UTC)  # 18:05 in Paris, a Tuesday

    def pull(followers=1000, **likes):
        posts = [
            PostData(external_id=key, published_at=when, text="", likes=n, comments=0, shares=0)
            for key, n in likes.items()
        ]
        _commit_page(profile=profile, run=run, page=_page(*posts), followers_on=lambda day: followers, now=when)
        return cells(best_times(workspace=workspace, now=NOW)).get((1, 18))

    assert pull(a=10, b=30) == (2, pytest.approx(0.02))
    assert pull(a=50) == (2, pytest.approx(0.04))  # refreshed a day later: counted once, with its new figures
    assert_same_heatmap(workspace, platforms=("", "x"))
    assert pull(followers=0, b=30) == (1, pytest.approx(0.05))  # no follower count this time: b has no rate
    assert pull(followers=0, a=50) is None  # no rated post left in the hour: its row goes
    assert not NetworkHour.objects.exists()
    assert pull(a=20) == (1, pytest.approx(0.02))
