"""The one source of figures: every page, report, KPI and suggestion reads a profile's figures here.

Everything is read from the daily roll-up (metrics.ProfileDay, metrics/rollup.py), over periods of LOCAL days
of the workspace's time zone, each read in at most two queries whatever the number of profiles. Rates stay
fractions (0.0123); they are rounded only where shown or frozen, by common/numbers.py.

- a period: `standard_period` (the last 30 days: the same [start, end] on every page);
- one profile's figures over a period: `profile_figures` (followers at the end and at the start, growth, posts,
  interactions, engagement rate = the mean over the period's rated posts, impressions, rate by impressions);
- several profiles together: `combine` (sums, post-weighted rates);
- an entity's figures per network, summed over its profiles (`network_figures`, from the roll-up per entity and
  network, metrics.NetworkDay: two queries whatever the number of profiles), for the pages that show totals;
- the followers series summed by network or entity: each day's sum of the counts pulled that day
  (`followers_series`), or of each profile's last known count, per entity and network (`network_followers_series`,
  the roll-up per network's, as its figures count them);
- each profile's figures, followers day by day and weeks, for a page that charts them (`period_read`, four queries).
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import F, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from .engagement import posts_per_week
from .models import EntityNetwork, NetworkDay, ProfileDay, TrackedProfile, entity_key
from .network_days import entities_filter
from .rollup import local_bounds

STANDARD_DAYS = 30  # "the last 30 days": the default period of the homes, the benchmark, the audit, the SWOT


def today_in(workspace) -> date:
    return timezone.localdate(timezone=ZoneInfo(workspace.time_zone)) if workspace is not None else timezone.localdate()


def standard_period(*, workspace=None, days: int = STANDARD_DAYS, today: date | None = None) -> tuple[date, date]:
    """The last `days` local days, today included: [today - days + 1, today]."""
    end = today or today_in(workspace)
    return end - timedelta(days=days - 1), end


def period_bounds(*, workspace, start: date, end: date) -> tuple[datetime, datetime]:
    """The instants of the local days start..end: for the reads that stay on posts (top and flop, best posts)."""
    return local_bounds(ZoneInfo(workspace.time_zone), start, end)


@dataclass(frozen=True)
class Figures:
    """One profile's figures over a period, or several profiles' together (`combine`). Rates are fractions."""

    days: int
    followers: int | None = None  # at the end of the period (the last known count on or before its last day)
    followers_start: int | None = None  # on its first day (the last known on or before it, else the first inside)
    growth: int | None = None
    posts: int = 0
    interactions: int = 0
    rated_posts: int = 0
    rate_sum: float = 0.0
    impressions: int | None = None
    viewed_posts: int = 0
    view_rate_sum: float = 0.0
    last_post_on: date | None = None  # the local day of the newest post ever, not only in the period

    @property
    def growth_rate(self) -> float | None:
        if self.growth is None or not self.followers_start:
            return None
        return self.growth / self.followers_start

    @property
    def growth_pct(self) -> float | None:
        rate = self.growth_rate
        return None if rate is None else rate * 100

    @property
    def posts_per_week(self) -> float:
        return posts_per_week(self.posts, self.days)

    @property
    def interactions_per_post(self) -> float | None:
        return self.interactions / self.posts if self.posts else None

    @property
    def engagement_rate(self) -> float | None:
        """The mean of the period's posts' rates (metrics/engagement.py)."""
        return self.rate_sum / self.rated_posts if self.rated_posts else None

    @property
    def rate_by_impressions(self) -> float | None:
        """The mean of interactions / views over the period's posts that have views."""
        return self.view_rate_sum / self.viewed_posts if self.viewed_posts else None

    @property
    def has_figures(self) -> bool:
        return self.followers is not None or bool(self.posts) or self.last_post_on is not None


def _ids(profiles) -> list[int]:
    return list(dict.fromkeys(p if isinstance(p, int) else p.pk for p in profiles))  # profiles, rows or ids


def _with_ends(profiles: QuerySet, *, start: date, end: date) -> QuerySet:
    """`profiles` annotated with the follower counts at the period's ends and the newest post's day."""
    known = ProfileDay.objects.filter(profile=OuterRef("pk"), followers__isnull=False)

    def last_on(day):
        return Subquery(
            known.filter(date__lte=day).order_by("-date").values("followers")[:1], output_field=IntegerField()
        )

    first_inside = Subquery(
        known.filter(date__gt=start, date__lte=end).order_by("date").values("followers")[:1],
        output_field=IntegerField(),
    )
    newest = ProfileDay.objects.filter(profile=OuterRef("pk"), posts__gt=0).order_by("-date").values("date")[:1]
    return profiles.annotate(
        figures_end=last_on(end), figures_start=Coalesce(last_on(start), first_inside), figures_newest=Subquery(newest)
    )


SUMMED_COLUMNS = ("posts", "interactions", "rated_posts", "rate_sum", "impressions", "viewed_posts", "view_rate_sum")


def _period_sum_columns() -> dict:
    """A period's sums of a profile's days, as `_sums_of` reads them (a network's are added up by `_add_up`)."""
    return {name: Sum(name) for name in SUMMED_COLUMNS}


def _period_sums(ids: list[int], *, start: date, end: date) -> dict[int, dict]:
    return {
        row.pop("profile_id"): row
        for row in ProfileDay.objects.filter(profile_id__in=ids, date__gte=start, date__lte=end)
        .order_by()
        .values("profile_id")
        .annotate(
            **_period_sum_columns(),
        )
    }


def _sums_of(row: dict) -> dict:
    """A period's summed roll-up columns as Figures takes them (a missing sum is nothing yet, impressions unknown)."""
    return {
        "posts": row.get("posts") or 0,
        "interactions": row.get("interactions") or 0,
        "rated_posts": row.get("rated_posts") or 0,
        "rate_sum": row.get("rate_sum") or 0.0,
        "impressions": row.get("impressions"),
        "viewed_posts": row.get("viewed_posts") or 0,
        "view_rate_sum": row.get("view_rate_sum") or 0.0,
    }


def _figures(ends, sums: dict[int, dict], *, days: int) -> dict[int, Figures]:
    result = {}
    for pk, followers_end, followers_start, newest_day in ends:
        row = sums.get(pk, {})
        result[pk] = Figures(
            days=days,
            followers=followers_end,
            followers_start=followers_start,
            growth=followers_end - followers_start
            if followers_end is not None and followers_start is not None
            else None,
            **_sums_of(row),
            last_post_on=newest_day,
        )
    return result


def profile_figures(*, profiles, start: date, end: date) -> dict[int, Figures]:
    """Each profile's figures over [start, end] (local days), in two queries whatever the number of profiles:
    the follower counts at the period's ends with the newest post's day, then the period's sums."""
    ids = _ids(profiles)
    if not ids:
        return {}
    ends = _with_ends(TrackedProfile.objects.filter(pk__in=ids), start=start, end=end).values_list(
        "pk", "figures_end", "figures_start", "figures_newest"
    )
    return _figures(ends, _period_sums(ids, start=start, end=end), days=(end - start).days + 1)


def profiles_with_figures(profiles: QuerySet, *, start: date, end: date) -> tuple[list, dict[int, Figures]]:
    """The profiles `profiles` selects and their figures over [start, end], in two queries (a page that lists
    profiles does not read them a second time): the profiles with their ends, then the period's sums."""
    rows = list(_with_ends(profiles, start=start, end=end))
    ends = [(p.pk, p.figures_end, p.figures_start, p.figures_newest) for p in rows]
    sums = _period_sums([p.pk for p in rows], start=start, end=end) if rows else {}
    return rows, _figures(ends, sums, days=(end - start).days + 1)


def _sum_known(values) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def combine(figures: Iterable[Figures | None], *, days: int) -> Figures:
    """Several profiles as one: sums of followers, growth, posts and interactions; the rates weighted by posts
    (the mean over all their posts), because each rate is a sum over posts divided by a count of posts."""
    present = [f for f in figures if f is not None]
    return Figures(
        days=days,
        followers=_sum_known(f.followers for f in present),
        followers_start=_sum_known(f.followers_start for f in present),
        growth=_sum_known(f.growth for f in present),
        posts=sum(f.posts for f in present),
        interactions=sum(f.interactions for f in present),
        rated_posts=sum(f.rated_posts for f in present),
        rate_sum=sum(f.rate_sum for f in present),
        impressions=_sum_known(f.impressions for f in present),
        viewed_posts=sum(f.viewed_posts for f in present),
        view_rate_sum=sum(f.view_rate_sum for f in present),
        last_post_on=max((f.last_post_on for f in present if f.last_post_on), default=None),
    )


@dataclass(frozen=True)
class NetworkPart:
    """A group of the roll-up per entity and network (an entity's active, or stopped, profiles on one network) over
    a period: its figures, and its running followers day by day (what the charts draw, from the same rows)."""

    entity: str  # "brand" or "c<competitor pk>"
    platform: str
    active: bool
    figures: Figures
    followers_at_start: int | None  # at the end of its first day: its row that day, or the last one before
    followers_by_day: dict[date, int | None]  # the period's rows (None: nobody counted yet that day)


_DAY_COLUMNS = ("entity_network_id", "date", "followers", "followers_first", *SUMMED_COLUMNS)


def _add_up(days, *, start: date) -> tuple[dict[int, dict], dict[int, dict[date, int | None]]]:
    """The period's rows of each group, summed as SQL's SUM sums (a column no row has stays absent), the first
    counts of the profiles first counted after its first day (`first_inside`), and its running followers by day."""
    totals: dict[int, list] = {}
    followers_by_day: dict[int, dict[date, int | None]] = {}
    width = len(SUMMED_COLUMNS)
    for pk, day, followers, first, *values in days:
        followers_by_day.setdefault(pk, {})[day] = followers
        total = totals.get(pk)
        if total is None:
            total = totals[pk] = [0] + [None] * width
        if day > start:
            total[0] += first
        for i, value in enumerate(values, start=1):
            if value is not None:
                total[i] = value if total[i] is None else total[i] + value
    sums = {}
    for pk, (first_inside, *summed) in totals.items():
        sums[pk] = {"first_inside": first_inside} | {
            name: value for name, value in zip(SUMMED_COLUMNS, summed, strict=True) if value is not None
        }
    return sums, followers_by_day


def network_parts(*, workspace, start: date, end: date, entities: Iterable[str] | None = None) -> list[NetworkPart]:
    """Each group of the roll-up per entity and network (metrics.NetworkDay) with its figures over [start, end]
    and its followers day by day, in two queries whatever the number of profiles: the groups with the running
    followers at the period's start and the newest post's day, then the period's rows, added up here (a 30-day
    period is a few hundred rows; the charts need them one by one anyway); the followers at the end are the last
    of those rows', or the start's when the period has none. `entities`: "brand" and
    "c<competitor pk>" (all when None). Read once, then `network_figures(parts=...)` and
    `network_followers_series(parts=...)`.

    Followers at a day's end are each profile's last known count on or before it, summed; at the start, for a
    profile first counted inside the period, its first count: `profile_figures`' ends, added up."""
    groups = EntityNetwork.objects.filter(workspace=workspace)
    if entities is not None:
        groups = groups.filter(entities_filter(entities))
    days = NetworkDay.objects.filter(entity_network=OuterRef("pk"))

    rows = list(
        groups.annotate(
            start_followers=Subquery(days.filter(date__lte=start).order_by("-date").values("followers")[:1]),
            newest=Subquery(days.filter(posts__gt=0).order_by("-date").values("date")[:1]),
        )
        .order_by(F("competitor_id").asc(nulls_first=True), "platform", "active")
        .values_list("pk", "competitor_id", "platform", "active", "start_followers", "newest")
    )
    if not rows:
        return []
    sums, followers_by_day = _add_up(
        NetworkDay.objects.filter(entity_network_id__in=[r[0] for r in rows], date__gte=start, date__lte=end)
        .order_by()
        .values_list(*_DAY_COLUMNS),
        start=start,
    )
    period = (end - start).days + 1
    parts = []
    for pk, competitor_id, platform, active, start_followers, newest in rows:
        row, by_day = sums.get(pk, {}), followers_by_day.get(pk, {})
        # At the end: the period's last day the group has, or (none in the period) the last before it.
        followers = by_day[max(by_day)] if by_day else start_followers
        # Counted at the end: counted at the start, or first counted inside (followers is None: nobody yet).
        followers_start = None if followers is None else (start_followers or 0) + row.get("first_inside", 0)
        figures = Figures(
            days=period,
            followers=followers,
            followers_start=followers_start,
            growth=None if followers is None else followers - followers_start,
            **_sums_of(row),
            last_post_on=newest,
        )
        key = entity_key(competitor_id)
        parts.append(NetworkPart(key, platform, active, figures, start_followers, by_day))
    return parts


def _chosen(parts, *, workspace, start: date, end: date, entities, active_only: bool) -> list[NetworkPart]:
    """The parts of these entities (all when None), the active ones only with `active_only`: from `parts` when the
    caller has read them, otherwise read here (two queries)."""
    if parts is None:
        parts = network_parts(workspace=workspace, start=start, end=end, entities=entities)
    wanted = None if entities is None else set(entities)
    return [p for p in parts if (wanted is None or p.entity in wanted) and (p.active or not active_only)]


def network_figures(
    *,
    workspace=None,
    start: date,
    end: date,
    entities: Iterable[str] | None = None,
    active_only: bool = False,
    parts: list[NetworkPart] | None = None,
) -> dict[tuple[str, str], Figures]:
    """(entity, platform) -> the figures of the entity's profiles on that network over [start, end], equal to
    `combine` of their `profile_figures`: from `parts` when the caller has read them (`network_parts`), otherwise
    read here (two queries). `active_only` leaves the stopped profiles out (the benchmark does); a network whose
    profiles have no days yet is absent (its figures would be empty: `Figures(days=...)`)."""
    grouped: dict[tuple[str, str], list[Figures]] = {}
    chosen = _chosen(parts, workspace=workspace, start=start, end=end, entities=entities, active_only=active_only)
    for part in chosen:
        grouped.setdefault((part.entity, part.platform), []).append(part.figures)
    days = (end - start).days + 1
    return {key: combine(figures, days=days) for key, figures in grouped.items()}


def network_followers_series(
    *,
    workspace=None,
    start: date,
    end: date,
    entities: Iterable[str] | None = None,
    active_only: bool = False,
    parts: list[NetworkPart] | None = None,
) -> dict[tuple[str, str], dict[date, int]]:
    """(entity, platform) -> followers at each local day's end over [start, end]: each profile's last known count
    on or before the day, summed (the roll-up per network's running followers, the counts `network_figures` gives
    at the period's ends); days before any of them was counted are absent. From `parts` when the caller has read
    them for its figures, otherwise read here (two queries)."""
    series: dict[tuple[str, str], dict[date, int]] = {}
    chosen = _chosen(parts, workspace=workspace, start=start, end=end, entities=entities, active_only=active_only)
    for part in chosen:
        summed = series.setdefault((part.entity, part.platform), {})
        followers, day = part.followers_at_start, start
        while day <= end:
            followers = part.followers_by_day.get(day, followers)
            if followers is not None:
                summed[day] = summed.get(day, 0) + followers
            day += timedelta(days=1)
    return series


def without_impressions(figures: Figures) -> Figures:
    """The figures without the rate by impressions (a competitor's views are not comparable)."""
    return replace(figures, impressions=None, viewed_posts=0, view_rate_sum=0.0)


def followers_series(*, profiles, start: date, end: date, by: tuple[str, ...]) -> dict[tuple, dict[date, int]]:
    """Followers at each local day's end over [start, end], summed by the profile fields `by` (e.g.
    ("profile__platform",): key `(platform,)`), in one query; days without a count are absent. One profile's own
    series comes with its figures from `period_read`."""
    known = ProfileDay.objects.filter(
        profile_id__in=_ids(profiles), date__gte=start, date__lte=end, followers__isnull=False
    ).order_by()
    series: dict[tuple, dict[date, int]] = {}
    for *key, day, total in known.values_list(*by, "date").annotate(total=Sum("followers")):
        series.setdefault(tuple(key), {})[day] = total
    return series


@dataclass(frozen=True)
class PeriodRead:
    """What a page that charts each profile over a period reads: the profiles, their figures, their followers day by
    day (`followers[pk][day]`) and their weeks (`weekly[pk][monday] = (posts, engagement rate)`)."""

    profiles: list
    figures: dict[int, Figures]
    followers: dict[int, dict[date, int]]
    weekly: dict[int, dict[date, tuple[int, float | None]]]


def period_read(profiles: QuerySet, *, start: date, end: date) -> PeriodRead:
    """The profiles `profiles` selects with their figures, followers day by day and weeks over [start, end], in
    four queries whatever their number: the profiles with their follower counts at the period's ends, the period's
    sums (as `profile_figures`), the weeks' sums and the known follower counts. The sums are the database's: it
    adds up a quarter of day rows (3,500 at 39 profiles) faster than Python reads them."""
    rows = list(_with_ends(profiles, start=start, end=end))
    ids = [p.pk for p in rows]
    if not ids:
        return PeriodRead([], {}, {}, {})
    in_period = ProfileDay.objects.filter(profile_id__in=ids, date__gte=start, date__lte=end).order_by()
    followers: dict[int, dict[date, int]] = {pk: {} for pk in ids}
    for pk, day, count in in_period.filter(followers__isnull=False).values_list("profile_id", "date", "followers"):
        followers[pk][day] = count
    weekly: dict[int, dict[date, tuple[int, float | None]]] = {pk: {} for pk in ids}
    weeks = (
        in_period.annotate(week=TruncWeek("date"))
        .values_list("profile_id", "week")
        .annotate(posts=Sum("posts"), rated=Sum("rated_posts"), rate_sum=Sum("rate_sum"))
        .filter(posts__gt=0)
    )
    for pk, week, posts, rated, rate_sum in weeks:
        monday = week.date() if isinstance(week, datetime) else week
        weekly[pk][monday] = (posts, rate_sum / rated if rated else None)
    ends = [(p.pk, p.figures_end, p.figures_start, p.figures_newest) for p in rows]
    figures = _figures(ends, _period_sums(ids, start=start, end=end), days=(end - start).days + 1)
    return PeriodRead(rows, figures, followers, weekly)
