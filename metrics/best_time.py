"""When the brand's own posts do best: engagement by local hour of the week over the last 16 weeks (seed 002: there is
no universal best time to post; find your own). Read for the queue page's heatmap, with each hour's sample size.

One query whatever the number of posts: the database groups the period's posts of the brand's own accounts by
local weekday and hour (the index post_profile_period, which leads with the profile, carries the time and the rate).
"""

from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay
from django.utils import timezone
from django.utils.dates import WEEKDAYS

from .models import Post, TrackedProfile

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
    zone = ZoneInfo(workspace.time_zone)
    since = (now or timezone.now()) - timedelta(weeks=BEST_TIME_WEEKS)
    own = TrackedProfile.objects.filter(workspace=workspace, is_own=True)
    if platform:
        own = own.filter(platform=platform)
    rows = (
        Post.objects.filter(profile_id__in=own.values("pk"), published_at__gte=since, engagement_rate__isnull=False)
        .annotate(weekday=ExtractIsoWeekDay("published_at", tzinfo=zone), hour=ExtractHour("published_at", tzinfo=zone))
        .order_by()
        .values_list("weekday", "hour")
        .annotate(posts=Count("pk"), rate=Avg("engagement_rate"))
    )
    cells = {(weekday - 1, hour): Hour(weekday - 1, hour, posts, rate) for weekday, hour, posts, rate in rows}
    result = BestTimes(weeks=BEST_TIME_WEEKS, posts=sum(c.posts for c in cells.values()))
    result.grid = [[cells.get((d, h), Hour(d, h, 0, None)) for d in range(7)] for h in range(24)]
    counted = sorted((c for c in cells.values() if c.counts and c.rate is not None), key=lambda c: -c.rate)
    result.best = counted[:BEST_COUNT]
    if counted:
        result.top_rate, result.low_rate = counted[0].rate, counted[-1].rate
    return result
