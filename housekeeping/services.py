"""The clean-ups themselves; the daily tasks call them, and so can a shell."""

import logging
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from calendar_app.models import Publication, PublicationEvent
from metrics.models import PullRun
from metrics.pull_run_days import pull_runs_count_locked

log = logging.getLogger(__name__)

# Rows per DELETE: each batch is one short statement (and, in autocommit, one short transaction), so the nightly
# run never holds locks for long on tables the pulls and the publisher write all day.
BATCH_SIZE = 5_000

# The publisher's own lines in a publication's history: one per delivery attempt, by no person. The lines of
# people (created, edited, submitted, approvals, pauses, marked published) are the publication's record and stay.
DELIVERY_ATTEMPT_ACTIONS = ("sending", "retry", "no_answer")


@dataclass(frozen=True)
class CleanUp:
    login_attempts: int  # axes' counters whose cool-off is over
    login_records: int  # axes' logs of log-ins and failures older than LOGIN_RECORDS_KEEP_DAYS


def sessions_clear_expired() -> None:
    """Delete the expired sessions (what `manage.py clearsessions` does), for whichever session engine is set."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()


def login_records_clear_old() -> CleanUp:
    """Delete the lock counters whose cool-off is over and the login records past their keeping time."""
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lte=timezone.now() - settings.AXES_COOLOFF_TIME).delete()
    days = settings.LOGIN_RECORDS_KEEP_DAYS
    records = AxesProxyHandler.reset_logs(age_days=days) + AxesProxyHandler.reset_failure_logs(age_days=days)
    return CleanUp(login_attempts=attempts, login_records=records)


@dataclass(frozen=True)
class Pruned:
    pull_runs: int  # finished pull runs older than PULL_RUNS_KEEP_DAYS (their days keep their counts)
    delivery_attempts: int  # publishing's attempt lines of posts published before PUBLICATION_ATTEMPTS_KEEP_DAYS


def delete_in_batches(rows: QuerySet, *, batch_size: int = BATCH_SIZE) -> int:
    """Delete `rows` `batch_size` at a time, each batch one statement; returns how many went."""
    model, total = rows.model, 0
    while ids := list(rows.order_by("pk").values_list("pk", flat=True)[:batch_size]):
        _, by_model = model.objects.filter(pk__in=ids).delete()
        total += by_model.get(model._meta.label, 0)
    return total


def prunable_pull_runs(*, before) -> QuerySet:
    """Finished runs started before `before`, except each profile's latest success and latest other finished run.

    Open runs (running, interrupted, rate limited, abandoned, needing attention) are resumed: never pruned. So
    each profile keeps its latest run whatever its age (the connections page and the benchmark show it), its
    latest success (the pull starts its window from it: metrics.services._last_complete_pull_began) and its
    latest failure (what explains its health).
    """
    finished = PullRun.objects.exclude(status__in=PullRun.OPEN_STATUSES)
    newer = finished.filter(profile=OuterRef("profile")).filter(
        Q(started_at__gt=OuterRef("started_at")) | Q(started_at=OuterRef("started_at"), pk__gt=OuterRef("pk"))
    )
    success = Q(status=PullRun.Status.SUCCESS)
    return finished.filter(started_at__lt=before).filter(
        (success & Exists(newer.filter(success))) | (~success & Exists(newer.exclude(success)))
    )


def pull_runs_compact_and_delete(rows: QuerySet, *, batch_size: int = BATCH_SIZE) -> int:
    """Delete the pull runs `rows` in batches; returns how many went.

    Each run was added to its day (PullRunDay) when it ended (metrics/pull_run_days.py), so deleting it loses
    nothing. A run not counted yet (written outside a pull) is counted in the transaction that deletes it: a run is
    counted once, whether the prune runs twice or stops half-way.
    """
    total = 0
    while True:
        with transaction.atomic():
            batch = list(rows.order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not batch:
                return total
            pull_runs_count_locked(PullRun.objects.filter(pk__in=batch))
            PullRun.objects.filter(pk__in=batch).delete()
        total += len(batch)


def prunable_delivery_attempts(*, before) -> QuerySet:
    """The publisher's attempt lines of publications published before `before` (their outcome line stays)."""
    return PublicationEvent.objects.filter(
        action__in=DELIVERY_ATTEMPT_ACTIONS,
        actor__isnull=True,
        publication__status=Publication.Status.PUBLISHED,
        publication__published_at__lt=before,
    )


def old_records_prune(*, batch_size: int = BATCH_SIZE) -> Pruned:
    """Delete the pull runs (kept as daily counts) and delivery-attempt lines past their keeping time, in batches."""
    now = timezone.now()
    runs = pull_runs_compact_and_delete(
        prunable_pull_runs(before=now - timedelta(days=settings.PULL_RUNS_KEEP_DAYS)), batch_size=batch_size
    )
    attempts = delete_in_batches(
        prunable_delivery_attempts(before=now - timedelta(days=settings.PUBLICATION_ATTEMPTS_KEEP_DAYS)),
        batch_size=batch_size,
    )
    log.info(
        "Pruned %d pull run(s) older than %d days and %d delivery-attempt line(s) of posts published over %d days ago",
        runs,
        settings.PULL_RUNS_KEEP_DAYS,
        attempts,
        settings.PUBLICATION_ATTEMPTS_KEEP_DAYS,
    )
    return Pruned(pull_runs=runs, delivery_attempts=attempts)
