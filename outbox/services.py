"""Writes of the outbox: record a user action, hand it to the task queue, and the worker's claim and outcome.

The life of a row (outbox/README.md draws it): recorded by the request → handed to the task queue (dispatched) →
claimed by a worker for attempt n (running) → done or failed, or waiting for a retry that Celery holds. Whatever
the broker does, the row says where the action is, and the sweep hands over again whatever the queue no longer
carries. Every step is one conditional UPDATE on the row, so two processes doing the same step at the same moment
do it once, and no transaction or lock is held while the broker is called.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from kombu.exceptions import KombuError

from . import registry
from .models import QueuedAction

logger = logging.getLogger(__name__)

# What a broker that is down, frozen or full raises through kombu (connection refused, timeouts, a full disk under
# the embedded filesystem broker). Anything else is a bug and is left to fail loudly.
BROKER_ERRORS = (KombuError, OSError)
# The sweep hands over at most this many rows per run; the next run takes the rest.
SWEEP_BATCH = 500


def _due_for_hand_over(now: datetime) -> Q:
    """Rows the task queue should be carrying but may not be: never taken, or taken so long ago that nothing started
    it (the message was lost with a broker restarted without its data, or the queue took it without saying so)."""
    lost = now - settings.OUTBOX_LOST_AFTER
    return Q(finished_at=None, running_since=None) & (
        Q(dispatched_at=None) | (Q(dispatched_at__lt=lost) & (Q(not_before=None) | Q(not_before__lt=lost)))
    )


def action_queue(*, workspace, name: str, arguments: dict, requested_by=None) -> QueuedAction:
    """Record a user action and hand it to the task queue once the request's writes are committed.

    The row is the promise: when the queue does not take it now, the sweep (beat, and every worker as it starts)
    hands it over later. After the call (in a view, which runs in autocommit), `dispatched_at` says whether the
    queue took it during this request. The same action asked again while it still waits is not queued twice.
    """
    registry.action(name)  # an unknown name fails here, in the request that asks for it
    action = QueuedAction.objects.filter(
        workspace=workspace, name=name, arguments=arguments, started_at=None, finished_at=None
    ).first()
    if action is None:
        action = QueuedAction.objects.create(
            workspace=workspace, name=name, arguments=arguments, requested_by=requested_by
        )
    # robust: whatever goes wrong in the hand-over, the request has recorded the action and answers.
    transaction.on_commit(lambda: action_hand_over(action=action), robust=True)
    return action


def action_hand_over(*, action: QueuedAction) -> bool:
    """Send the action's message to the task queue: once, with the broker's tight timeouts and no retry loop.

    False when the queue did not take it (the row waits; the sweep tries again). The hand-over is taken by a
    conditional UPDATE first, so that a request and a sweep at the same moment send one message, not two. A
    broker that timed out may still apply the message later: the worker's claim makes that double run once.
    """
    action.refresh_from_db(fields=["dispatched_at", "not_before", "running_since", "finished_at", "attempts"])
    now = timezone.now()
    taken = QueuedAction.objects.filter(_due_for_hand_over(now), pk=action.pk, attempts=action.attempts).update(
        dispatched_at=now, dispatch_error=""
    )
    if not taken:  # already carried by the queue, running or finished: nothing to send
        return action.dispatched_at is not None or action.finished_at is not None
    try:
        registry.task_for(action.name).apply_async(
            kwargs=action.arguments,
            task_id=action.task_id,
            # The message carries the attempt it may start: a copy of an attempt that already ran is skipped.
            retries=action.attempts,
            retry=False,  # one try within the transport's timeouts; the sweep is the retry
            ignore_result=True,  # the row is the result; a result backend that is down must not hold the request
        )
    except BROKER_ERRORS as error:
        reason = f"{type(error).__name__}: {error}".strip()
        QueuedAction.objects.filter(pk=action.pk, dispatched_at=now).update(dispatched_at=None, dispatch_error=reason)
        action.dispatched_at, action.dispatch_error = None, reason
        logger.warning("The task queue did not take queued action %s (%s): %s", action.pk, action.name, reason)
        return False
    action.dispatched_at, action.dispatch_error = now, ""
    return True


def actions_hand_over_due() -> int:
    """The sweep (beat every minute, and each worker as it starts): hand over whatever the task queue does not carry.

    First the attempts whose worker died (running for longer than any attempt may run) are counted lost, then every
    row due for a hand-over is sent again. Stops at the first refusal: the broker is down, the next sweep tries.
    """
    now = timezone.now()
    dead = QueuedAction.objects.filter(finished_at=None, running_since__lt=now - settings.OUTBOX_ATTEMPT_LEASE)
    for action in dead:
        _attempt_lost(action=action)
    handed = 0
    for action in QueuedAction.objects.filter(_due_for_hand_over(now)).order_by("created_at")[:SWEEP_BATCH]:
        if not action_hand_over(action=action):
            break
        handed += 1
    return handed


def _attempt_lost(*, action: QueuedAction) -> None:
    """An attempt ran for longer than the time limit allows: its worker died (SIGKILL, a lost machine).

    Its number is given back, so that it runs again (the pull is idempotent), unless attempts were lost too often:
    then the action is failed with a reason, rather than killing a worker for ever.
    """
    same_attempt = QueuedAction.objects.filter(
        pk=action.pk, running_since=action.running_since, attempts=action.attempts, finished_at=None
    )
    if action.attempts_lost + 1 >= settings.OUTBOX_MAX_LOST_ATTEMPTS:
        same_attempt.update(
            running_since=None,
            attempts_lost=F("attempts_lost") + 1,
            finished_at=timezone.now(),
            outcome=QueuedAction.Outcome.FAILED,
            last_error=f"Stopped {action.attempts_lost + 1} times before it finished (worker killed or over the "
            "time limit): not run again.",
        )
        return
    same_attempt.update(
        running_since=None,
        attempts=F("attempts") - 1,
        attempts_lost=F("attempts_lost") + 1,
        dispatched_at=None,
        last_error="The worker running it stopped before it finished; it runs again.",
    )


# The worker's side, called by outbox.task_base.OutboxTask around each attempt of a queued action.


def action_start(*, action_id: int, attempt: int) -> datetime | None:
    """Claim attempt number `attempt` (0 for the first) before running it; None when it already ran or runs.

    The one rule that makes a message delivered twice run once: an attempt starts only when exactly `attempt`
    attempts started before it and none is running. Returns the claim's time, the token of this attempt.
    """
    now = timezone.now()
    claimed = QueuedAction.objects.filter(pk=action_id, finished_at=None, running_since=None, attempts=attempt).update(
        attempts=attempt + 1,
        running_since=now,
        started_at=Coalesce(F("started_at"), Value(now, output_field=DateTimeField())),
        not_before=None,
    )
    return now if claimed else None


def action_finish(*, action_id: int, claimed_at: datetime, error: str = "") -> None:
    """Record how the attempt claimed at `claimed_at` ended (an attempt taken over since writes nothing)."""
    changes = {"running_since": None, "finished_at": timezone.now()}
    if error:
        changes.update(outcome=QueuedAction.Outcome.FAILED, last_error=error)
    else:
        changes.update(outcome=QueuedAction.Outcome.DONE)
    QueuedAction.objects.filter(pk=action_id, running_since=claimed_at).update(**changes)


def action_wait_for_retry(*, action_id: int, claimed_at: datetime, error: str, due: datetime) -> None:
    """The task asked Celery to run it again at `due`: the retry's message waits in the queue until then, so the
    sweep leaves the row alone until the retry is overdue."""
    QueuedAction.objects.filter(pk=action_id, running_since=claimed_at).update(
        running_since=None, dispatched_at=timezone.now(), not_before=due, last_error=error
    )
