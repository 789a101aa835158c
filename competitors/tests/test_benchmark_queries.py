"""The benchmark's reads stay few and agree with metrics: the same figures as metrics.figures, the
competitors loaded once for the page, no per-network tables on the home panels."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competitors import selectors, services
from competitors.tests.factories import TrackedProfileFactory, post, snapshot
from metrics.figures import profile_figures
from metrics.models import TrackedProfile

START, END = date(2026, 11, 1), date(2026, 11, 14)


@pytest.fixture
def profiles(workspace):
    brand_x = TrackedProfileFactory(workspace=workspace, platform="x", handle="acme")
    brand_ig = TrackedProfileFactory(workspace=workspace, platform="instagram", handle="acme.ig")
    rival = services.competitor_create(workspace=workspace, name="Rival", handles={"x": "rival"})
    rival_x = rival.profile_links.get().profile
    snapshot(brand_x, date(2026, 10, 20), 900)  # before the period: the start count
    snapshot(brand_x, END, 1100)
    snapshot(brand_ig, date(2026, 11, 5), 400)  # first count inside the period
    snapshot(rival_x, START, 2000)
    post(brand_x, "2026-11-03T10:00", likes=10, comments=5, followers=1000)
    post(brand_x, "2026-11-10T10:00", likes=30, followers=None)  # no rate: counted, not rated
    post(brand_ig, "2026-09-01T10:00", likes=3, followers=400)  # only an old post
    post(rival_x, "2026-11-02T09:00", likes=15, followers=2000)
    return [brand_x, brand_ig, rival_x]


@pytest.mark.django_db
def test_benchmark_figures_are_metrics_figures(workspace, profiles):
    brand_x, brand_ig, rival_x = profiles
    theirs = profile_figures(profiles=profiles, start=START, end=END)
    bench = selectors.benchmark(workspace=workspace, start=START, end=END)
    x = bench.scope("x")
    brand, rival = x.brand, next(figures for entity, figures in x.rows if not entity.is_brand)
    for figures, profile in ((brand, brand_x), (rival, rival_x)):
        expected = theirs[profile.pk]
        assert (figures.followers, figures.followers_start, figures.posts) == (
            expected.followers,
            expected.followers_start,
            expected.posts,
        )
        assert figures.engagement_rate == pytest.approx(expected.engagement_rate)
    assert bench.scope("instagram").brand.followers == theirs[brand_ig.pk].followers == 400


def _count_queries(read) -> int:
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_follower_series_sums_each_entity_per_network_and_day(workspace, profiles):
    """Followers at each day's end, as the figures count them: each profile's last known count, summed."""
    bench = selectors.benchmark(workspace=workspace, start=START, end=END)
    series = bench.follower_series
    assert series["x"][selectors.BRAND_KEY][0] == 900  # counted on 20 October, before the period
    assert series["x"][selectors.BRAND_KEY][-1] == 1100 == bench.scope("x").brand.followers
    assert series["instagram"][selectors.BRAND_KEY][3] is None  # not counted before 5 November
    assert series["instagram"][selectors.BRAND_KEY][4] == 400
    assert series["all"][selectors.BRAND_KEY][4] == 1300  # X has no count that day: its last one, 900
    assert series["all"][selectors.BRAND_KEY][-1] == 1500 == bench.overall.brand.followers
    rival = bench.competitors[0].key
    assert series["x"][rival][0] == 2000 and series["x"][rival][1] == 2000
    assert series["all"]["labels"][0] == START.isoformat()


@pytest.mark.django_db
def test_followed_and_archived_splits_active_by_slot_and_archived_newest_first(workspace):
    first = services.competitor_create(workspace=workspace, name="First", handles={"x": "first"})
    second = services.competitor_create(workspace=workspace, name="Second", handles={})
    old = services.competitor_create(workspace=workspace, name="Old", handles={"x": "old"})
    services.competitor_archive(competitor=old)
    paused = services.competitor_create(workspace=workspace, name="Paused", handles={"x": "paused"})
    TrackedProfile.objects.filter(competitor_link__competitor=paused).update(is_active=False)
    active, archived = selectors.followed_and_archived(workspace=workspace)
    assert [c.name for c in active] == [first.name, second.name, paused.name]
    assert [c.name for c in archived] == ["Old"]
    bench = selectors.benchmark(workspace=workspace, start=START, end=END, competitors=active)
    # A competitor whose profiles are all stopped has profiles (its card does not ask for handles), none counted.
    assert [(e.name, e.has_profiles) for e in bench.competitors] == [
        ("First", True),
        ("Second", False),
        ("Paused", True),
    ]
    assert [len(f.profiles) for e, f in bench.overall.rows if not e.is_brand] == [1, 0, 0]


def _rival_with_history(workspace, name: str, handles: dict) -> None:
    """A competitor whose every profile has follower counts and posts in the page's period."""
    rival = services.competitor_create(workspace=workspace, name=name, handles=handles)
    for link in rival.profile_links.select_related("profile"):
        snapshot(link.profile, START, 1000)
        snapshot(link.profile, END, 1200)
        for day in (3, 6, 9):
            post(link.profile, f"2026-11-{day:02d}T10:00", likes=day, followers=1000)


@pytest.mark.django_db
def test_benchmark_page_queries_do_not_grow_with_competitors(client_as, workspace, time_machine):
    time_machine.move_to("2026-11-14 18:00:00+00:00")
    client = client_as()
    brand = TrackedProfileFactory(workspace=workspace, platform="x", handle="acme")
    post(brand, "2026-11-05T10:00", likes=4, followers=500)
    _rival_with_history(workspace, "One", {"x": "one", "instagram": "one"})
    url = reverse("competitors:benchmark")
    client.get(url)  # the first request also stores the chosen workspace in the session
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    # Each request reads what it shows: two more competitors, more profiles and posts, a second brand network.
    _rival_with_history(workspace, "Two", {"x": "two", "instagram": "two"})
    _rival_with_history(workspace, "Three", {"x": "three", "linkedin": "three"})
    brand_ig = TrackedProfileFactory(workspace=workspace, platform="instagram", handle="acme.ig")
    post(brand_ig, "2026-11-07T10:00", likes=9, followers=300)
    with CaptureQueriesContext(connection) as three:
        response = client.get(url)
    assert response.status_code == 200
    assert [c.name for c in response.context["competitors"]] == ["One", "Two", "Three"]
    assert len(three.captured_queries) == len(one.captured_queries)


@pytest.mark.django_db
def test_home_panels_skip_the_per_network_tables(workspace, profiles):
    bench = selectors.benchmark(
        workspace=workspace, start=START, end=END, with_posts=False, with_series=False, with_networks=False
    )
    assert bench.networks == []
    assert bench.overall.brand.posts == 2


@pytest.mark.django_db
def test_each_card_shows_the_active_profiles_the_benchmark_read(client_as, workspace):
    services.competitor_create(workspace=workspace, name="Shown", handles={"x": "shown", "instagram": "shown.ig"})
    services.competitor_create(workspace=workspace, name="Bare", handles={})
    services.competitor_create(workspace=workspace, name="Stopped", handles={"x": "stopped"})
    TrackedProfile.objects.filter(workspace=workspace, handle="stopped").update(is_active=False)
    response = client_as().get(reverse("competitors:benchmark"))
    cards = {c.name: [p.handle for p in profiles] for c, profiles, _ in response.context["cards"]}
    assert cards == {"Shown": ["shown.ig", "shown"], "Bare": [], "Stopped": []}
    page = response.content.decode()
    assert "@shown.ig" in page and "@shown" in page and "@stopped" not in page
    # Only a competitor with no profile at all is asked for one; a stopped profile is not "no profile".
    assert page.count("No profile yet: edit to add their handles.") == 1
