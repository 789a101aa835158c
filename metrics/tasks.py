"""Celery tasks: thin wrappers that load rows and call the pull service; they own their retries.

Retries: the pull service records every failure and schedules the profile's next attempt in the database
(services._failure_plan; the waits are in metrics.refresh). A wait of at most refresh.MAX_COUNTDOWN is also
re-queued here as a Celery countdown, so that a short blip is retried within minutes; anything longer waits for
the beat fan-out (pull_due_profiles), never in the broker, where Redis would deliver it again after its
visibility timeout and run it twice.
"""

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from outbox.models import QueuedAction
from outbox.services import action_queue

from .connectors.base import ConnectorError
from .models import PullRun, TrackedProfile, never_available
from .refresh import MAX_COUNTDOWN, PROFILE_PULL_INTERVAL, QUICK_RETRIES
from .services import pull_run, pull_runs_reap

# The outbox's names for the pulls a person asks for (outbox/registry.py).
PULL_ACTIONS = ["metrics.pull_now", "metrics.backfill"]


@shared_task(bind=True, acks_late=True, max_retries=None)
def pull_profile(self, profile_id: int, kind: str = PullRun.Kind.SCHEDULED, backfill: bool = False):
    """Pull one profile (continuing its interrupted run, if any); failures are recorded, never raised."""
    profile = TrackedProfile.objects.select_related("workspace").filter(pk=profile_id, is_active=True).first()
    if profile is None or profile.needs_attention:
        return None
    if kind == PullRun.Kind.SCHEDULED and profile.pulls_are_stopped:
        return None  # a permanent outcome; "Pull now" and a backfill still try
    try:
        return pull_run(profile=profile, kind=kind, backfill=backfill).pk
    except ConnectorError as error:
        countdown = _short_wait(profile_id)
        # Bounded per message too: in eager mode (tests, CELERY_TASK_ALWAYS_EAGER) a retry runs at once.
        if countdown is not None and self.request.retries < QUICK_RETRIES:
            raise self.retry(exc=error, countdown=countdown) from error
        return None  # recorded on the run and the profile; the schedule in the database takes it from here


def _short_wait(profile_id: int) -> int | None:
    """Seconds until the service's retry of the profile's interrupted run, when that is soon enough."""
    now = timezone.now()
    retry_at = (
        PullRun.objects.filter(
            profile_id=profile_id,
            status__in=[PullRun.Status.INTERRUPTED, PullRun.Status.RATE_LIMITED, PullRun.Status.ABANDONED],
            retry_at__lte=now + MAX_COUNTDOWN,
        )
        .order_by("-started_at")
        .values_list("retry_at", flat=True)
        .first()
    )
    return max(1, round((retry_at - now).total_seconds())) if retry_at else None


@shared_task(acks_late=True)
def pull_due_profiles() -> int:
    """The periodic fan-out: queue one pull per active profile that is due (an interrupted run resumes). A
    competitor's account on a network that gives no other brand's figures is never due: not polled at all."""
    now = timezone.now()
    due = (
        TrackedProfile.objects.filter(is_active=True, needs_attention=False)
        .exclude(never_available())
        .with_pulls_running()
        .filter(Q(next_pull_at__isnull=True) | Q(next_pull_at__lte=now))
    )
    ids = list(due.values_list("pk", flat=True))
    # Claim them first, so the next beat tick does not queue them again while they wait in the queue.
    TrackedProfile.objects.filter(pk__in=ids).update(next_pull_at=now + PROFILE_PULL_INTERVAL)
    for profile_id in ids:
        pull_profile.delay(profile_id)
    return len(ids)


@shared_task(acks_late=True)
def reap_abandoned_pulls() -> int:
    """The periodic reaper: close the pull runs whose worker died, so that the next pull resumes them."""
    return pull_runs_reap()


def queue_pull(
    *, profile: TrackedProfile, kind: str = PullRun.Kind.MANUAL, backfill: bool = False, requested_by=None
) -> QueuedAction:
    """Record a pull that a person asked for; it reaches the task queue once the request's writes commit.

    Through the outbox: when the broker is down or frozen the pull stays recorded and the outbox's sweep hands it
    over when the broker is back; `dispatched_at` on the returned row says whether the queue took it already.
    """
    return action_queue(
        workspace=profile.workspace,
        name=PULL_ACTIONS[1] if backfill else PULL_ACTIONS[0],
        arguments={"profile_id": profile.pk, "kind": str(kind), "backfill": backfill},
        requested_by=requested_by,
    )


@shared_task(acks_late=True)
def refresh_expiring_tokens() -> int:
    """The periodic refresh of connected accounts' tokens before they expire (each platform call outside a transaction)."""
    from .services import credentials_refresh_due

    return credentials_refresh_due()
