"""Reads for the report pages and the frozen figures the report builder gathers from metrics."""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Exists, F, Max, OuterRef
from django.db.models.fields.json import KeyTransform

from metrics.models import DailySnapshot, Post, TrackedProfile
from metrics.platforms import PLATFORM_COLOURS, Platform
from metrics.selectors import period_bounds, profile_performance

from .models import MonthlyReport, ReportDelivery, ReportEmail


def _rate_pct(performances) -> float | None:
    """A period's engagement rate over several profiles: the mean over all their posts, in percent."""
    rated = [p for p in performances if p.engagement_rate is not None and p.posts]
    posts = sum(p.posts for p in rated)
    return round(sum(p.engagement_rate * p.posts for p in rated) / posts * 100, 2) if posts else None


def _totals(performances) -> dict:
    followers = [p.followers for p in performances if p.followers is not None]
    starts = [p.followers_start for p in performances if p.followers_start is not None]
    growth = [p.growth for p in performances if p.growth is not None]
    start_total = sum(starts)
    growth_total = sum(growth) if growth else None
    posts = sum(p.posts for p in performances)
    return {
        "followers": sum(followers) if followers else None,
        "followers_start": start_total if starts else None,
        "growth": growth_total,
        "growth_pct": round(growth_total / start_total * 100, 2) if growth_total is not None and start_total else None,
        "posts": posts,
        "posts_per_week": round(sum(p.posts_per_week for p in performances), 1),
        "engagement_rate_pct": _rate_pct(performances),
    }


def metrics_figures(*, workspace, start: date, end: date, targets: dict[str, int]) -> dict:
    """Headline, per-network figures, the followers series and the top 5 posts of the brand's own profiles."""
    profiles = list(TrackedProfile.objects.filter(workspace=workspace, is_own=True).only("pk", "platform"))
    performance = profile_performance(profiles=profiles, start=start, end=end)
    by_platform = defaultdict(list)
    for profile in profiles:
        if profile.pk in performance:
            by_platform[profile.platform].append(performance[profile.pk])
    networks = []
    for platform in Platform:
        if platform.value not in by_platform:
            continue
        row = _totals(by_platform[platform.value])
        row.update(
            platform=platform.value,
            label=platform.label,
            colour=PLATFORM_COLOURS[platform],
            target_posts_per_week=targets.get(platform.value),
        )
        networks.append(row)

    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    series = defaultdict(dict)
    snapshots = (
        DailySnapshot.objects.filter(profile__in=profiles, date__gte=start, date__lte=end)
        .values_list("profile__platform", "date", "followers")
        .order_by()
    )
    for platform, day, followers in snapshots:
        series[platform][day] = series[platform].get(day, 0) + followers
    followers_series = {
        "labels": [d.isoformat() for d in days],
        "datasets": [
            {"label": n["label"], "colour": n["colour"], "data": [series[n["platform"]].get(d) for d in days]}
            for n in networks
        ],
    }

    since, until = period_bounds(start, end)
    top = (
        Post.objects.filter(profile__in=profiles, published_at__gte=since, published_at__lt=until)
        .select_related("profile")
        .order_by(F("engagement_rate").desc(nulls_last=True), "-interactions", "pk")[:5]
    )
    top_posts = [
        {
            "network": post.profile.get_platform_display(),
            "colour": PLATFORM_COLOURS.get(post.profile.platform, "#6c757d"),
            "published_at": post.published_at.isoformat(),
            "text": post.text[:160],
            "permalink": post.permalink,
            "interactions": post.interactions,
            "engagement_rate_pct": None if post.engagement_rate is None else round(post.engagement_rate * 100, 2),
        }
        for post in top
    ]
    return {
        "headline": _totals([p for items in by_platform.values() for p in items]),
        "networks": networks,
        "followers_series": followers_series,
        "top_posts": top_posts,
    }


def latest_reports(*, workspace, limit: int | None = None) -> list[MonthlyReport]:
    """The newest version of each month's report, newest month first, in two queries."""
    newest = (
        MonthlyReport.objects.filter(workspace=workspace).values("month").annotate(v=Max("version")).order_by("-month")
    )
    if limit:
        newest = newest[:limit]
    wanted = {(row["month"], row["v"]) for row in newest}
    if not wanted:
        return []
    months = [m for m, _ in wanted]
    reports = MonthlyReport.objects.filter(workspace=workspace, month__in=months).order_by("-month", "-version")
    return [r for r in reports if (r.month, r.version) in wanted]


def latest_report_summary(*, workspace) -> MonthlyReport | None:
    """The newest version of the newest month, for the team home, in one query.

    It carries `headline` (the frozen headline figures) and `sent` (whether everyone on that month's e-mail got it);
    the rest of the frozen figures stays in the database.
    """
    delivered = ReportDelivery.objects.filter(workspace=OuterRef("workspace"), month=OuterRef("month"))
    unsent = ReportEmail.objects.filter(
        delivery__workspace=OuterRef("workspace"), delivery__month=OuterRef("month")
    ).exclude(status=ReportEmail.Status.SENT)
    return (
        MonthlyReport.objects.filter(workspace=workspace)
        .order_by("-month", "-version")
        .defer("data")
        .annotate(headline=KeyTransform("headline", "data"), sent=Exists(delivered) & ~Exists(unsent))
        .first()
    )


def report_for_month(*, workspace, month: date, version: int | None = None) -> MonthlyReport | None:
    reports = MonthlyReport.objects.filter(workspace=workspace, month=month)
    if version is not None:
        reports = reports.filter(version=version)
    return reports.order_by("-version").first()
