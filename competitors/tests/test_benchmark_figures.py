"""The benchmark's figures on a small data set worked out by hand.

Period 1-14 November 2026 (14 days), on X:
- the brand: 1,000 followers on the 1st, 1,100 on the 14th; two posts with 20 and 40 interactions at
  1,000 followers -> rates 2% and 4%, mean 3%; 2 posts = 1 a week; 30 interactions per post; 60 in all.
- Rival A: 2,000 followers both days; four posts of 20 interactions at 2,000 -> 1%; 2 a week; 20 per post; 80.
- Rival B: an X profile never pulled, and a LinkedIn profile (the platform gives competitors nothing).
Share of posts: brand 2 of 6 = 33%, A 67%. Share of interactions: brand 60 of 140 = 42.9%, A 57.1%.
Competitor average (A alone; B has no figures): 2 a week, 1%, 20 per post.
Landscape average (brand and A): 1.5 a week, 2%, 25 per post, 1,550 followers.
"""

from datetime import date

import pytest
from django.urls import reverse

from accounts.roles import Role
from common.numbers import ONE_DECIMAL, as_percent
from competitors import selectors, services
from competitors.tests.factories import TrackedProfileFactory, post, snapshot
from metrics.models import PullRun

START, END = date(2026, 11, 1), date(2026, 11, 14)


@pytest.fixture
def landscape(workspace):
    brand = TrackedProfileFactory(workspace=workspace, platform="x", handle="acme")
    rival_a = services.competitor_create(workspace=workspace, name="Rival A", handles={"x": "rival_a"})
    rival_b = services.competitor_create(
        workspace=workspace, name="Rival B", handles={"x": "rival_b", "linkedin": "rival-b"}
    )
    a_x = rival_a.profile_links.get().profile
    snapshot(brand, START, 1000)
    snapshot(brand, END, 1100)
    snapshot(a_x, START, 2000)
    snapshot(a_x, END, 2000)
    post(brand, "2026-11-03T10:00", likes=10, comments=5, shares=5, followers=1000)
    post(brand, "2026-11-10T10:00", likes=30, comments=6, shares=4, followers=1000)
    post(brand, "2026-10-31T22:00", likes=500, followers=1000)  # 23:00 on 31 October in Paris: not counted
    for day in (2, 5, 8, 12):
        post(a_x, f"2026-11-{day:02d}T09:00", likes=15, comments=3, shares=2, followers=2000, text=f"A on {day}")
    return {"brand": brand, "a": rival_a, "b": rival_b}


def row(scope, name):
    return next(f for e, f in scope.rows if e.name == name)


@pytest.mark.django_db
def test_each_entitys_figures_match_the_hand_computation(workspace, landscape):
    bench = selectors.benchmark(workspace=workspace, start=START, end=END)
    x = bench.scope("x")
    brand, a = row(x, "Acme"), row(x, "Rival A")

    assert (brand.followers, brand.growth, brand.growth_pct) == (1100, 100, pytest.approx(10.0))
    assert brand.posts == 2 and brand.posts_per_week == pytest.approx(1.0)
    assert brand.engagement_rate == pytest.approx(0.03)
    assert brand.interactions_per_post == pytest.approx(30)
    assert (a.followers, a.growth, a.posts_per_week) == (2000, 0, pytest.approx(2.0))
    assert a.engagement_rate == pytest.approx(0.01) and a.interactions_per_post == pytest.approx(20)


@pytest.mark.django_db
def test_share_of_voice_counts_the_brand_among_its_competitors(workspace, landscape):
    x = selectors.benchmark(workspace=workspace, start=START, end=END).scope("x")
    brand, a = row(x, "Acme"), row(x, "Rival A")
    assert brand.share_of_posts == pytest.approx(2 / 6)
    assert a.share_of_posts == pytest.approx(4 / 6)
    assert brand.share_of_interactions == pytest.approx(60 / 140)
    assert a.share_of_interactions == pytest.approx(80 / 140)


@pytest.mark.django_db
def test_competitor_average_leaves_the_brand_out_and_landscape_average_includes_it(workspace, landscape):
    x = selectors.benchmark(workspace=workspace, start=START, end=END).scope("x")
    assert x.competitor_average.posts_per_week == pytest.approx(2.0)
    assert x.competitor_average.engagement_rate == pytest.approx(0.01)
    assert x.competitor_average.interactions_per_post == pytest.approx(20)
    assert x.landscape_average.posts_per_week == pytest.approx(1.5)
    assert x.landscape_average.engagement_rate == pytest.approx(0.02)
    assert x.landscape_average.interactions_per_post == pytest.approx(25)
    assert x.landscape_average.followers == pytest.approx(1550)


@pytest.mark.django_db
def test_a_missing_figure_says_why(workspace, landscape):
    bench = selectors.benchmark(workspace=workspace, start=START, end=END)
    assert "Not pulled yet" in row(bench.scope("x"), "Rival B").missing
    assert "LinkedIn" in row(bench.scope("linkedin"), "Rival B").missing
    assert row(bench.scope("linkedin"), "Rival A").missing == "Not followed on LinkedIn."
    assert row(bench.scope("linkedin"), "Acme").missing == "The brand has no LinkedIn profile tracked."


@pytest.mark.django_db
def test_a_failed_pull_is_given_as_the_reason(workspace, landscape):
    b_x = landscape["b"].profile_links.get(profile__platform="x").profile
    PullRun.objects.create(
        profile=b_x, status=PullRun.Status.NOT_FOUND, error_message="User has been suspended: [rival_b]."
    )
    x = selectors.benchmark(workspace=workspace, start=START, end=END).scope("x")
    assert "did not succeed" in row(x, "Rival B").missing
    assert "suspended" in row(x, "Rival B").missing


@pytest.mark.django_db
def test_all_networks_together_weigh_rates_by_posts(workspace, landscape):
    # A second network for the brand: one Instagram post at 10% -> (0.02 + 0.04 + 0.10) / 3 over all networks.
    insta = TrackedProfileFactory(workspace=workspace, platform="instagram", handle="acme")
    snapshot(insta, END, 500)
    post(insta, "2026-11-06T12:00", likes=50, followers=500)
    brand = row(selectors.benchmark(workspace=workspace, start=START, end=END).overall, "Acme")
    assert brand.posts == 3
    assert brand.engagement_rate == pytest.approx(0.16 / 3)
    assert brand.followers == 1600
    assert brand.interactions_per_post == pytest.approx(110 / 3)


@pytest.mark.django_db
def test_best_posts_are_each_competitors_highest_engagement_in_the_period(workspace, landscape):
    a_x = landscape["a"].profile_links.get().profile
    star = post(a_x, "2026-11-13T09:00", likes=300, followers=2000, text="The star post")
    post(a_x, "2026-10-20T09:00", likes=900, followers=2000, text="Too old")
    bench = selectors.benchmark(workspace=workspace, start=START, end=END)
    best = bench.best_posts[landscape["a"].pk]
    assert (best[0]["text"], best[0]["published_at"], best[0]["network"]) == (
        star.text,
        star.published_at,
        "X (Twitter)",
    )
    assert len(best) == 3
    assert "Too old" not in [p["text"] for p in best]


@pytest.mark.django_db
def test_archived_competitors_leave_the_benchmark(workspace, landscape):
    services.competitor_archive(competitor=landscape["a"])
    bench = selectors.benchmark(workspace=workspace, start=START, end=END)
    assert [e.name for e in bench.entities] == ["Acme", "Rival B"]


@pytest.mark.django_db
def test_the_benchmark_takes_the_same_number_of_queries_whatever_the_data(
    workspace, landscape, django_assert_max_num_queries
):
    for i in range(30):
        post(landscape["brand"], f"2026-11-{1 + i % 14:02d}T08:{i:02d}", likes=i, followers=1000)
    # Six, and a seventh for the last pulls: Rival B's profiles have no figures and the page says why.
    with django_assert_max_num_queries(7):
        selectors.benchmark(workspace=workspace, start=START, end=END)


@pytest.mark.django_db
def test_last_pulls_are_read_only_when_a_profile_has_no_figures(workspace, landscape, django_assert_max_num_queries):
    services.competitor_archive(competitor=landscape["b"])  # the one competitor without figures
    with django_assert_max_num_queries(6) as queries:
        bench = selectors.benchmark(workspace=workspace, start=START, end=END)
    assert not any("metrics_pullrun" in q["sql"] for q in queries.captured_queries)
    assert all(f.missing is None for _, f in bench.overall.rows)


@pytest.mark.django_db
def test_the_page_shows_the_table_and_the_reasons(client_as, workspace, landscape, time_machine):
    time_machine.move_to("2026-11-14 18:00:00+00:00")
    client = client_as(Role.EXECUTIVE)
    response = client.get(reverse("competitors:benchmark"), {"days": 7, "network": "x"})
    assert response.status_code == 200
    text = response.text
    assert "Rival A" in text and "Not pulled yet" in text
    assert 'data-testid="benchmark-table-x"' in text
    assert "4.00 %" in text  # 8-14 Nov: only the brand's post of the 10th, 40 / 1,000
    assert "Add a competitor" not in text  # executives read only


@pytest.mark.django_db
def test_the_page_does_not_get_slower_with_more_competitors_and_posts(
    client_as, workspace, landscape, django_assert_max_num_queries
):
    client = client_as(Role.ANALYST)
    url = reverse("competitors:benchmark")
    client.get(url)  # warm the session
    with django_assert_max_num_queries(20) as small:
        client.get(url, {"days": 30})
    rival_c = services.competitor_create(workspace=workspace, name="Rival C", handles={"x": "c", "instagram": "c"})
    for profile in (link.profile for link in rival_c.profile_links.all()):
        snapshot(profile, END, 500)
        for day in range(1, 14):
            post(profile, f"2026-11-{day:02d}T07:00", likes=day, followers=500)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url, {"days": 30})


@pytest.mark.django_db
def test_best_posts_are_the_best_over_all_of_a_competitors_networks(workspace):
    rival = services.competitor_create(workspace=workspace, name="Rival", handles={"x": "r", "instagram": "r.ig"})
    x, ig = (rival.profile_links.get(profile__platform=platform).profile for platform in ("x", "instagram"))
    for day, likes in ((2, 10), (3, 50), (4, 20), (5, 40)):
        post(x, f"2026-11-{day:02d}T09:00", likes=likes, followers=1000, text=f"x {likes}")
    for day, likes in ((6, 30), (7, 60), (8, 5)):
        post(ig, f"2026-11-{day:02d}T09:00", likes=likes, followers=1000, text=f"ig {likes}")
    post(ig, "2026-11-09T09:00", likes=500, followers=None, text="ig unrated")  # no rate: after every rated post
    best = selectors.benchmark(workspace=workspace, start=START, end=END).best_posts[rival.pk]
    assert [(p["text"], p["network"]) for p in best] == [
        ("ig 60", "Instagram"),
        ("x 50", "X (Twitter)"),
        ("x 40", "X (Twitter)"),
    ]


@pytest.mark.django_db
def test_the_charts_round_their_figures_by_the_one_rule(client_as, workspace, landscape, time_machine):
    time_machine.move_to("2026-11-14 18:00:00+00:00")
    response = client_as().get(reverse("competitors:benchmark"), {"days": 14})
    data, bench = response.context["chart_data"], response.context["bench"]
    brands = [s.brand for s in bench.networks]  # X, then LinkedIn where the brand has no profile
    rates = data["by_network"]["engagement_rate"][selectors.BRAND_KEY]
    assert rates == [as_percent(b.engagement_rate) for b in brands] and rates[0] == round(rates[0], 2)
    assert data["by_network"]["posts_per_week"][selectors.BRAND_KEY] == [
        round(b.posts_per_week, ONE_DECIMAL) if b.has_data else None for b in brands
    ]
    assert data["share"]["posts"] == [as_percent(f.share_of_posts or 0, ONE_DECIMAL) for _, f in bench.overall.rows]
