"""Server time and SQL queries of each main page against the floor page, in one run on one database."""

import statistics
import subprocess
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date
from time import perf_counter

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import User
from accounts.workspace_cache import mark_changed

from .data import bench_user_email, bench_workspace
from .pages import FLOOR, Page, main_pages

BENCH_URLCONF = "bench.urls"


@dataclass
class PageResult:
    name: str
    url: str
    median_ms: float
    p95_ms: float
    queries: int
    sql_median_ms: float = 0.0
    ratio: float | None = None
    status: int = 200
    # The first request after a write to the workspace, when no cached read can serve it.
    cold_median_ms: float = 0.0
    cold_queries: int = 0
    cold_ratio: float | None = None


class _QueryCounter:
    """Counts queries and the time spent waiting for the database, so a slow page says where its time goes."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        started = perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += perf_counter() - started


@contextmanager
def bench_client(*, email: str | None = None):
    """A test client logged in as the Bench Brand admin, serving the project's URLs plus the floor page."""
    with override_settings(ROOT_URLCONF=BENCH_URLCONF, DEBUG=False):
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(email=email or bench_user_email("admin")))
        yield client


def _get(client: Client, url: str) -> tuple[float, int, int, float]:
    """-> (server ms, queries, status, ms spent in SQL)."""
    counter = _QueryCounter()
    with connection.execute_wrapper(counter):
        started = perf_counter()
        response = client.get(url)
        elapsed = perf_counter() - started
    return elapsed * 1000, counter.count, response.status_code, counter.seconds * 1000


def query_counts(client: Client, pages: list[Page], *, workspace) -> dict[str, tuple[int, int, int]]:
    """name -> (queries, status, queries when cold): each page right after a write, then again."""
    result = {}
    for page in pages:
        mark_changed(workspace.pk)
        _, cold_queries, _, _ = _get(client, page.url)
        _, queries, status, _ = _get(client, page.url)
        result[page.name] = (queries, status, cold_queries)
    return result


def run(*, requests: int = 30, warmup: int = 3, today: date | None = None, log=lambda message: None) -> dict:
    """Measure every main page and the floor, interleaved in rounds so drift hits them all alike."""
    workspace = bench_workspace()
    if workspace is None:
        raise LookupError("No Bench Brand workspace: run `manage.py bench_data --scale 1` first, or pass --scale.")
    today = today or timezone.localdate()
    with bench_client() as client:
        pages, missing = main_pages(workspace=workspace, today=today)
        for _ in range(warmup):
            for page in pages:
                _get(client, page.url)
        timings = {page.name: [] for page in pages}
        cold_timings = {page.name: [] for page in pages}
        sql_times = {page.name: [] for page in pages}
        queries, statuses, cold_queries = {}, {}, {}
        for round_no in range(requests):
            for page in pages:
                # Cold: as if a member had just saved something or a pull had just landed.
                mark_changed(workspace.pk)
                ms, cold_queries[page.name], _, _ = _get(client, page.url)
                cold_timings[page.name].append(ms)
                ms, count, status, sql_ms = _get(client, page.url)
                timings[page.name].append(ms)
                sql_times[page.name].append(sql_ms)
                queries[page.name], statuses[page.name] = count, status
            if (round_no + 1) % 10 == 0:
                log(f"round {round_no + 1}/{requests}")
    results = []
    for page in pages:
        values = sorted(timings[page.name])
        p95 = statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]
        results.append(
            PageResult(
                name=page.name,
                url=page.url,
                median_ms=round(statistics.median(values), 2),
                p95_ms=round(p95, 2),
                queries=queries[page.name],
                sql_median_ms=round(statistics.median(sql_times[page.name]), 2),
                status=statuses[page.name],
                cold_median_ms=round(statistics.median(cold_timings[page.name]), 2),
                cold_queries=cold_queries[page.name],
            )
        )
    floor = next(r for r in results if r.name == FLOOR)
    for r in results:
        r.ratio = round(r.median_ms / floor.median_ms, 2) if floor.median_ms else None
        r.cold_ratio = round(r.cold_median_ms / floor.median_ms, 2) if floor.median_ms else None
    return {"requests": requests, "warmup": warmup, "pages": [asdict(r) for r in results], "missing": missing}


def table(pages: list[dict], budget: float | None = None) -> str:
    lines = [
        f"{'page':<24} {'median ms':>10} {'p95 ms':>9} {'queries':>8} {'SQL ms':>7} {'x floor':>8}"
        f" {'cold ms':>8} {'cold q':>7} {'cold x':>7}  status"
    ]
    for p in pages:
        verdict = "" if budget is None or p["name"] == FLOOR else ("ok" if p["ratio"] <= budget else "OVER BUDGET")
        status = "" if p["status"] == 200 else f"HTTP {p['status']}"
        lines.append(
            f"{p['name']:<24} {p['median_ms']:>10.1f} {p['p95_ms']:>9.1f} {p['queries']:>8} {p['sql_median_ms']:>7.1f}"
            f" {p['ratio']:>8.2f} {p['cold_median_ms']:>8.1f} {p['cold_queries']:>7} {p['cold_ratio']:>7.2f}"
            f"  {status or verdict}"
        )
    return "\n".join(lines)


def git_commit() -> str:
    try:
        run_git = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False, cwd=settings.BASE_DIR
        )
    except OSError:
        return ""
    return run_git.stdout.strip()
