"""Each connection's pull health over the last year: the runs still kept and, before them, their daily counts.

The nightly prune (housekeeping) turns pull runs older than PULL_RUNS_KEEP_DAYS into one PullRunDay per profile
and day, in the transaction that deletes them, so a run is counted either as a row or in its day, never both.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import PullRun, PullRunDay, TrackedProfile

HISTORY_DAYS = 365
FAILED_DAYS_SHOWN = 12
DAY_AT_MOST = timedelta(hours=25)  # a local day, on the day the clocks go back


@dataclass
class DayHealth:
    date: date
    runs: int = 0
    succeeded: int = 0
    failed: int = 0
    error_kind: str = ""


@dataclass
class PullHistory:
    since: date
    runs: int = 0  # every finished pull since `since`
    days: dict[date, DayHealth] = field(default_factory=dict)  # the roll-up's days, and the kept runs' failed days

    @cached_property  # read several times per row by the page; asked once the days are all read
    def failed_days(self) -> list[DayHealth]:
        """Days on which at least one pull ended failed, newest first."""
        return sorted((d for d in self.days.values() if d.failed), key=lambda d: d.date, reverse=True)

    @property
    def failed_days_shown(self) -> list[DayHealth]:
        return self.failed_days[:FAILED_DAYS_SHOWN]

    def _day(self, day: date) -> DayHealth:
        return self.days.setdefault(day, DayHealth(date=day))


def pull_history(*, profiles: list[TrackedProfile], today: date, days: int = HISTORY_DAYS) -> dict[int, PullHistory]:
    """profile id -> its finished pulls since `days` ago, and its days (in the current time zone) with a failed
    pull, in at most five queries, none of which reads the pulls that succeeded.

    A year of kept runs is tens of thousands of rows. One COUNT(*) per profile is answered by the index
    (profile, -started_at) alone; the runs that did not succeed, a few rows, come from their partial index
    (pullrun_profile_unsuccessful); the failed days shown get their successful pulls as a count of a few index
    entries each, in one query (two when some of those days were compacted into PullRunDay).
    """
    since = today - timedelta(days=days - 1)
    history = {p.pk: PullHistory(since=since) for p in profiles}
    if not history:
        return history
    summaries: dict[tuple[int, date], int] = {}  # (profile, day) -> its PullRunDay
    compacted = PullRunDay.objects.filter(profile_id__in=history, date__gte=since).order_by()
    for pk, profile_id, on, runs, succeeded, failed, error_kind in compacted.values_list(
        "pk", "profile_id", "date", "runs", "succeeded", "failed", "last_error_kind"
    ):
        summaries[profile_id, on] = pk
        entry = history[profile_id]
        entry.runs += runs
        day = entry._day(on)
        day.runs += runs
        day.succeeded += succeeded
        day.failed += failed
        if failed and error_kind:
            day.error_kind = error_kind
    zone = timezone.get_current_timezone()
    window = PullRun.objects.filter(
        profile_id__in=history, started_at__gte=datetime.combine(since, time(), tzinfo=zone)
    ).order_by()
    # COUNT(*), not COUNT(id): the index alone answers it.
    for profile_id, runs in (
        window.values_list("profile_id").annotate(runs=Count("*")).values_list("profile_id", "runs")
    ):
        history[profile_id].runs += runs
    local_day = TruncDate("started_at", tzinfo=zone)
    # The runs that did not succeed, on their partial index: a few rows next to a year of successful pulls.
    # Open ones are among them: not finished, they come off the count.
    unsuccessful = (
        window.exclude(status=PullRun.Status.SUCCESS)
        .annotate(day=local_day)
        .values_list("profile_id", "day", "status", "error_kind", "pk")
    )
    open_on: dict[tuple[int, date], int] = {}
    failed_on: dict[tuple[int, date], list] = {}  # -> [failed, error kind, one of the day's failed runs]
    for profile_id, day_date, status, error_kind, pk in unsuccessful:
        if status in PullRun.OPEN_STATUSES:
            open_on[profile_id, day_date] = open_on.get((profile_id, day_date), 0) + 1
            history[profile_id].runs -= 1
        elif (profile_id, day_date) in failed_on:
            failed = failed_on[profile_id, day_date]
            failed[0] += 1
            failed[1] = max(failed[1], error_kind)
        else:
            failed_on[profile_id, day_date] = [1, error_kind, pk]
    for (profile_id, day_date), (failed, error_kind, _) in failed_on.items():
        day = history[profile_id]._day(day_date)
        day.failed += failed
        day.runs += failed
        day.error_kind = error_kind or day.error_kind
    # The successful pulls of the failed days the page shows, that the rows above do not count: each such day's
    # kept runs, counted around a time of that day (an anchor), less the failed and open ones counted above.
    # The anchor is one of the day's failed runs or, for a day already compacted, its PullRunDay (the prune keeps
    # each profile's newest runs, so such a day may still have kept ones).
    by_run, by_summary = {}, {}
    for profile_id, entry in history.items():
        for day in entry.failed_days_shown:
            key = (profile_id, day.date)
            if key in failed_on:
                by_run[failed_on[key][2]] = (key, day)
            else:
                by_summary[summaries[key]] = (key, day)
    for anchors, shown in (
        (PullRun.objects.filter(pk__in=by_run).annotate(at=F("started_at"), on=local_day), by_run),
        (PullRunDay.objects.filter(pk__in=by_summary).annotate(at=F("last_started_at"), on=F("date")), by_summary),
    ):
        if not shown:
            continue
        kept = anchors.annotate(kept=Subquery(_kept_runs_on_the_day_of_the_anchor(local_day)))
        for pk, runs in kept.order_by().values_list("pk", "kept"):
            key, day = shown[pk]
            succeeded = (runs or 0) - failed_on.get(key, [0])[0] - open_on.get(key, 0)
            day.runs += succeeded
            day.succeeded += succeeded
    return history


def _kept_runs_on_the_day_of_the_anchor(local_day):
    """The number of the anchor's profile's kept runs on its local day `on`, from the index range of the
    25 hours either side of its time `at` (a local day lasts at most 25 hours): a few index entries."""
    return (
        PullRun.objects.filter(
            profile_id=OuterRef("profile_id"),
            started_at__gt=OuterRef("at") - DAY_AT_MOST,
            started_at__lt=OuterRef("at") + DAY_AT_MOST,
        )
        .annotate(day=local_day)
        .filter(day=OuterRef("on"))
        .order_by()
        .values("profile_id")
        .annotate(runs=Count("*"))
        .values("runs")
    )
