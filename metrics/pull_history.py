"""Each connection's pull health over the last year: the runs still kept and, before them, their daily counts.

The nightly prune (housekeeping) turns pull runs older than PULL_RUNS_KEEP_DAYS into one PullRunDay per profile
and day, in the transaction that deletes them, so a run is counted either as a row or in its day, never both.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.db.models import Count, Max, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import PullRun, PullRunDay, TrackedProfile

HISTORY_DAYS = 365
FAILED_DAYS_SHOWN = 12


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
    pull, in at most four queries.

    A year of kept runs is tens of thousands of rows: they are not read day by day. One grouped query counts each
    profile's runs on the index (profile, -started_at); the failed days are read on the partial index of the
    runs that did not succeed (pullrun_profile_unsuccessful), and the successful pulls of only the failed days
    shown: a few rows however many pulls succeeded.
    """
    since = today - timedelta(days=days - 1)
    history = {p.pk: PullHistory(since=since) for p in profiles}
    if not history:
        return history
    for row in PullRunDay.objects.filter(profile_id__in=history, date__gte=since).order_by():
        entry = history[row.profile_id]
        entry.runs += row.runs
        day = entry._day(row.date)
        day.runs += row.runs
        day.succeeded += row.succeeded
        day.failed += row.failed
        if row.failed and row.last_error_kind:
            day.error_kind = row.last_error_kind
    zone = timezone.get_current_timezone()
    kept = PullRun.objects.filter(
        profile_id__in=history, started_at__gte=datetime.combine(since, time(), tzinfo=zone)
    ).exclude(status__in=PullRun.OPEN_STATUSES)
    for row in kept.values("profile_id").annotate(runs=Count("pk")).order_by():
        history[row["profile_id"]].runs += row["runs"]
    # The failed pulls, on the partial index of the runs that did not succeed: a few rows, however many succeeded.
    failed = (
        kept.exclude(status=PullRun.Status.SUCCESS)
        .annotate(day=TruncDate("started_at", tzinfo=zone))
        .values("profile_id", "day")
        .annotate(failed=Count("pk"), error_kind=Max("error_kind"))
        .order_by()
    )
    for row in failed:
        day = history[row["profile_id"]]._day(row["day"])
        day.failed += row["failed"]
        day.runs += row["failed"]
        day.error_kind = row["error_kind"] or day.error_kind
    # The successful pulls of the failed days the page shows: each day a short range of the index, in one query.
    shown = {(pk, d.date): d for pk, entry in history.items() for d in entry.failed_days_shown}
    if shown:
        failing_on: dict[date, list[int]] = {}
        for pk, day in shown:
            failing_on.setdefault(day, []).append(pk)
        ranges = Q()
        for day, pks in failing_on.items():  # one range per day (a few dozen), each for the profiles that failed then
            begins = datetime.combine(day, time(), tzinfo=zone)
            ranges |= Q(started_at__gte=begins, started_at__lt=begins + timedelta(days=1), profile_id__in=pks)
        succeeded = (
            PullRun.objects.filter(ranges, status=PullRun.Status.SUCCESS)
            .annotate(day=TruncDate("started_at", tzinfo=zone))
            .values("profile_id", "day")
            .annotate(runs=Count("pk"))
            .order_by()
        )
        for row in succeeded:
            day = shown.get((row["profile_id"], row["day"]))
            if day is not None:
                day.runs += row["runs"]
                day.succeeded += row["runs"]
    return history
