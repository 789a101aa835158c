"""Celery tasks: thin wrappers that load rows and call the pull service; they own their retries."""

import random

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from outbox.models import QueuedAction
from outbox.services import action_queue

from .connectors.base import ConnectorError, RateLimited, TransientError
from .models import PullRun, TrackedProfile
from .refresh import PROFILE_PULL_INTERVAL
from .services import pull_run

# The outbox's names for the pulls a person asks for (outbox/registry.py).
PULL_ACTIONS = ["metrics.pull_now", "metrics.backfill"]
MAX_TRANSIENT_RETRIES = 5
BACKOFF_BASE = 60  # seconds
BACKOFF_CAP = 3600


def backoff_with_jitter(retries: int) -> int:
    """Full jitter: anywhere up to an exponentially growing cap, so retries from many workers spread out."""
    return int(random.uniform(BACKOFF_BASE / 2, min(BACKOFF_CAP, BACKOFF_BASE * 2**retries)))


@shared_task(bind=True, acks_late=True, max_retries=None)
def pull_profile(self, profile_id: int, kind: str = PullRun.Kind.SCHEDULED, backfill: bool = False):
    """Pull one profile. Rate limits wait for the platform's reset; auth and not-found errors stop here."""
    profile = TrackedProfile.objects.filter(pk=profile_id, is_active=True).first()
    if profile is None or profile.needs_attention:
        return None
    try:
        return pull_run(profile=profile, kind=kind, backfill=backfill).pk
    except RateLimited as error:
        # Never before the reset time the platform gave; re-queued, never slept on inside the worker.
        raise self.retry(exc=error, countdown=max(1, int(error.retry_after or 900))) from error
    except TransientError as error:
        if self.request.retries >= MAX_TRANSIENT_RETRIES:
            return None
        raise self.retry(exc=error, countdown=backoff_with_jitter(self.request.retries)) from error
    except ConnectorError:
        return None  # recorded on the run and the profile (needs attention, not found, ...): retrying cannot help


@shared_task(acks_late=True)
def pull_due_profiles() -> int:
    """The periodic fan-out: queue one pull per active profile that is due."""
    now = timezone.now()
    due = TrackedProfile.objects.filter(is_active=True, needs_attention=False).filter(
        Q(next_pull_at__isnull=True) | Q(next_pull_at__lte=now)
    )
    ids = list(due.values_list("pk", flat=True))
    # Claim them first, so the next beat tick does not queue them again while they wait in the queue.
    TrackedProfile.objects.filter(pk__in=ids).update(next_pull_at=now + PROFILE_PULL_INTERVAL)
    for profile_id in ids:
        pull_profile.delay(profile_id)
    return len(ids)


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
