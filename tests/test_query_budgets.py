"""Query budgets: a page's SQL query count depends on what it shows, never on how much history the brand has."""

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings

from bench import pages_bench
from bench.data import BENCH_SLUG, Sizes, generate
from bench.pages import FLOOR, main_pages
from calendar_app.models import Publication
from metrics.models import DailySnapshot, Post, TrackedProfile

SMALL, LARGER = 0.002, 0.15
# Pages whose query count still grows with the data, with the fix their owners need; listed here so the
# test goes red both on a new N+1 and when one of these is fixed (then remove it from the list).
KNOWN_N_PLUS_ONE: dict[str, str] = {}  # page -> the fix it needs; empty: no page's query count grows with the data


def _counts_at(scale: float) -> dict[str, tuple[int, int, int]]:
    out = generate(scale=scale, seed=7)
    with pages_bench.bench_client() as client:
        pages, _ = main_pages(workspace=out.workspace, today=date.today())
        return pages_bench.query_counts(client, pages, workspace=out.workspace)


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
    assert by_name[FLOOR]["ratio"] == 1.0
    assert {"dashboard", "audit report", "publishing feed"} <= set(by_name)
    assert all(page["status"] == 200 and page["queries"] > 0 for page in result["pages"])


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
def test_the_load_test_session_opens_every_main_page():
    from bench.loadtest import shell_exports

    generate(scale=0.002)
    exports = dict(line.split("=", 1) for line in shell_exports().splitlines())
    client = Client()
    client.cookies["sessionid"] = exports["BENCH_SESSION"].strip("'")
    paths = exports["BENCH_PATHS"].strip("'").split()
    assert "/" in paths and "/bench/floor/" not in paths
    assert {path: client.get(path).status_code for path in paths} == dict.fromkeys(paths, 200)
