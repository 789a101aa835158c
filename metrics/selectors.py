"""Reads of metrics that pages and reports share, each in a fixed number of queries."""

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection
from django.db.models import (
    Avg,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Sum,
)
from django.db.models.functions import TruncWeek
from django.utils import timezone

from .engagement import posts_per_week
from .models import DailySnapshot, Post, PullRun, TrackedProfile


@dataclass(frozen=True)
class Performance:
    followers: int | None  # on the last day of the period (or the last known before it)
    followers_start: int | None
    growth: int | None
    growth_pct: float | None
    posts: int
    posts_per_week: float
    engagement_rate: float | None  # mean over the period's posts (metrics/engagement.py)
    interactions_per_post: float | None
    last_post_at: datetime | None  # the newest post ever, not only in the period


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00 UTC, the day after end 00:00 UTC): both days included."""
    return datetime.combine(start, time.min, tzinfo=UTC), datetime.combine(
        end + timedelta(days=1), time.min, tzinfo=UTC
    )


@dataclass(frozen=True)
class PostTotals:
    posts: int
    engagement_rate: float | None  # mean over the rated posts
    interactions: int | None


def period_post_totals(*, profile_ids, start: date, end: date) -> dict[int, PostTotals]:
    """Per profile: the period's posts, their mean engagement rate and their interactions, in one grouped
    scan. The post index covers these columns (metrics/models.py), so PostgreSQL reads only the index."""
    since, until = period_bounds(start, end)
    rows = (
        Post.objects.filter(profile_id__in=list(profile_ids), published_at__gte=since, published_at__lt=until)
        .order_by()
        .values("profile_id")
        .annotate(n=Count("*"), rate=Avg("engagement_rate"), total=Sum("interactions"))
        .values_list("profile_id", "n", "rate", "total")
    )
    return {pk: PostTotals(n, rate, total) for pk, n, rate, total in rows}


_LAST_COUNT = "SELECT s.followers FROM metrics_dailysnapshot s WHERE s.profile_id = p.id AND s.date <= %%s"
_FOLLOWER_ENDS_SQL = f"""
SELECT p.id,
    ({_LAST_COUNT} ORDER BY s.date DESC LIMIT 1),
    COALESCE(
        ({_LAST_COUNT} ORDER BY s.date DESC LIMIT 1),
        (SELECT s.followers FROM metrics_dailysnapshot s WHERE s.profile_id = p.id AND s.date > %%s AND s.date <= %%s
         ORDER BY s.date LIMIT 1)
    ),
    (SELECT u.published_at FROM metrics_post u WHERE u.profile_id = p.id ORDER BY u.published_at DESC LIMIT 1)
FROM metrics_trackedprofile p
WHERE p.id IN (%(ids)s)
"""  # noqa: S608 (fixed text: the tables are this app's; values are always parameters)


def _follower_ends(ids: list[int], *, start: date, end: date) -> list[tuple]:
    """(pk, followers_end, followers_begin, newest_post_at) per profile, in one query: the last count on or
    before each end (else, for the beginning, the first inside the period) and the newest post, each a one-row
    index lookup per profile.

    The SQL is written out: through the ORM its four correlated subqueries took longer to build than to run
    (about 1 ms a call, on every page that shows figures). It is plain SQL that SQLite runs too.
    """
    # Only the number of placeholders varies; every value goes as a parameter.
    sql = _FOLLOWER_ENDS_SQL % {"ids": ", ".join(["%s"] * len(ids))}
    posts = Post._meta.db_table
    start_value, end_value = (connection.ops.adapt_datefield_value(day) for day in (start, end))
    published_at = Post._meta.get_field("published_at").get_col(posts)
    converters = connection.ops.get_db_converters(published_at) + published_at.get_db_converters(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [end_value, start_value, start_value, end_value, *ids])
        rows = cursor.fetchall()
    result = []
    for pk, followers_end, followers_begin, newest_post_at in rows:
        for convert in converters:
            newest_post_at = convert(newest_post_at, published_at, connection)
        result.append((pk, followers_end, followers_begin, newest_post_at))
    return result


def _performance_of(
    *, followers_end, followers_begin, newest_post_at, totals: PostTotals | None, days: int
) -> Performance:
    posts = totals.posts if totals else 0
    interactions = totals.interactions if totals else None
    growth = followers_end - followers_begin if followers_end is not None and followers_begin is not None else None
    return Performance(
        followers=followers_end,
        followers_start=followers_begin,
        growth=growth,
        growth_pct=(growth / followers_begin * 100) if growth is not None and followers_begin else None,
        posts=posts,
        posts_per_week=posts_per_week(posts, days),
        engagement_rate=totals.engagement_rate if totals else None,
        interactions_per_post=(interactions / posts) if posts and interactions is not None else None,
        last_post_at=newest_post_at,
    )


# Pages ask for the same figures more than once per request (the team home's metrics, competitors and
# strategy panels): within a request, each profile's figures for a period are computed once. The memo
# lives only between request_started and request_finished (metrics/apps.py); elsewhere it is off.
_request_memo: ContextVar[dict | None] = ContextVar("metrics_performance_memo", default=None)


def performance_memo_start(**kwargs) -> None:
    _request_memo.set({})


def performance_memo_end(**kwargs) -> None:
    _request_memo.set(None)


def profile_performance(*, profiles, start: date, end: date) -> dict[int, Performance]:
    """Figures per profile for the period [start, end], in one query whatever the number of profiles."""
    ids = [p.pk if isinstance(p, TrackedProfile) else p for p in profiles]
    memo = _request_memo.get()
    if memo is None:
        return _profile_performance(ids, start, end)
    known = memo.setdefault((start, end), {})
    missing = [pk for pk in dict.fromkeys(ids) if pk not in known]
    if missing:
        figures = _profile_performance(missing, start, end)
        known.update({pk: figures.get(pk) for pk in missing})
    return {pk: known[pk] for pk in ids if known[pk] is not None}


def _profile_performance(ids: list[int], start: date, end: date) -> dict[int, Performance]:
    """Two queries: the follower counts at the period's ends, then one grouped scan of the period's posts."""
    if not ids:
        return {}
    rows = _follower_ends(ids, start=start, end=end)
    totals = period_post_totals(profile_ids=[row[0] for row in rows], start=start, end=end)
    days = (end - start).days + 1
    return {
        pk: _performance_of(
            followers_end=followers_end,
            followers_begin=followers_begin,
            newest_post_at=newest_post_at,
            totals=totals.get(pk),
            days=days,
        )
        for pk, followers_end, followers_begin, newest_post_at in rows
    }


def workspace_profiles(*, workspace, own_only: bool = False):
    profiles = TrackedProfile.objects.filter(workspace=workspace, is_active=True).order_by(
        "-is_own", "platform", "handle"
    )
    return profiles.filter(is_own=True) if own_only else profiles


def followers_series(*, profiles, start: date, end: date) -> dict[int, list[tuple[date, int]]]:
    """Daily followers per profile over [start, end], in one query."""
    series: dict[int, list[tuple[date, int]]] = {p.pk: [] for p in profiles}
    rows = (
        DailySnapshot.objects.filter(profile__in=list(series), date__gte=start, date__lte=end)
        .order_by("profile_id", "date")
        .values_list("profile_id", "date", "followers")
    )
    for profile_id, day, followers in rows:
        series[profile_id].append((day, followers))
    return series


def weekly_engagement(*, profiles, start: date, end: date) -> dict[int, dict[date, tuple[int, float | None]]]:
    """Per profile and week (Monday): (posts, mean engagement rate), in one aggregate query."""

    since, until = period_bounds(start, end)
    weeks: dict[int, dict[date, tuple[int, float | None]]] = {p.pk: {} for p in profiles}
    rows = (
        Post.objects.filter(profile__in=list(weeks), published_at__gte=since, published_at__lt=until)
        .annotate(week=TruncWeek("published_at"))
        .order_by()
        .values("profile_id", "week")
        .annotate(posts=Count("pk"), rate=Avg("engagement_rate"))
    )
    for row in rows:
        week = row["week"].date() if hasattr(row["week"], "date") else row["week"]
        weeks[row["profile_id"]][week] = (row["posts"], row["rate"])
    return weeks


FLOP_MIN_AGE = timedelta(days=2)


def top_and_flop(*, workspace, start: date, end: date, platform: str = "", limit: int = 20):
    """The period's best and worst posts by engagement rate (by followers), own accounts only, as dicts.

    Each list is one query: a top-N of the period's posts from the index that covers the columns ranked on
    (PostgreSQL keeps only the N best as it goes, never sorting the whole period), then only the chosen rows
    loaded with their account. The flop ranking takes `2 * limit` so that it still has `limit` posts once
    those that made the top are dropped. Three queries, whatever the number of posts.
    """
    since, until = period_bounds(start, end)
    # A post younger than two days is still gathering engagement: too early to call it a flop.
    settled_before = timezone.now() - FLOP_MIN_AGE
    profiles = TrackedProfile.objects.filter(workspace=workspace, is_own=True)
    if platform:
        profiles = profiles.filter(platform=platform)
    # The profiles as a list of ids, not a join: the ranking then filters index entries on a hashed list, and
    # the planner knows how many accounts it ranks (a subquery leaves it to guess from the table's size).
    posts = Post.objects.filter(
        profile_id__in=list(profiles.values_list("pk", flat=True)),
        published_at__gte=since,
        published_at__lt=until,
        engagement_rate__isnull=False,
    )
    fields = ["pk", "published_at", "text", "permalink", "media_type", "likes", "comments", "shares", "views"]
    fields += ["engagement_rate", "followers_at_posting"]

    def ranked(posts, *order, count):
        chosen = posts.order_by(*order).values("pk")[:count]
        rows = Post.objects.filter(pk__in=chosen).order_by(*order)
        return list(rows.values(*fields, platform=F("profile__platform"), handle=F("profile__handle")))

    top = ranked(posts, "-engagement_rate", "-published_at", count=limit)
    flop = ranked(posts.filter(published_at__lt=settled_before), "engagement_rate", "-published_at", count=2 * limit)
    shown = {row["pk"] for row in top}
    return top, [row for row in flop if row["pk"] not in shown][:limit]


def open_pull_runs(*, profiles) -> dict[int, PullRun]:
    """Per profile, its open run if it has one: running, or stopped half-way and waiting to resume (one query).

    A backfill wins over another open run of the same profile: its progress is what the page shows.
    """
    runs = PullRun.objects.filter(profile__in=list(profiles), status__in=PullRun.OPEN_STATUSES).order_by(
        "profile_id", "-started_at"
    )
    result: dict[int, PullRun] = {}
    for run in runs:
        shown = result.get(run.profile_id)
        if shown is None or (run.kind == PullRun.Kind.BACKFILL and shown.kind != PullRun.Kind.BACKFILL):
            result[run.profile_id] = run
    return result


def rate_by_views(*, profiles, start: date, end: date) -> dict[int, float]:
    """Own accounts only: mean of interactions ÷ views over the period's posts that have views (one query)."""

    since, until = period_bounds(start, end)
    rows = (
        Post.objects.filter(
            profile__in=[p.pk for p in profiles if p.is_own],
            published_at__gte=since,
            published_at__lt=until,
            views__gt=0,
        )
        .order_by()
        .values("profile_id")
        .annotate(
            rate=Avg(ExpressionWrapper(F("interactions") * 1.0 / F("views"), output_field=FloatField())),
        )
    )
    return {row["profile_id"]: row["rate"] for row in rows}


@dataclass(frozen=True)
class PullStatus:
    """Where a pull or backfill a person asked for stands, as the connections page follows it live.

    state: queued, running, done or failed; `final` once it will not move any more (polling stops).
    """

    state: str
    final: bool
    kind: str  # "pull" or "backfill"
    pages: int = 0
    posts: int = 0
    posts_expected: int | None = None
    reason: str = ""
    waiting_for_queue: bool = False  # the task queue has not taken it yet (the outbox hands it over later)
    resumes_at: datetime | None = None


def pull_run_for_action(*, action) -> PullRun | None:
    """The run the action's attempt claimed or joined: the profile's run that showed life since the action started."""
    if action.started_at is None:
        return None
    return (
        PullRun.objects.filter(
            profile_id=action.arguments.get("profile_id"),
            profile__workspace_id=action.workspace_id,
            heartbeat_at__gte=action.started_at,
        )
        .order_by("-heartbeat_at", "-pk")
        .first()
    )


def pull_status(*, action, run: PullRun | None) -> PullStatus:
    """The action's state, told by the pull run once a worker works on it.

    The task records a platform's refusal on the run and ends without raising, so the outbox says "done" for a
    pull that failed: the run's status is the truth then.
    """
    kind = "backfill" if action.arguments.get("backfill") else "pull"
    progress = {
        "pages": run.pages_done if run else 0,
        "posts": run.posts_done if run else 0,
        "posts_expected": run.posts_expected if run else None,
    }
    state = action.state
    if state in ("waiting", "queued", "retrying"):
        return PullStatus("queued", False, kind, waiting_for_queue=state == "waiting", **progress)
    if state == "running" or (run is not None and run.status == PullRun.Status.RUNNING and run.is_live):
        return PullStatus("running", False, kind, **progress)
    if state == "failed":
        return PullStatus("failed", True, kind, reason=action.last_error, **progress)
    if run is None or run.status == PullRun.Status.SUCCESS:
        return PullStatus("done", True, kind, **progress)
    reason = run.error_message or run.get_status_display()
    return PullStatus("failed", True, kind, reason=reason, resumes_at=run.retry_at, **progress)
