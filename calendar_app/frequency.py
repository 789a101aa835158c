"""Posting frequency: targets per network and the weeks that fall below them."""

from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Value
from django.db.models.functions import TruncWeek

from metrics.platforms import Platform
from strategy import selectors as strategy_selectors

from .models import FrequencyTarget, Publication

COUNTED = [
    Publication.Status.APPROVED,
    Publication.Status.SCHEDULED,
    Publication.Status.PUBLISHED,
    Publication.Status.PAUSED,
    Publication.Status.IN_REVIEW,
]


def target_posts_per_week(*, workspace) -> dict[str, int]:
    """platform value -> target posts per week: the strategy's network plan wins, the calendar's own targets fill
    gaps. One query for both (UNION ALL), the plan's rows last so that they win."""
    own = FrequencyTarget.objects.filter(workspace=workspace).values_list("platform", "posts_per_week", Value(0))
    planned = strategy_selectors.network_plans(workspace=workspace).values_list(
        "platform", "target_posts_per_week", Value(1)
    )
    rows = own.order_by().union(planned.order_by(), all=True)
    return {platform: target for platform, target, _ in sorted(rows, key=lambda row: row[2])}


def weeks_below_target(*, workspace, start: date, weeks: int) -> list[dict]:
    """For each week (Monday) from `start`, the networks planned below their target, in one query."""
    targets = target_posts_per_week(workspace=workspace)
    if not targets:
        return []
    zone = ZoneInfo(workspace.time_zone)
    monday = start - timedelta(days=start.weekday())
    begin = datetime.combine(monday, time(), tzinfo=zone)
    end = datetime.combine(monday + timedelta(weeks=weeks), time(), tzinfo=zone)
    # Counted in the database, one row per week and network, however many publications the weeks hold; COUNT(*)
    # and these columns only, so that the index publication_ws_scheduled answers it alone. The accounts are the
    # workspace's (as every publication's is): said to the planner, which otherwise hashed every workspace's
    # accounts for the network (3,900 with 100 workspaces in the database, for 150 posts).
    rows = (
        Publication.objects.filter(
            workspace=workspace,
            profile__workspace=workspace,
            status__in=COUNTED,
            scheduled_at__gte=begin,
            scheduled_at__lt=end,
        )
        .annotate(week=TruncWeek("scheduled_at", tzinfo=zone))
        .order_by()
        .values_list("week", "profile__platform")
        .annotate(n=Count("*"))
    )
    counts = Counter()
    for week, platform, n in rows:
        counts[(week.astimezone(zone).date(), platform)] += n
    result = []
    for n in range(weeks):
        week = monday + timedelta(weeks=n)
        short = [
            {"platform": p, "label": Platform(p).label, "planned": counts[(week, p)], "target": target}
            for p, target in sorted(targets.items())
            if counts[(week, p)] < target
        ]
        if short:
            result.append({"week": week, "networks": short})
    return result
