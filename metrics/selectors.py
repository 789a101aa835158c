"""Reads of metrics that pages and reports share, each in a fixed number of queries."""

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import (
    Avg,
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber, TruncWeek
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


def _one(queryset, field):
    return Subquery(queryset.values(field)[:1])


def _period_aggregate(since, until, expression, name):
    posts = (
        Post.objects.filter(profile=OuterRef("pk"), published_at__gte=since, published_at__lt=until)
        .order_by()
        .values("profile")
        .annotate(**{name: expression})
        .values(name)
    )
    return Subquery(posts)


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
    if not ids:
        return {}
    since, until = period_bounds(start, end)
    snapshots = DailySnapshot.objects.filter(profile=OuterRef("pk"))
    rows = (
        TrackedProfile.objects.filter(pk__in=ids)
        .annotate(
            followers_end=_one(snapshots.filter(date__lte=end).order_by("-date"), "followers"),
            followers_begin=Coalesce(
                _one(snapshots.filter(date__lte=start).order_by("-date"), "followers"),
                _one(snapshots.filter(date__gt=start, date__lte=end).order_by("date"), "followers"),
            ),
            period_posts=Coalesce(_period_aggregate(since, until, Count("pk"), "n"), 0, output_field=IntegerField()),
            period_rate=_period_aggregate(since, until, Avg("engagement_rate"), "rate"),
            period_interactions=_period_aggregate(since, until, Sum(F("interactions")), "total"),
            newest_post_at=_one(Post.objects.filter(profile=OuterRef("pk")).order_by("-published_at"), "published_at"),
        )
        .values(
            "pk",
            "followers_end",
            "followers_begin",
            "period_posts",
            "period_rate",
            "period_interactions",
            "newest_post_at",
        )
    )
    days = (end - start).days + 1
    result = {}
    for row in rows:
        end_f, begin_f, posts = row["followers_end"], row["followers_begin"], row["period_posts"]
        growth = end_f - begin_f if end_f is not None and begin_f is not None else None
        result[row["pk"]] = Performance(
            followers=end_f,
            followers_start=begin_f,
            growth=growth,
            growth_pct=(growth / begin_f * 100) if growth is not None and begin_f else None,
            posts=posts,
            posts_per_week=posts_per_week(posts, days),
            engagement_rate=row["period_rate"],
            interactions_per_post=(row["period_interactions"] / posts)
            if posts and row["period_interactions"] is not None
            else None,
            last_post_at=row["newest_post_at"],
        )
    return result


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
STALE_RUN_AFTER = timedelta(hours=6)


def top_and_flop(*, workspace, start: date, end: date, platform: str = "", limit: int = 20):
    """The period's best and worst posts by engagement rate (by followers), own accounts only.

    One scan of the period: each post is ranked from the best and, among the settled posts, from the
    worst; only the top `limit` and the `2 * limit` weakest rows are then loaded. The flop
    list then drops the posts that made the top (at most `limit`, so `2 * limit` always leave enough).
    """
    since, until = period_bounds(start, end)
    # A post younger than two days is still gathering engagement: too early to call it a flop.
    settled_before = timezone.now() - FLOP_MIN_AGE
    settled = Q(published_at__lt=settled_before)
    posts = Post.objects.filter(
        profile__workspace=workspace,
        profile__is_own=True,
        published_at__gte=since,
        published_at__lt=until,
        engagement_rate__isnull=False,
    )
    if platform:
        posts = posts.filter(profile__platform=platform)
    ranked = (
        posts.annotate(
            from_best=Window(RowNumber(), order_by=[F("engagement_rate").desc(), F("published_at").desc()]),
            from_worst=Window(
                RowNumber(),
                partition_by=[Case(When(settled, then=Value(True)), default=Value(False))],
                order_by=[F("engagement_rate").asc(), F("published_at").desc()],
            ),
        )
        .filter(Q(from_best__lte=limit) | (settled & Q(from_worst__lte=2 * limit)))
        .order_by()
        .values_list("pk", flat=True)
    )
    # Two steps: ranking narrow rows first, then loading only the chosen ones (at most 3 * limit).
    rows = list(Post.objects.filter(pk__in=list(ranked)).select_related("profile").order_by("-published_at"))
    # The same order as the ranking (stable sorts: ties on the rate keep the newer post first).
    top = sorted(rows, key=lambda p: p.engagement_rate, reverse=True)[:limit]
    top_ids = {p.pk for p in top}
    flop = [p for p in sorted(rows, key=lambda p: p.engagement_rate) if p.published_at < settled_before]
    return top, [p for p in flop if p.pk not in top_ids][:limit]


def running_backfills(*, profiles) -> dict[int, PullRun]:
    """The backfill in progress per profile, if any (one query)."""

    # A run left "running" by a worker that died long ago is not progress any more.
    runs = PullRun.objects.filter(
        profile__in=list(profiles),
        kind=PullRun.Kind.BACKFILL,
        status=PullRun.Status.RUNNING,
        started_at__gte=timezone.now() - STALE_RUN_AFTER,
    ).order_by("profile_id", "-started_at")
    result = {}
    for run in runs:
        result.setdefault(run.profile_id, run)
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
