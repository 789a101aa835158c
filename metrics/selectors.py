"""Reads of metrics that pages and reports share, each in a fixed number of queries."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Avg, Count, F, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from .engagement import posts_per_week
from .models import DailySnapshot, Post, TrackedProfile


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


def profile_performance(*, profiles, start: date, end: date) -> dict[int, Performance]:
    """Figures per profile for the period [start, end], in one query whatever the number of profiles."""
    ids = [p.pk if isinstance(p, TrackedProfile) else p for p in profiles]
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
