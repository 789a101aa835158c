"""The competitors' part of the monthly report: the benchmark in brief, frozen as plain figures."""

from datetime import date

from .selectors import Figures, benchmark


def _row(name: str, is_brand: bool, f: Figures) -> dict:
    return {
        "name": name,
        "is_brand": is_brand,
        "missing": f.missing or "",
        "followers": f.followers,
        "growth_pct": None if f.growth_pct is None else round(f.growth_pct, 2),
        "posts": f.posts,
        "posts_per_week": round(f.posts_per_week, 2),
        "engagement_rate_pct": None if f.engagement_rate is None else round(f.engagement_rate * 100, 3),
        "interactions_per_post": None if f.interactions_per_post is None else round(f.interactions_per_post, 1),
        "share_of_posts_pct": None if f.share_of_posts is None else round(f.share_of_posts * 100, 1),
        "share_of_interactions_pct": None
        if f.share_of_interactions is None
        else round(f.share_of_interactions * 100, 1),
    }


def _average(avg) -> dict:
    return {
        "label": avg.label,
        "posts_per_week": None if avg.posts_per_week is None else round(avg.posts_per_week, 2),
        "engagement_rate_pct": None if avg.engagement_rate is None else round(avg.engagement_rate * 100, 3),
        "interactions_per_post": None if avg.interactions_per_post is None else round(avg.interactions_per_post, 1),
        "growth_pct": None if avg.growth_pct is None else round(avg.growth_pct, 2),
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
                    "network": post.profile.get_platform_display(),
                    "published_on": post.published_at.date().isoformat(),
                    "text": post.text[:160],
                    "engagement_rate_pct": None
                    if post.engagement_rate is None
                    else round(post.engagement_rate * 100, 2),
                    "interactions": post.interactions,
                    "permalink": post.permalink,
                }
            )
    return {
        "period_start": period_start.isoformat(),
        "period_end": period_end.isoformat(),
        "rows": [_row(e.name, e.is_brand, f) for e, f in overall.rows],
        "competitor_average": _average(overall.competitor_average),
        "landscape_average": _average(overall.landscape_average),
        "share_of_posts_pct": None if brand.share_of_posts is None else round(brand.share_of_posts * 100, 1),
        "share_of_interactions_pct": None
        if brand.share_of_interactions is None
        else round(brand.share_of_interactions * 100, 1),
        "networks": [
            {
                "network": scope.label,
                "brand_engagement_rate_pct": None
                if scope.brand.engagement_rate is None
                else round(scope.brand.engagement_rate * 100, 3),
                "competitor_average_engagement_rate_pct": None
                if scope.competitor_average.engagement_rate is None
                else round(scope.competitor_average.engagement_rate * 100, 3),
                "brand_share_of_posts_pct": None
                if scope.brand.share_of_posts is None
                else round(scope.brand.share_of_posts * 100, 1),
            }
            for scope in bench.networks
        ],
        "best_posts": best,
    }
