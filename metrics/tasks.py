"""Celery tasks: thin wrappers that load rows and call the pull service; they own their retries."""

import random

from celery import shared_task
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .connectors.base import ConnectorError, RateLimited, TransientError
from .models import PullRun, TrackedProfile
from .refresh import PROFILE_PULL_INTERVAL
from .services import pull_run

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


def queue_pull(*, profile: TrackedProfile, kind: str = PullRun.Kind.MANUAL, backfill: bool = False) -> None:
    """Queue a pull once the current transaction commits (the worker must see the rows)."""
    transaction.on_commit(lambda: pull_profile.delay(profile.pk, kind, backfill))
