"""Server time and SQL queries of each main page against the floor page, in one run on one database.

Each round opens every page twice in a row. The first request of a page in a round comes right after another
page's requests: every read is computed (no application cache holds a page's data), and that is the **cold**
figure, the primary one, on which the budget is. The immediate repeat is the **warm** one, secondary: the
same reads, with PostgreSQL's buffers and Django's cached templates warm from the request before.
"""

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

from .data import bench_user_email, bench_workspace
from .pages import FLOOR, Page, main_pages

BENCH_URLCONF = "bench.urls"
# The budget: every main page's cold median at most this many times the floor's, at scale 1 and 10.
BUDGET = {1.0: 3.0, 10.0: 3.0}


def budget_for(scale: float | None) -> float | None:
    """The issue sets budgets at scales 1 and 10; other scales get the figures without a verdict."""
    return next((ratio for at, ratio in BUDGET.items() if scale and abs(scale - at) / at < 0.05), None)


@dataclass
class PageResult:
    """One page's figures; cold first (the budget's), then warm (the immediate repeat)."""

    name: str
    url: str
    cold_median_ms: float
    cold_p95_ms: float
    cold_queries: int
    cold_sql_median_ms: float
    cold_x_floor: float | None
    warm_median_ms: float
    warm_p95_ms: float
    warm_queries: int
    warm_sql_median_ms: float
    warm_x_floor: float | None
    status: int = 200
    over_budget: bool | None = None


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
    # As in production: DEBUG off, and so the demo journey off (the start-up refuses OAUTH_DEMO without DEBUG).
    with override_settings(ROOT_URLCONF=BENCH_URLCONF, DEBUG=False, OAUTH_DEMO=False):
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


def query_counts(client: Client, pages: list[Page]) -> dict[str, tuple[int, int, int]]:
    """name -> (cold queries, status, warm queries): each page after the others, then again at once.

    After one warm-up pass, as the benchmark's: a session's first visit to a page may store what it chose.
    """
    for page in pages:
        _get(client, page.url)
    result = {}
    for page in pages:
        _, cold, _, _ = _get(client, page.url)
        _, warm, status, _ = _get(client, page.url)
        result[page.name] = (cold, status, warm)
    return result


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]


def run(*, requests: int = 30, warmup: int = 3, today: date | None = None, only=(), log=lambda message: None) -> dict:
    """Measure every main page (or those named in `only`) and the floor, interleaved in rounds so drift hits
    them all alike."""
    workspace = bench_workspace()
    if workspace is None:
        raise LookupError("No Bench Brand workspace: run `manage.py bench_data --scale 1` first, or pass --scale.")
    today = today or timezone.localdate()
    with bench_client() as client:
        pages, missing = main_pages(workspace=workspace, today=today)
        if only:
            unknown = set(only) - {page.name for page in pages}
            if unknown:
                raise LookupError(f"No such page: {', '.join(sorted(unknown))}.")
            pages = [page for page in pages if page.name == FLOOR or page.name in only]
        for _ in range(warmup):
            for page in pages:
                _get(client, page.url)
        kinds = ("cold", "warm")
        ms = {(page.name, kind): [] for page in pages for kind in kinds}
        sql = {(page.name, kind): [] for page in pages for kind in kinds}
        queries, statuses = {}, {}
        for round_no in range(requests):
            for page in pages:
                # Cold: the page's first request of the round, after the other pages'; warm: the repeat.
                for kind in kinds:
                    elapsed, count, status, sql_ms = _get(client, page.url)
                    ms[page.name, kind].append(elapsed)
                    sql[page.name, kind].append(sql_ms)
                    queries[page.name, kind] = count
                    statuses[page.name] = max(statuses.get(page.name, 0), status)
            if (round_no + 1) % 10 == 0:
                log(f"round {round_no + 1}/{requests}")
    figures = {}
    for page in pages:
        for kind in kinds:
            values = sorted(ms[page.name, kind])
            figures[page.name, kind] = {
                "median_ms": round(statistics.median(values), 2),
                "p95_ms": round(_p95(values), 2),
                "queries": queries[page.name, kind],
                "sql_median_ms": round(statistics.median(sql[page.name, kind]), 2),
            }
    results = []
    for page in pages:
        row = {"name": page.name, "url": page.url}
        for kind in kinds:
            floor_ms = figures[FLOOR, kind]["median_ms"]
            mine = figures[page.name, kind]
            row.update({f"{kind}_{key}": value for key, value in mine.items()})
            row[f"{kind}_x_floor"] = round(mine["median_ms"] / floor_ms, 2) if floor_ms else None
        results.append(PageResult(**row, status=statuses[page.name]))
    return {
        "requests": requests,
        "warmup": warmup,
        "pages": [asdict(r) for r in results],
        "missing": missing,
    }


def judge(pages: list[dict], budget: float | None) -> list[dict]:
    """Mark each page over budget or not: its cold median against the floor's (no verdict without a budget)."""
    for page in pages:
        page["over_budget"] = (
            None
            if budget is None or page["name"] == FLOOR or page["cold_x_floor"] is None
            else page["cold_x_floor"] > budget
        )
    return pages


def table(pages: list[dict], budget: float | None = None) -> str:
    """Cold columns first (the budget's), warm after; the last column says ok / OVER BUDGET or the HTTP error."""
    lines = [
        f"{'page':<24} {'cold ms':>8} {'p95 ms':>8} {'queries':>7} {'SQL ms':>7} {'x floor':>7}"
        f" | {'warm ms':>8} {'p95 ms':>8} {'queries':>7} {'x floor':>7}  verdict"
        + (f" (budget {budget:g}x)" if budget else "")
    ]
    for p in pages:
        if p["status"] != 200:
            verdict = f"HTTP {p['status']}"
        elif p.get("over_budget") is None:
            verdict = ""
        else:
            verdict = "OVER BUDGET" if p["over_budget"] else "ok"
        lines.append(
            f"{p['name']:<24} {p['cold_median_ms']:>8.1f} {p['cold_p95_ms']:>8.1f} {p['cold_queries']:>7}"
            f" {p['cold_sql_median_ms']:>7.1f} {_x(p['cold_x_floor']):>7}"
            f" | {p['warm_median_ms']:>8.1f} {p['warm_p95_ms']:>8.1f} {p['warm_queries']:>7}"
            f" {_x(p['warm_x_floor']):>7}  {verdict}"
        )
    return "\n".join(lines)


def _x(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio:.2f}"


def compare(first: dict, second: dict) -> tuple[str, list[str]]:
    """Two result files side by side (cold figures) and the warnings: pages whose query counts differ."""
    a = {p["name"]: p for p in first["pages"]}
    b = {p["name"]: p for p in second["pages"]}
    label_a, label_b = (f"scale {r.get('scale') or 0:g}" for r in (first, second))
    lines = [
        f"{'page':<24} {label_a + ' cold ms':>16} {'x floor':>7} {'queries':>7}"
        f" | {label_b + ' cold ms':>16} {'x floor':>7} {'queries':>7}"
    ]
    warnings = []
    for name in [*a, *(n for n in b if n not in a)]:
        left, right = a.get(name), b.get(name)
        cells = []
        for p in (left, right):
            cells.append(
                "{:>16} {:>7} {:>7}".format(*(("-",) * 3))
                if p is None
                else f"{p['cold_median_ms']:>16.1f} {_x(p['cold_x_floor']):>7} {p['cold_queries']:>7}"
            )
        lines.append(f"{name:<24} {cells[0]} | {cells[1]}")
        if left is None or right is None:
            warnings.append(f"{name}: measured in only one of the two files")
            continue
        for kind in ("cold", "warm"):
            if left[f"{kind}_queries"] != right[f"{kind}_queries"]:
                warnings.append(
                    f"{name}: {left[f'{kind}_queries']} {kind} queries at {label_a}, "
                    f"{right[f'{kind}_queries']} at {label_b}: the count grows with the data"
                )
    return "\n".join(lines), warnings


def git_commit() -> str:
    try:
        run_git = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False, cwd=settings.BASE_DIR
        )
    except OSError:
        return ""
    return run_git.stdout.strip()
