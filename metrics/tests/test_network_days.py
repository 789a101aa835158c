"""The roll-up per entity and network (metrics/network_days.py): written with the profiles' days, rebuilt the same
from them, and read by `figures.network_figures` as `combine(profile_figures)` of the same profiles."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command

from competitors import services as competitor_services
from metrics import figures
from metrics.models import DailySnapshot, NetworkDay, TrackedProfile
from metrics.network_days import network_days_rebuild
from metrics.rollup import rollup_days
from metrics.services import own_profile_update, pull_run, upsert_snapshots
from strategy.tests.factories import post, snapshot

from .factories import TrackedProfileFactory

pytestmark = pytest.mark.django_db
FIELDS = ["entity_network__competitor_id", "entity_network__platform", "entity_network__active", "date", "followers"]
FIELDS += ["profiles_counted", "followers_first", "profiles_first", "follower_change", "posts", "interactions"]
FIELDS += ["impressions", "rated_posts", "rate_sum", "viewed_posts", "view_rate_sum"]


def network_days(**filters) -> list[tuple]:
    """Every row of the roll-up per network, floats rounded (a sum's last digits follow the order of its rows)."""
    rows = NetworkDay.objects.filter(**filters).order_by(*FIELDS[:4]).values_list(*FIELDS)
    return [tuple(round(v, 9) if isinstance(v, float) else v for v in row) for row in rows]


def assert_as_rebuilt() -> list[tuple]:
    """The roll-up as written equals the one rebuilt from the profiles' days; returns it."""
    written = network_days()
    network_days_rebuild()
    assert network_days() == written
    return written


def _as_combined(profiles, start, end) -> figures.Figures:
    days = (end - start).days + 1
    return figures.combine(figures.profile_figures(profiles=profiles, start=start, end=end).values(), days=days)


def _same(a: figures.Figures, b: figures.Figures) -> None:
    for name in ("followers", "followers_start", "growth", "posts", "interactions", "rated_posts", "impressions"):
        assert getattr(a, name) == getattr(b, name), name
    for name in ("rate_sum", "view_rate_sum"):
        assert getattr(a, name) == pytest.approx(getattr(b, name)), name
    assert a.last_post_on == b.last_post_on


@pytest.fixture
def brand_on_instagram(workspace):
    """Three own Instagram accounts counted from different days, one with a gap; posts on some days."""
    a, b, c = (TrackedProfileFactory(workspace=workspace, platform="instagram", handle=h) for h in "abc")
    for day, followers in [(1, 100), (2, 110), (5, 90), (20, 130)]:
        snapshot(a, date(2026, 11, day), followers)
    for day, followers in [(10, 1000), (12, 1010)]:  # first counted inside November
        snapshot(b, date(2026, 11, day), followers)
    snapshot(c, date(2026, 10, 20), 50)  # counted once, before the month: carried on
    post(a, date(2026, 11, 3), likes=10, followers=110)
    post(b, date(2026, 11, 12), likes=30, followers=1010)
    post(c, date(2026, 12, 2), likes=5, followers=50)  # after the periods below: the newest post's day
    return [a, b, c]


@pytest.mark.parametrize(
    "start,end",
    [
        (date(2026, 11, 1), date(2026, 11, 30)),
        (date(2026, 11, 3), date(2026, 11, 11)),  # b first counted after the start, before the end
        (date(2026, 11, 13), date(2026, 11, 19)),  # nobody counted inside
        (date(2026, 10, 1), date(2026, 10, 19)),  # before anyone was counted
        (date(2026, 11, 21), date(2026, 12, 5)),
    ],
)
def test_network_figures_add_up_as_the_profiles_figures_do(workspace, brand_on_instagram, start, end):
    by_network = figures.network_figures(workspace=workspace, start=start, end=end)
    shown = by_network.get(("brand", "instagram"), figures.Figures(days=(end - start).days + 1))
    _same(shown, _as_combined(brand_on_instagram, start, end))
    assert_as_rebuilt()


@pytest.mark.parametrize(
    "start,end",
    [
        (date(2026, 11, 1), date(2026, 11, 30)),
        (date(2026, 11, 3), date(2026, 11, 11)),  # no row on the first day: carried from before it
        (date(2026, 11, 21), date(2026, 11, 30)),  # no row at all in the period: the count before it, every day
        (date(2026, 10, 1), date(2026, 10, 19)),  # before anyone was counted: no day
    ],
)
def test_the_followers_series_is_each_days_figures_from_the_same_read(workspace, brand_on_instagram, start, end):
    """The chart's days are what the figures say for a period ending that day (each profile's last known count,
    summed), and its last day is the period's followers, from the one read the figures come from."""
    parts = figures.network_parts(workspace=workspace, start=start, end=end)
    series = figures.network_followers_series(start=start, end=end, parts=parts).get(("brand", "instagram"), {})
    day = start
    while day <= end:
        expected = _as_combined(brand_on_instagram, day, day).followers
        assert series.get(day) == expected, day
        day += timedelta(days=1)
    shown = figures.network_figures(start=start, end=end, parts=parts).get(("brand", "instagram"))
    assert (shown.followers if shown else None) == series.get(end)


def test_a_day_holds_each_profiles_last_known_count_summed(workspace, brand_on_instagram):
    rows = {row[3]: row[4] for row in network_days()}
    assert rows[date(2026, 10, 20)] == 50
    assert rows[date(2026, 11, 1)] == 150  # a's 100 and c's 50
    assert rows[date(2026, 11, 5)] == 140  # a down to 90
    assert rows[date(2026, 11, 10)] == 1140  # b first counted
    assert rows[date(2026, 11, 20)] == 1190


def test_a_backfilled_earlier_count_moves_the_later_days(workspace, brand_on_instagram):
    a = brand_on_instagram[0]
    upsert_snapshots([DailySnapshot(profile=a, date=date(2026, 10, 25), followers=80)])
    rollup_days(a, [date(2026, 10, 25)])
    rows = {row[3]: row[4] for row in network_days()}
    assert rows[date(2026, 10, 25)] == 130
    assert rows[date(2026, 11, 1)] == 150  # unchanged: a's count on that day is its own
    assert_as_rebuilt()


def test_a_stopped_account_leaves_the_active_figures_and_stays_in_the_brands(workspace, brand_on_instagram):
    a = brand_on_instagram[0]
    own_profile_update(profile=a, handle=a.handle, source=a.source, is_active=False)
    start, end = date(2026, 11, 1), date(2026, 11, 30)
    active = figures.network_figures(workspace=workspace, start=start, end=end, active_only=True)
    _same(active[("brand", "instagram")], _as_combined(brand_on_instagram[1:], start, end))
    every = figures.network_figures(workspace=workspace, start=start, end=end)
    _same(every[("brand", "instagram")], _as_combined(brand_on_instagram, start, end))
    assert_as_rebuilt()
    own_profile_update(profile=a, handle=a.handle, source=a.source, is_active=True)
    active = figures.network_figures(workspace=workspace, start=start, end=end, active_only=True)
    _same(active[("brand", "instagram")], _as_combined(brand_on_instagram, start, end))
    assert_as_rebuilt()


def test_a_profile_followed_for_a_competitor_joins_its_figures(workspace):
    profile = TrackedProfileFactory(workspace=workspace, platform="x", handle="rival", is_own=False)
    snapshot(profile, date(2026, 11, 2), 500)
    assert network_days() == []  # followed for no one yet
    rival = competitor_services.competitor_create(workspace=workspace, name="Rival", handles={"x": "rival"})
    start, end = date(2026, 11, 1), date(2026, 11, 30)
    shown = figures.network_figures(workspace=workspace, start=start, end=end, entities=[f"c{rival.pk}"])
    assert shown[(f"c{rival.pk}", "x")].followers == 500
    competitor_services.competitor_archive(competitor=rival)
    stopped = figures.network_figures(workspace=workspace, start=start, end=end, active_only=True)
    assert not any(shown.has_figures for shown in stopped.values())
    assert_as_rebuilt()


def test_the_rebuild_repairs_the_roll_up_and_is_idempotent(workspace, brand_on_instagram):
    right = network_days()
    NetworkDay.objects.filter(date=date(2026, 11, 5)).update(followers=1, posts=7)
    NetworkDay.objects.filter(date=date(2026, 11, 10)).delete()
    call_command("rollup_rebuild", verbosity=0)
    assert network_days() == right
    ids = list(NetworkDay.objects.order_by("pk").values_list("pk", flat=True))
    call_command("rollup_rebuild", workspace=workspace.pk, verbosity=0)
    assert list(NetworkDay.objects.order_by("pk").values_list("pk", flat=True)) == ids


def test_a_backfill_writes_the_network_days_a_rebuild_writes_again(workspace):
    profiles = [TrackedProfileFactory(workspace=workspace, platform="x", handle=h) for h in ("one", "two")]
    for profile in profiles:
        pull_run(profile=profile, backfill=True)
    written = assert_as_rebuilt()
    assert len(written) >= 300
    today = max(row[3] for row in written)
    start = today - timedelta(days=29)
    _same(
        figures.network_figures(workspace=workspace, start=start, end=today)[("brand", "x")],
        _as_combined(TrackedProfile.objects.filter(workspace=workspace), start, today),
    )
