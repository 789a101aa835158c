"""Each connection's pull health over the last year: the runs still kept and, before them, their daily counts.

The nightly prune (housekeeping) turns pull runs older than PULL_RUNS_KEEP_DAYS into one PullRunDay per profile
and day, in the transaction that deletes them, so a run is counted either as a row or in its day, never both.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

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
    days: dict[date, DayHealth] = field(default_factory=dict)

    @property
    def runs(self) -> int:
        return sum(d.runs for d in self.days.values())

    @property
    def failed_days(self) -> list[DayHealth]:
        """Days on which at least one pull ended failed, newest first."""
        return sorted((d for d in self.days.values() if d.failed), key=lambda d: d.date, reverse=True)

    @property
    def failed_days_shown(self) -> list[DayHealth]:
        return self.failed_days[:FAILED_DAYS_SHOWN]

    def _day(self, day: date) -> DayHealth:
        return self.days.setdefault(day, DayHealth(date=day))


def pull_history(*, profiles: list[TrackedProfile], today: date, days: int = HISTORY_DAYS) -> dict[int, PullHistory]:
    """profile id -> its finished pulls per day (in the current time zone) since `days` ago, in two queries."""
    since = today - timedelta(days=days - 1)
    history = {p.pk: PullHistory(since=since) for p in profiles}
    if not history:
        return history
    for row in PullRunDay.objects.filter(profile_id__in=history, date__gte=since):
        day = history[row.profile_id]._day(row.date)
        day.runs += row.runs
        day.succeeded += row.succeeded
        day.failed += row.failed
        if row.failed and row.last_error_kind:
            day.error_kind = row.last_error_kind
    zone = timezone.get_current_timezone()
    success = Q(status=PullRun.Status.SUCCESS)
    live = (
        PullRun.objects.filter(profile_id__in=history, started_at__gte=datetime.combine(since, time(), tzinfo=zone))
        .exclude(status__in=PullRun.OPEN_STATUSES)
        .annotate(day=TruncDate("started_at", tzinfo=zone))
        .values("profile_id", "day")
        .annotate(
            runs=Count("pk"), succeeded=Count("pk", filter=success), error_kind=Max("error_kind", filter=~success)
        )
        .order_by()
    )
    for row in live:
        day = history[row["profile_id"]]._day(row["day"])
        day.runs += row["runs"]
        day.succeeded += row["succeeded"]
        day.failed += row["runs"] - row["succeeded"]
        day.error_kind = row["error_kind"] or day.error_kind
    return history
