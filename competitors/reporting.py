"""The competitors' part of the monthly report: the benchmark in brief, frozen as plain figures rounded by the
one rule (common/numbers.py, as reports/selectors.py freezes the brand's own); the template formats them."""

from datetime import date

from common.numbers import ONE_DECIMAL, as_percent, whole

from .selectors import Figures, benchmark


def _one_decimal(value: float | None) -> float | None:
    """Posts per week, and a growth already in percent, as every report freezes them."""
    return None if value is None else round(value, ONE_DECIMAL)


def _row(name: str, is_brand: bool, f: Figures) -> dict:
    return {
        "name": name,
        "is_brand": is_brand,
        "missing": f.missing or "",
        "followers": f.followers,
        "growth_pct": _one_decimal(f.growth_pct),
        "posts": f.posts,
        "posts_per_week": _one_decimal(f.posts_per_week),
        "engagement_rate_pct": as_percent(f.engagement_rate),
        "interactions_per_post": whole(f.interactions_per_post),
        "share_of_posts_pct": as_percent(f.share_of_posts),
        "share_of_interactions_pct": as_percent(f.share_of_interactions),
    }


def _average(avg) -> dict:
    return {
        "label": avg.label,
        "posts_per_week": _one_decimal(avg.posts_per_week),
        "engagement_rate_pct": as_percent(avg.engagement_rate),
        "interactions_per_post": whole(avg.interactions_per_post),
        "growth_pct": _one_decimal(avg.growth_pct),
    }


def report_section(*, workspace, period_start: date, period_end: date) -> dict | None:
    """The brand against its competitors over the period, all networks together; None without competitors."""
    bench = benchmark(workspace=workspace, start=period_start, end=period_end, with_series=False)
    if not bench.competitors:
        return None
    overall = bench.overall
    brand = overall.brand
    best = []
    for entity in bench.competitors:
        posts = bench.best_posts.get(entity.competitor.pk, [])
        if posts:
            post = posts[0]
            best.append(
                {
                    "competitor": entity.name,
                    "network": post["network"],
                    "published_on": post["published_at"].date().isoformat(),
                    "text": post["text"][:160],
                    "engagement_rate_pct": as_percent(post["engagement_rate"]),
                    "interactions": post["interactions"],
                    "permalink": post["permalink"],
                }
            )
    return {
        "period_start": period_start.isoformat(),
        "period_end": period_end.isoformat(),
        "rows": [_row(e.name, e.is_brand, f) for e, f in overall.rows],
        "competitor_average": _average(overall.competitor_average),
        "landscape_average": _average(overall.landscape_average),
        "share_of_posts_pct": as_percent(brand.share_of_posts),
        "share_of_interactions_pct": as_percent(brand.share_of_interactions),
        "networks": [
            {
                "network": scope.label,
                "brand_engagement_rate_pct": as_percent(scope.brand.engagement_rate),
                "competitor_average_engagement_rate_pct": as_percent(scope.competitor_average.engagement_rate),
                "brand_share_of_posts_pct": as_percent(scope.brand.share_of_posts),
            }
            for scope in bench.networks
        ],
        "best_posts": best,
    }
