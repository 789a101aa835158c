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


def _followers_panel(content: str) -> str:
    start = content.index('data-testid="metrics-panel"')
    return content[start : content.index("</table>", start)]


def _counted(workspace, platform, handle, followers, *, is_active=True):
    profile = TrackedProfileFactory(
        workspace=workspace, is_own=True, platform=platform, handle=handle, is_active=is_active
    )
    today = timezone.localdate()
    DailySnapshot.objects.create(profile=profile, date=today - timedelta(days=40), followers=followers - 10)
    DailySnapshot.objects.create(profile=profile, date=today, followers=followers)
    rollup_profile(profile)
    return profile


def test_team_home_shows_the_brand_by_network_largest_first_and_all_networks_together(client_as, workspace):
    """Each network the brand's active accounts are on, its accounts together (the benchmark's brand rows), the
    largest audience first; a stopped account is left out, as the benchmark leaves it out."""
    from accounts.roles import Role

    _counted(workspace, "instagram", "insta_a", 300)
    _counted(workspace, "instagram", "insta_b", 200)
    _counted(workspace, "facebook", "fb", 100)
    _counted(workspace, "x", "x_one", 900)
    _counted(workspace, "x", "x_stopped", 5000, is_active=False)
    panel = _followers_panel(home_as_shown(client_as(Role.ADMIN)))
    networks = [panel.index(f'data-network="{p}"') for p in ("x", "instagram", "facebook")]
    assert networks == sorted(networks)  # 900 (the stopped 5,000 not counted), then 300 + 200, then 100
    x = panel[networks[0] : networks[1]]
    assert "1 account<" in x and '"followers">900<' in x and "5,000" not in panel
    instagram = panel[networks[1] : networks[2]]
    assert "2 accounts" in instagram and '"followers">500<' in instagram and '"growth">+20<' in instagram
    total = panel[panel.index('data-testid="metrics-panel-total"') :]
    assert "All networks" in total and "1,500" in total and "+40" in total
    assert "@insta_a" not in panel  # the accounts one by one are on the metrics page


def test_team_home_with_one_network_shows_no_total(client_as, workspace):
    from accounts.roles import Role

    _counted(workspace, "instagram", "only_one", 100)
    content = home_as_shown(client_as(Role.ADMIN))
    panel = _followers_panel(content)
    assert 'data-network="instagram"' in panel and "metrics-panel-total" not in panel
    assert "All metrics" in content
