"""The roll-up per entity, network and local hour (metrics.NetworkHour): the group's rated posts of each hour of a
local day, summed again from the posts (never adjusted by deltas), so that the best times heatmap reads a few
thousand rows whatever the number of posts.

Written by metrics/network_days.py with the group's days, under the group's lock and in the same transaction: a
pull's page of posts (new or refreshed: the same upsert, then `rollup_posts`), `rollup_days`/`rollup_profile`, a
change of group (`network_days_regroup`) and `manage.py rollup_rebuild` (`network_days_rebuild`). A snapshot step
leaves the hours alone: it changes no post.
"""

from datetime import date
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import ExtractHour, TruncDate

from .models import EntityNetwork, NetworkHour, Post
from .post_upsert import upsert_rows

COLUMNS = ["entity_network_id", "date", "hour", "rated_posts", "rate_sum", "best_rate", "worst_rate"]
Figures = tuple[int, float, float, float]  # rated posts, their rates summed, the best, the worst
UNIQUE = ("entity_network_id", "date", "hour")


def hour_sums(members: Q, zone: ZoneInfo, days: set[date]) -> dict[tuple[date, int], Figures]:
    """{(local day, hour): Figures} of the rated posts matching `members` on `days`, one query (grouped by the
    database over the range from the first day to the last)."""
    from .rollup import local_bounds

    since, until = local_bounds(zone, min(days), max(days))
    rows = (
        Post.objects.filter(members, published_at__gte=since, published_at__lt=until, engagement_rate__isnull=False)
        .annotate(day=TruncDate("published_at", tzinfo=zone), local_hour=ExtractHour("published_at", tzinfo=zone))
        .order_by()
        .values_list("day", "local_hour")
        .annotate(
            rated=Count("pk"), rates=Sum("engagement_rate"), best=Max("engagement_rate"), worst=Min("engagement_rate")
        )
    )
    return {(day, hour): tuple(figures) for day, hour, *figures in rows if day in days}


def hours_rewrite(group: EntityNetwork, days: set[date], sums: dict[tuple[date, int], Figures]) -> int:
    """The group's hours of `days` as `sums` says (an hour gone from it is deleted); writes only the rows that
    change and returns how many."""
    stored = {
        (day, hour): (pk, tuple(figures))
        for pk, day, hour, *figures in NetworkHour.objects.filter(
            entity_network=group, date__gte=min(days), date__lte=max(days)
        ).values_list("pk", *COLUMNS[1:])
        if day in days
    }
    gone = [pk for key, (pk, _) in stored.items() if key not in sums]
    rows = [
        (group.pk, day, hour, *figures)
        for (day, hour), figures in sorted(sums.items())
        if stored.get((day, hour), (None, None))[1] != figures
    ]
    if gone:
        NetworkHour.objects.filter(pk__in=gone).delete()
    upsert_rows(NetworkHour, COLUMNS, UNIQUE, COLUMNS[3:], rows)
    return len(rows) + len(gone)
