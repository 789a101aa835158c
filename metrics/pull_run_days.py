"""Each profile's finished pull runs per day (PullRunDay), the one source of the connections page's pull health.

A run adds itself to its day when it ends (success, failure, given up, superseded), in the transaction that saves
its outcome and marks it `counted_in_day` (metrics/services.py). Runs that end otherwise (written by a script, the
bench data, a test, or an install before this table was kept per run) are added by `pull_runs_count`, which only
takes runs not counted yet: running it twice, or after a crash, counts nothing twice. The nightly prune
(housekeeping) then only deletes old runs, counting first any of them still uncounted.

A run's day is the local day, in its workspace's time zone, on which it started.
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from .models import PullRun, PullRunDay

BATCH_SIZE = 5_000
ENDED_STATUSES = frozenset(set(PullRun.Status) - PullRun.OPEN_STATUSES)


@dataclass(frozen=True)
class EndedRun:
    profile_id: int
    date: date
    status: str
    error_kind: str
    started_at: datetime


def ended_run(run: PullRun, *, zone: ZoneInfo) -> EndedRun:
    return EndedRun(run.profile_id, run.started_at.astimezone(zone).date(), run.status, run.error_kind, run.started_at)


def pull_run_day_add(*, run: PullRun, zone: ZoneInfo) -> None:
    """Add a run that has just ended to its day; called in the transaction that saved its outcome, after the
    platform answered (the day's row stays locked until that transaction commits)."""
    pull_runs_add_to_days([ended_run(run, zone=zone)])


def pull_runs_add_to_days(runs: list[EndedRun], *, day_model=PullRunDay) -> None:
    """Add ended runs to their days, creating the days' rows as needed; in the caller's transaction.

    The days' rows are locked (in one order, so two writers cannot deadlock); two writers creating the same day
    at once meet on the unique constraint, and the one that loses adds to the row the other created.
    """
    if not runs:
        return
    by_day: dict[tuple[int, date], list[EndedRun]] = {}
    for run in sorted(runs, key=lambda run: run.started_at):
        by_day.setdefault((run.profile_id, run.date), []).append(run)
    for attempt in range(2):
        try:
            with transaction.atomic():
                _add(by_day, day_model)
            return
        except IntegrityError:
            if attempt:
                raise


def _add(by_day: dict[tuple[int, date], list[EndedRun]], day_model) -> None:
    existing = {
        (d.profile_id, d.date): d
        for d in day_model.objects.select_for_update()
        .filter(profile_id__in={profile for profile, _ in by_day}, date__in={day for _, day in by_day})
        .order_by("profile_id", "date")
    }
    created, updated = [], []
    for key, day_runs in by_day.items():
        summary = existing.get(key)
        if summary is None:
            summary = day_model(profile_id=key[0], date=key[1])
            created.append(summary)
        else:
            updated.append(summary)
        for run in day_runs:
            _count(summary, run)
    day_model.objects.bulk_create(created)
    day_model.objects.bulk_update(
        updated, ["runs", "succeeded", "failed", "last_status", "last_error_kind", "last_started_at"]
    )


def _count(summary: PullRunDay, run: EndedRun) -> None:
    succeeded = run.status == PullRun.Status.SUCCESS
    summary.runs += 1
    summary.succeeded += succeeded
    summary.failed += not succeeded
    if _tells_the_day(summary, run, failed=not succeeded):
        summary.last_status, summary.last_error_kind = run.status, run.error_kind
        summary.last_started_at = run.started_at


def _tells_the_day(summary: PullRunDay, run: EndedRun, *, failed: bool) -> bool:
    """Whether `run` tells the day's health rather than the run the day holds: a failure over a success, then the
    one that started later."""
    if summary.last_started_at is None:
        return True
    held_failed = summary.last_status != PullRun.Status.SUCCESS
    if failed != held_failed:
        return failed
    return run.started_at >= summary.last_started_at


def pull_runs_count(runs: QuerySet | None = None, *, batch_size: int = BATCH_SIZE, day_model=PullRunDay) -> int:
    """Add the ended runs among `runs` (default: all) that are not counted yet to their days, a batch per
    transaction; returns how many were added. Idempotent: a counted run is never counted again.

    `runs` and `day_model` may be a migration's historical models."""
    rows = (PullRun.objects.all() if runs is None else runs).order_by("pk")
    total = 0
    while True:
        with transaction.atomic():
            added = pull_runs_count_locked(rows, limit=batch_size, day_model=day_model)
        if not added:
            return total
        total += added


def pull_runs_count_locked(runs: QuerySet, *, limit: int | None = None, day_model=PullRunDay) -> int:
    """Lock the ended runs among `runs` not counted yet (at most `limit`), add them to their days and mark them
    counted; in the caller's transaction. Returns how many were added."""
    uncounted = runs.filter(status__in=ENDED_STATUSES, counted_in_day=False).select_for_update(of=("self",))
    fields = ("pk", "profile_id", "profile__workspace__time_zone", "started_at", "status", "error_kind")
    batch = list(uncounted.values_list(*fields)[:limit] if limit else uncounted.values_list(*fields))
    if not batch:
        return 0
    zones: dict[str, ZoneInfo] = {}
    pull_runs_add_to_days(
        [
            EndedRun(
                profile_id,
                started_at.astimezone(zones.setdefault(zone, ZoneInfo(zone))).date(),
                status,
                kind,
                started_at,
            )
            for _, profile_id, zone, started_at, status, kind in batch
        ],
        day_model=day_model,
    )
    runs.model.objects.filter(pk__in=[run[0] for run in batch]).update(counted_in_day=True)
    return len(batch)
