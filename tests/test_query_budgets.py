"""Query budgets: a page's SQL query count depends on what it shows, never on how much history the brand has."""

import io
import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import Membership, User, Workspace
from bench import pages_bench
from bench.copies import copy_email, generate_brands
from bench.data import BENCH_SLUG, Sizes, bench_user_email, generate
from bench.pages import FLOOR, main_pages
from calendar_app.models import Idea, Publication
from metrics.models import DailySnapshot, Post, PullRun, TrackedProfile

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="copies are made by PostgreSQL")

SMALL, LARGER = 0.002, 0.15
# Pages whose query count still grows with the data, with the fix their owners need; listed here so the
# test goes red both on a new N+1 and when one of these is fixed (then remove it from the list).
KNOWN_N_PLUS_ONE: dict[str, str] = {}  # page -> the fix it needs; empty: no page's query count grows with the data


def _counts_at(scale: float) -> dict[str, tuple[int, int, int]]:
    out = generate(scale=scale, seed=7)
    with pages_bench.bench_client() as client:
        pages, _ = main_pages(workspace=out.workspace, today=date.today())
        return pages_bench.query_counts(client, pages)


@pytest.mark.django_db
def test_each_main_page_runs_the_same_number_of_queries_whatever_the_size_of_the_history():
    small = _counts_at(SMALL)
    assert Post.objects.filter(profile__workspace__slug=BENCH_SLUG).count() == Sizes.for_scale(SMALL).posts
    larger = _counts_at(LARGER)
    # The larger brand has more accounts, posts and publications: an N+1 anywhere shows up as more queries.
    assert Post.objects.filter(profile__workspace__slug=BENCH_SLUG).count() == Sizes.for_scale(LARGER).posts
    assert TrackedProfile.objects.filter(workspace__slug=BENCH_SLUG).count() > 12
    assert {name: status for name, (_, status, _) in larger.items()} == dict.fromkeys(larger, 200)
    growing = {name for name in larger if larger[name] != small[name]}
    assert growing == set(KNOWN_N_PLUS_ONE), {name: (small[name], larger[name]) for name in growing}
    # The pages the team opens daily are all measured, and the warm repeat reads what the cold request read:
    # nothing but the database's buffers and Django's templates are warm.
    assert {"ideas", "connections", "metrics", "strategy", "SWOT", "audit inventory", "meeting agenda"} <= set(larger)
    assert {name: cold for name, (cold, _, _) in larger.items()} == {name: w for name, (_, _, w) in larger.items()}


@pytest.mark.django_db
def test_bench_data_replaces_the_bench_brand_and_leaves_other_workspaces_alone(workspace):
    kept = TrackedProfile.objects.create(workspace=workspace, platform="x", handle="acme")
    call_command("bench_data", scale=0.002, stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = (Post.objects.count(), DailySnapshot.objects.count(), Publication.objects.count())
    call_command("bench_data", scale=0.002, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Post.objects.count(), DailySnapshot.objects.count(), Publication.objects.count()) == first
    assert TrackedProfile.objects.filter(pk=kept.pk).exists()
    assert first[0] == Sizes.for_scale(0.002).posts


@pytest.mark.django_db
def test_bench_data_is_deterministic_for_a_seed():
    generate(scale=0.002, seed=3)
    first = list(Post.objects.order_by("external_id").values_list("external_id", "likes", "published_at"))
    generate(scale=0.002, seed=3)
    assert list(Post.objects.order_by("external_id").values_list("external_id", "likes", "published_at")) == first


def test_a_scale_of_zero_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="scale must be positive"):
        Sizes.for_scale(0)


@pytest.mark.django_db
def test_the_floor_page_needs_a_login():
    generate(scale=0.002)
    with override_settings(ROOT_URLCONF=pages_bench.BENCH_URLCONF):
        response = Client().get("/bench/floor/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_the_bench_command_writes_each_page_ratio_to_the_floor(tmp_path):
    generate(scale=0.002)
    out = tmp_path / "result.json"
    call_command("bench", requests=2, warmup=1, json_path=str(out), stdout=open("/dev/null", "w"))  # noqa: SIM115
    result = json.loads(out.read_text())
    by_name = {page["name"]: page for page in result["pages"]}
    assert {"dashboard", "audit report", "publishing feed", "connections"} <= set(by_name)
    assert all(page["status"] == 200 and page["cold_queries"] > 0 for page in result["pages"])
    # Cold first, in the JSON as in the table; each ratio is the page's median over the floor's, kind by kind.
    assert list(by_name["dashboard"])[2:4] == ["cold_median_ms", "cold_p95_ms"]
    floor = by_name[FLOOR]
    for page in result["pages"]:
        for kind in ("cold", "warm"):
            expected = round(page[f"{kind}_median_ms"] / floor[f"{kind}_median_ms"], 2)
            assert page[f"{kind}_x_floor"] == expected, (page["name"], kind)
    # Scale 0.002 has no budget: figures without a verdict.
    assert result["budget_x_floor"] is None and all(page["over_budget"] is None for page in result["pages"])


def _page(name, cold_ms, warm_ms, *, queries=5, floor_ms=10.0):
    page = {"name": name, "url": "/", "status": 200}
    for kind, ms in (("cold", cold_ms), ("warm", warm_ms)):
        page.update(
            {
                f"{kind}_median_ms": ms,
                f"{kind}_p95_ms": ms,
                f"{kind}_queries": queries,
                f"{kind}_sql_median_ms": 1.0,
                f"{kind}_x_floor": round(ms / floor_ms, 2),
            }
        )
    return page


def test_the_budget_is_on_the_cold_median_at_scale_1_and_at_scale_10():
    assert pages_bench.budget_for(1) == pages_bench.budget_for(10) == 3.0
    assert pages_bench.budget_for(0.5) is None
    # Over on the cold figure, well within it warm: over budget; the floor gets no verdict.
    pages = pages_bench.judge([_page(FLOOR, 10, 10), _page("slow", 31, 12), _page("fine", 30, 29)], 3.0)
    assert [p["over_budget"] for p in pages] == [None, True, False]
    lines = pages_bench.table(pages, 3.0).splitlines()
    assert lines[0].index("cold ms") < lines[0].index("warm ms")
    assert lines[2].startswith("slow") and lines[2].endswith("OVER BUDGET")
    assert lines[3].endswith(" ok")


def test_compare_warns_when_a_page_runs_more_queries_at_the_larger_scale(tmp_path):
    small = {"scale": 1, "pages": [_page(FLOOR, 10, 10), _page("ideas", 20, 18), _page("SWOT", 20, 18)]}
    large = {"scale": 10, "pages": [_page(FLOOR, 10, 10), _page("ideas", 25, 20, queries=9), _page("SWOT", 21, 19)]}
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(small))
    b.write_text(json.dumps(large))
    out = io.StringIO()
    call_command("bench", compare=[str(a), str(b)], stdout=out)
    warnings = [line for line in out.getvalue().splitlines() if line.startswith("WARNING")]
    assert warnings == [
        "WARNING: ideas: 5 cold queries at scale 1, 9 at scale 10: the count grows with the data",
        "WARNING: ideas: 5 warm queries at scale 1, 9 at scale 10: the count grows with the data",
    ]
    b.write_text(json.dumps(small | {"scale": 10}))
    out = io.StringIO()
    call_command("bench", compare=[str(a), str(b)], stdout=out)
    assert "WARNING" not in out.getvalue() and "same number of queries" in out.getvalue()


@pytest.mark.django_db
def test_the_generator_writes_six_hourly_pull_runs_per_profile_a_year_of_them_at_scale_1_some_failed():
    assert Sizes.for_scale(1).pull_run_days == Sizes.for_scale(10).pull_run_days == 365
    out = generate(scale=0.002)
    profiles = TrackedProfile.objects.filter(workspace=out.workspace)
    runs = PullRun.objects.filter(profile__in=profiles)
    assert runs.count() == profiles.count() * Sizes.for_scale(0.002).pull_run_days * 4
    failed = runs.exclude(status=PullRun.Status.SUCCESS)
    assert 0 < failed.count() < runs.count() * 0.05
    assert not runs.filter(status__in=PullRun.OPEN_STATUSES).exists()
    # Each profile's latest run succeeded.
    for profile in profiles:
        assert profile.pull_runs.order_by("-started_at").first().status == PullRun.Status.SUCCESS


@postgresql_only
@pytest.mark.django_db
def test_bench_data_workspaces_makes_isolated_copies_and_leaves_other_workspaces_alone(workspace):
    kept = TrackedProfile.objects.create(workspace=workspace, platform="x", handle="acme")
    generate_brands(scale=0.002, workspaces=3)
    brands = list(Workspace.objects.filter(slug__startswith=BENCH_SLUG).order_by("slug"))
    assert [(w.slug, w.name) for w in brands] == [
        ("bench-brand", "Bench Brand"),
        ("bench-brand-2", "Bench Brand 2"),
        ("bench-brand-3", "Bench Brand 3"),
    ]

    def rows(brand):
        return (
            Post.objects.filter(profile__workspace=brand).count(),
            PullRun.objects.filter(profile__workspace=brand).count(),
            Publication.objects.filter(workspace=brand).count(),
            Idea.objects.filter(workspace=brand).count(),
            Membership.objects.filter(workspace=brand).count(),
        )

    assert rows(brands[0]) == rows(brands[1]) == rows(brands[2])
    assert rows(brands[0])[0] == Sizes.for_scale(0.002).posts
    # Every row of a copy points at rows of the same copy, and its members are users of their own.
    copy = brands[2]
    assert not Publication.objects.filter(workspace=copy).exclude(profile__workspace=copy).exists()
    assert not Publication.objects.filter(workspace=copy).exclude(content_item__workspace=copy).exists()
    assert (
        not Idea.objects.filter(workspace=copy, content_item__isnull=False)
        .exclude(content_item__workspace=copy)
        .exists()
    )
    members = User.objects.filter(memberships__workspace=copy)
    assert bench_user_email("admin") not in set(members.values_list("email", flat=True))
    assert members.filter(email=copy_email(bench_user_email("admin"), 3)).exists()
    assert all(user.memberships.count() == 1 for user in members)
    assert User.objects.get(email=bench_user_email("admin")).memberships.get().workspace == brands[0]
    connection.check_constraints()  # the deferred foreign keys, checked now rather than at a commit
    # Again with fewer: the old copies go, the other workspace stays as it was.
    generate_brands(scale=0.002, workspaces=2)
    assert Workspace.objects.filter(slug__startswith=BENCH_SLUG).count() == 2
    assert not User.objects.filter(email=copy_email(bench_user_email("admin"), 3)).exists()
    assert TrackedProfile.objects.filter(pk=kept.pk).exists()
    assert Post.objects.count() == 2 * Sizes.for_scale(0.002).posts
    connection.check_constraints()


@pytest.mark.django_db
def test_the_ingestion_benchmark_pulls_and_bulk_inserts_the_same_rows_then_cleans_up():
    from accounts.models import Workspace
    from bench import ingest

    result = ingest.run(profiles=3, posts_per_profile=20)
    # 20 posts and one snapshot per profile, through the pull and again through the floor.
    assert result["pull_rows"] == result["floor_rows"] == 3 * 21
    assert result["ratio"] > 0
    assert not Workspace.objects.filter(slug=ingest.INGEST_SLUG).exists()
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_the_load_test_members_open_their_pages_and_their_writes_land_with_a_token_from_a_page():
    import re

    from bench.loadtest import shell_exports
    from calendar_app.models import ContentItem

    generate(scale=0.002)
    exports = dict(line.split("=", 1) for line in shell_exports().splitlines() if not line.startswith("export"))
    members = int(exports["BENCH_USERS"])
    assert members == 7  # one per team role
    roles = {exports[f"BENCH_ROLE_{i}"].strip("'") for i in range(1, members + 1)}
    assert {"admin", "executive", "content_lead"} <= roles
    ideas_before = Idea.objects.count()
    kinds = set()
    for i in range(1, members + 1):
        client = Client(enforce_csrf_checks=True)
        for part in exports[f"BENCH_COOKIE_{i}"].strip("'").split("; "):
            name, value = part.split("=", 1)
            client.cookies[name] = value
        paths = exports[f"BENCH_PATHS_{i}"].strip("'").split()
        assert "/" in paths and "/bench/floor/" not in paths
        pages = {path: client.get(path) for path in paths}
        assert {path: r.status_code for path, r in pages.items()} == dict.fromkeys(paths, 200)
        # The token wrk reads from the page the member just opened (the same pattern as bench/wrk_pages.lua).
        token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', pages["/"].content.decode()).group(1)
        for write in exports[f"BENCH_WRITES_{i}"].strip("'").split():
            path, body = write.split("|", 1)
            kinds.add(path.rstrip("/").rsplit("/", 1)[-1])
            response = client.post(
                path, data=f"csrfmiddlewaretoken={token}&{body}", content_type="application/x-www-form-urlencoded"
            )
            assert response.status_code in (200, 302, 400, 403), (path, response.status_code)
            assert response.status_code != 403 or b"CSRF" not in response.content, path
    assert {"new", "move", "approve"} <= kinds
    assert Idea.objects.count() > ideas_before
    assert ContentItem.objects.filter(workspace__slug=BENCH_SLUG, updated_at__gte=timezone.now() - timedelta(minutes=5))
