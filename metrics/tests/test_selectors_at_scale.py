"""The shared metrics reads stay the same while doing less work: top and flop per profile, figures in two queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from metrics import figures, selectors
from metrics.models import DailySnapshot, Post
from metrics.rollup import rollup_days, rollup_profile
from tests.homes import home_as_shown

from .factories import TrackedProfileFactory

pytestmark = pytest.mark.django_db


def _post(profile, n, *, rate, age):
    return Post.objects.create(
        profile=profile,
        external_id=f"p{n}",
        published_at=timezone.now() - age,
        likes=n,
        interactions=n,
        followers_at_posting=1000,
        engagement_rate=rate,
    )


def _ranked_one_by_one(workspace, start, end, limit):
    """The definition: the best `limit`, then the weakest settled posts that are not among them."""
    since, until = figures.period_bounds(workspace=workspace, start=start, end=end)
    posts = Post.objects.filter(
        profile__workspace=workspace,
        profile__is_own=True,
        published_at__gte=since,
        published_at__lt=until,
        engagement_rate__isnull=False,
    )
    top = list(posts.order_by("-engagement_rate", "-published_at")[:limit])
    settled = posts.filter(published_at__lt=timezone.now() - selectors.FLOP_MIN_AGE)
    flop = list(settled.exclude(pk__in=[p.pk for p in top]).order_by("engagement_rate", "-published_at")[:limit])
    return top, flop


@pytest.mark.parametrize("rolled_up", [True, False])  # thresholds from the brand's hours, or none written yet
@pytest.mark.parametrize("count", [0, 2, 5, 9, 30])
def test_top_and_flop_match_the_one_by_one_ranking(workspace, count, rolled_up):
    profile = TrackedProfileFactory(workspace=workspace)
    for n in range(count):
        # Some ties on the rate, some posts too young to be a flop.
        _post(profile, n, rate=(n * 7 % 11) / 1000, age=timedelta(hours=6 + n * 13))
    if rolled_up:
        rollup_profile(profile)
    end = timezone.localdate()
    start = end - timedelta(days=89)
    top, flop = selectors.top_and_flop(workspace=workspace, start=start, end=end, limit=4)
    expected_top, expected_flop = _ranked_one_by_one(workspace, start, end, 4)
    assert [p["pk"] for p in top] == [p.pk for p in expected_top]
    assert [p["pk"] for p in flop] == [p.pk for p in expected_flop]
    assert not {p["pk"] for p in top} & {p["pk"] for p in flop}


@pytest.mark.parametrize("per_profile", [1, 3, 8, 20])
def test_top_and_flop_over_several_profiles_match_the_one_by_one_ranking(workspace, per_profile):
    """The thresholds from the hours never leave out a post of the global ranking, whatever each profile holds."""
    profiles = [TrackedProfileFactory(workspace=workspace, platform=p) for p in ("x", "x", "instagram")]
    n = 0
    for k, profile in enumerate(profiles):
        for _ in range(per_profile * (k + 1)):
            _post(profile, n, rate=(n * 37 % 23) / 1000 + k / 100, age=timedelta(hours=5 + n * 11))
            n += 1
        rollup_profile(profile)
    end = timezone.localdate()
    start = end - timedelta(days=89)
    top, flop = selectors.top_and_flop(workspace=workspace, start=start, end=end, limit=5)
    expected_top, expected_flop = _ranked_one_by_one(workspace, start, end, 5)
    assert [p["pk"] for p in top] == [p.pk for p in expected_top]
    assert [p["pk"] for p in flop] == [p.pk for p in expected_flop]


def test_a_post_is_never_both_top_and_flop_when_there_are_few(workspace):
    profile = TrackedProfileFactory(workspace=workspace)
    posts = [_post(profile, n, rate=n / 100, age=timedelta(days=3 + n)) for n in range(3)]
    end = timezone.localdate()
    top, flop = selectors.top_and_flop(workspace=workspace, start=end - timedelta(days=30), end=end, limit=2)
    assert [p["pk"] for p in top] == [posts[2].pk, posts[1].pk]
    assert [p["pk"] for p in flop] == [posts[0].pk]


def test_top_and_flop_rank_only_the_workspaces_own_accounts_on_the_chosen_network(workspace, other_workspace):
    own_x = TrackedProfileFactory(workspace=workspace, platform="x", handle="brand_x")
    own_fb = TrackedProfileFactory(workspace=workspace, platform="facebook", handle="brand_fb")
    rival = TrackedProfileFactory(workspace=workspace, platform="x", handle="rival", is_own=False)
    elsewhere = TrackedProfileFactory(workspace=other_workspace, platform="x", handle="elsewhere")
    for n, profile in enumerate([own_x, own_fb, rival, elsewhere]):
        _post(profile, n, rate=n / 100, age=timedelta(days=3))
    end = timezone.localdate()
    top, flop = selectors.top_and_flop(workspace=workspace, start=end - timedelta(days=30), end=end)
    assert [(p["handle"], p["platform"]) for p in top] == [("brand_fb", "facebook"), ("brand_x", "x")]
    assert flop == []  # both settled posts made the top
    top, _ = selectors.top_and_flop(workspace=workspace, start=end - timedelta(days=30), end=end, platform="x")
    assert [p["handle"] for p in top] == ["brand_x"]


def test_top_and_flop_run_the_same_queries_whatever_the_number_of_posts(workspace):
    profiles = [TrackedProfileFactory(workspace=workspace) for _ in range(2)]
    end = timezone.localdate()
    counts = []
    for first, last in [(0, 3), (3, 60)]:
        for n in range(first, last):
            _post(profiles[n % 2], n, rate=n / 1000, age=timedelta(hours=6 + n * 20))
        for profile in profiles:
            rollup_profile(profile)
        with CaptureQueriesContext(connection) as queries:
            top, flop = selectors.top_and_flop(workspace=workspace, start=end - timedelta(days=89), end=end, limit=5)
        counts.append(len(queries))
    assert len(top) == len(flop) == 5
    # The accounts' ids with the thresholds, each ranking's ids, then the rows of both.
    assert counts[0] == counts[1] == 4


def test_a_threshold_from_hours_not_rolled_up_again_still_finds_the_ranking(workspace):
    """Posts written after their hours were (no roll-up yet): a ranking that finds too few past its threshold
    ranks again without it."""
    profile = TrackedProfileFactory(workspace=workspace)
    posts = [_post(profile, n, rate=0.05 + n / 1000, age=timedelta(days=3, hours=n * 7)) for n in range(12)]
    rollup_profile(profile)
    Post.objects.filter(pk__in=[p.pk for p in posts[4:]]).update(engagement_rate=0.001)  # stale hours: too high
    Post.objects.filter(pk__in=[p.pk for p in posts[:4]]).update(engagement_rate=0.2)  # and too low
    end = timezone.localdate()
    start = end - timedelta(days=89)
    top, flop = selectors.top_and_flop(workspace=workspace, start=start, end=end, limit=5)
    expected_top, expected_flop = _ranked_one_by_one(workspace, start, end, 5)
    assert [p["pk"] for p in top] == [p.pk for p in expected_top]
    assert [p["pk"] for p in flop] == [p.pk for p in expected_flop]


def test_profile_figures_take_two_queries_whatever_the_number_of_profiles(workspace):
    end = timezone.localdate()
    counts = []
    for how_many in (1, 6):
        profiles = [TrackedProfileFactory(workspace=workspace) for _ in range(how_many)]
        for profile in profiles:
            DailySnapshot.objects.create(profile=profile, date=end, followers=100)
            rollup_profile(profile)
        with CaptureQueriesContext(connection) as queries:
            read = figures.profile_figures(profiles=profiles, start=end - timedelta(days=29), end=end)
        counts.append(len(queries))
        assert [read[p.pk].followers for p in profiles] == [100] * how_many
    assert counts == [2, 2]  # the follower counts at the ends, then the period's sums


def test_profile_figures_follow_the_roll_up(workspace):
    profile = TrackedProfileFactory(workspace=workspace)
    end = timezone.localdate()
    DailySnapshot.objects.create(profile=profile, date=end, followers=100)
    rollup_days(profile, [end])
    assert figures.profile_figures(profiles=[profile], start=end, end=end)[profile.pk].followers == 100
    DailySnapshot.objects.filter(profile=profile).update(followers=120)
    rollup_days(profile, [end])
    assert figures.profile_figures(profiles=[profile], start=end, end=end)[profile.pk].followers == 120


def test_each_request_starts_with_fresh_profile_figures(client_as, workspace):
    from accounts.roles import Role

    client = client_as(Role.ADMIN)
    profile = TrackedProfileFactory(workspace=workspace, is_own=True)
    DailySnapshot.objects.create(profile=profile, date=timezone.localdate(), followers=100)
    rollup_profile(profile)
    assert "100" in home_as_shown(client)
    DailySnapshot.objects.filter(profile=profile).update(followers=4321)
    rollup_profile(profile)
    assert "4,321" in home_as_shown(client)


def test_team_home_shows_the_largest_accounts_and_links_to_all_of_them(client_as, workspace):
    from accounts.roles import Role
    from metrics.panels import PANEL_ROWS

    today = timezone.localdate()
    for n in range(PANEL_ROWS + 3):
        profile = TrackedProfileFactory(workspace=workspace, is_own=True, handle=f"acct{n:02d}")
        DailySnapshot.objects.create(profile=profile, date=today, followers=1000 + n)
        rollup_profile(profile)
    content = home_as_shown(client_as(Role.ADMIN))
    assert "@acct12" in content and "@acct03" in content  # the largest ten
    assert content.index("@acct12<") < content.index("@acct11<") < content.index("@acct03<")  # largest first
    assert "@acct02<" not in content and "@acct00<" not in content
    assert 'data-testid="metrics-panel-more"' in content and "3 more on the metrics page" in content
    assert f"All {PANEL_ROWS + 3} accounts" in content


def test_team_home_with_few_accounts_lists_them_all(client_as, workspace):
    from accounts.roles import Role

    TrackedProfileFactory(workspace=workspace, is_own=True, handle="only_one")
    content = home_as_shown(client_as(Role.ADMIN))
    assert "@only_one" in content and "metrics-panel-more" not in content and "All metrics" in content


def test_the_largest_profiles_come_with_the_figures_profile_figures_gives_them_in_one_query(workspace):
    """The followers panel's read: the `limit` profiles with the most followers at the period's end (no count yet
    ranks as 0; ties by network and handle), each with exactly its `profile_figures`, in one query."""
    end = timezone.localdate()
    start = end - timedelta(days=29)
    followers = {"big": 500, "tie_b": 300, "tie_a": 300, "small": 100, "zero_b": 0, "none_a": None, "old": 900}
    profiles = {}
    for handle, count in followers.items():
        profile = profiles[handle] = TrackedProfileFactory(workspace=workspace, is_own=True, handle=handle)
        if count is not None:
            # Counted before the period; the old one not since, the others (but "zero_b") again on its last day.
            DailySnapshot.objects.create(profile=profile, date=start - timedelta(days=5), followers=count)
            if handle != "old" and count:
                DailySnapshot.objects.create(profile=profile, date=end, followers=count + 7)
        _post(profile, len(profiles), rate=0.01 * len(profiles), age=timedelta(days=3))
        rollup_profile(profile)
    wanted = profiles["old"], profiles["big"], profiles["tie_a"], profiles["tie_b"], profiles["small"]
    with CaptureQueriesContext(connection) as queries:
        largest = figures.largest_with_figures(
            workspace.tracked_profiles.all(), start=start, end=end, limit=len(wanted) + 1
        )
    assert len(queries) == 1
    # "none_a" (no count: 0) before "zero_b" (0) by handle; both after the counted ones.
    assert set(largest) == {p.pk for p in wanted} | {profiles["none_a"].pk}
    assert largest == figures.profile_figures(profiles=list(largest), start=start, end=end)
    assert largest[profiles["big"].pk].growth == 7 and largest[profiles["big"].pk].posts == 1
    assert largest[profiles["old"].pk].followers_start == 900  # the last count before the period
    tie = figures.largest_with_figures(workspace.tracked_profiles.all(), start=start, end=end, limit=3)
    assert set(tie) == {profiles["old"].pk, profiles["big"].pk, profiles["tie_a"].pk}
