"""Reads for the report pages and the frozen figures the report builder gathers from metrics."""

from datetime import date, timedelta

from django.db.models import Exists, F, Max, OuterRef
from django.db.models.fields.json import KeyTransform

from common.numbers import ONE_DECIMAL, as_percent
from metrics.figures import Figures, combine, network_figures, network_followers_series, network_parts, period_bounds
from metrics.models import EntityNetwork, Post, TrackedProfile
from metrics.platforms import PLATFORM_COLOURS, Platform

from .models import MonthlyReport, ReportDelivery, ReportEmail


def _frozen(figures: Figures) -> dict:
    """A group of profiles' figures as the report freezes them, rounded by the one rule (common/numbers.py)."""
    return {
        "followers": figures.followers,
        "followers_start": figures.followers_start,
        "growth": figures.growth,
        "growth_pct": as_percent(figures.growth_rate, ONE_DECIMAL),
        "posts": figures.posts,
        "posts_per_week": round(figures.posts_per_week, ONE_DECIMAL),
        "engagement_rate_pct": as_percent(figures.engagement_rate),
    }


def metrics_figures(*, workspace, start: date, end: date, targets: dict[str, int]) -> dict:
    """Headline, per-network figures, the followers series and the top 5 posts of the brand's own profiles (active
    or stopped), all from metrics.figures (the one source: the roll-up per network) but the top posts, which are
    read from the posts."""
    profiles = list(TrackedProfile.objects.filter(workspace=workspace, is_own=True).only("pk", "platform"))
    brand = EntityNetwork.BRAND
    parts = network_parts(workspace=workspace, start=start, end=end, entities=[brand])
    by_network = network_figures(start=start, end=end, entities=[brand], parts=parts)
    days = (end - start).days + 1
    present = {profile.platform for profile in profiles}
    by_platform = {p: by_network.get((brand, p)) or Figures(days=days) for p in Platform.values if p in present}
    networks = []
    for platform in Platform:
        if platform.value not in by_platform:
            continue
        row = _frozen(by_platform[platform.value])
        row.update(
            platform=platform.value,
            label=platform.label,
            colour=PLATFORM_COLOURS[platform],
            target_posts_per_week=targets.get(platform.value),
        )
        networks.append(row)

    period = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    series = network_followers_series(start=start, end=end, entities=[brand], parts=parts)
    followers = {
        "labels": [d.isoformat() for d in period],
        "datasets": [
            {
                "label": n["label"],
                "colour": n["colour"],
                "data": [series.get((brand, n["platform"]), {}).get(d) for d in period],
            }
            for n in networks
        ],
    }

    since, until = period_bounds(workspace=workspace, start=start, end=end)
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
            "engagement_rate_pct": as_percent(post.engagement_rate),
        }
        for post in top
    ]
    return {
        "headline": _frozen(combine(by_platform.values(), days=days)),
        "networks": networks,
        "followers_series": followers,
        "top_posts": top_posts,
    }


def latest_reports(*, workspace, limit: int | None = None, headline_only: bool = False) -> list[MonthlyReport]:
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
    if headline_only:
        reports = reports.defer("data").annotate(headline=KeyTransform("headline", "data"))
    return [r for r in reports if (r.month, r.version) in wanted]


def latest_report_headlines(*, workspace, limit: int) -> list[MonthlyReport]:
    """`latest_reports` for a list that shows only each report's headline (the executive home).

    The frozen JSON of a report is large; only its "headline" key is read (as `headline`), the rest deferred."""
    reports = latest_reports(workspace=workspace, limit=limit, headline_only=True)
    return reports


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
