"""When the brand's own posts do best: engagement by local hour of the week over the last 16 weeks (seed 002: there is
no universal best time to post; find your own). Read for the queue page's heatmap, with each hour's sample size.

One query whatever the number of posts: the database adds up the brand's hours of the period (metrics.NetworkHour,
each network's rated posts and their rates per local day and hour, written with the posts) by weekday and hour: at
most 24 rows a day and network, where grouping the posts themselves read 50,000 of them at scale 10 (76 ms).
The period starts at the beginning of the local hour 16 weeks ago (the roll-up's unit).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q, Sum
from django.db.models.functions import ExtractIsoWeekDay
from django.utils import timezone
from django.utils.dates import WEEKDAYS

from .models import NetworkHour

BEST_TIME_WEEKS = 16
MIN_POSTS = 3  # an hour with fewer posts says nothing yet: shown, never ranked
BEST_COUNT = 3


@dataclass(frozen=True)
class Hour:
    weekday: int  # 0 = Monday
    hour: int  # 0-23, local
    posts: int
    rate: float | None  # the mean engagement rate of its posts (a fraction)

    @property
    def counts(self) -> bool:
        return self.posts >= MIN_POSTS

    @property
    def label(self) -> str:
        """ "Tuesday 18:00"."""
        return f"{WEEKDAYS[self.weekday]} {self.hour:02d}:00"


def period_start(*, workspace, now=None) -> datetime:
    """The start of the local hour BEST_TIME_WEEKS weeks before `now` (in the workspace's zone)."""
    since = ((now or timezone.now()) - timedelta(weeks=BEST_TIME_WEEKS)).astimezone(ZoneInfo(workspace.time_zone))
    return since.replace(minute=0, second=0, microsecond=0)


@dataclass
class BestTimes:
    weeks: int
    posts: int = 0  # every post of the period with a rate
    grid: list[list[Hour]] = field(default_factory=list)  # grid[hour][weekday]
    best: list[Hour] = field(default_factory=list)  # the best hours with enough posts, best first
    top_rate: float | None = None  # the highest and lowest means among the hours that count (the heatmap's scale)
    low_rate: float | None = None


def best_times(*, workspace, platform: str = "", now=None) -> BestTimes:
    """The brand's own posts of the last BEST_TIME_WEEKS weeks (of one network if `platform`), by local hour of
    the week: how many, and their mean engagement rate."""
    since = period_start(workspace=workspace, now=now)
    hours = NetworkHour.objects.filter(entity_network__workspace=workspace, entity_network__competitor__isnull=True)
    if platform:
        hours = hours.filter(entity_network__platform=platform)
    rows = (
        # The range on the day is the index's; the first day's hours are kept from the hour 16 weeks ago on.
        hours.filter(Q(date__gt=since.date()) | Q(hour__gte=since.hour), date__gte=since.date())
        .annotate(weekday=ExtractIsoWeekDay("date"))
        .order_by()
        .values_list("weekday", "hour")
        .annotate(posts=Sum("rated_posts"), rates=Sum("rate_sum"))
    )
    cells = {
        (weekday - 1, hour): Hour(weekday - 1, hour, posts, rates / posts)
        for weekday, hour, posts, rates in rows
        if posts
    }
    result = BestTimes(weeks=BEST_TIME_WEEKS, posts=sum(c.posts for c in cells.values()))
    result.grid = [[cells.get((d, h), Hour(d, h, 0, None)) for d in range(7)] for h in range(24)]
    counted = sorted((c for c in cells.values() if c.counts and c.rate is not None), key=lambda c: -c.rate)
    result.best = counted[:BEST_COUNT]
    if counted:
        result.top_rate, result.low_rate = counted[0].rate, counted[-1].rate
    return result
