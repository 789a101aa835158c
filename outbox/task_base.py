"""The project's Celery task class (smm/celery.py): a queued action's message runs its action at most once.

A message sent for a queued action has the task id `outbox-<pk>` (outbox.services.action_hand_over). Before the
task runs, the worker claims the row for the attempt the message carries (Celery's retry count); a copy of an
attempt that already ran or runs (a frozen broker that applied a push late, plus the sweep's) is acknowledged and
skipped. Afterwards the worker records how the attempt ended. Messages with any other id run exactly as before.

Imports of the app's modules wait until a task runs: Celery loads this class while the project is still starting.
"""

import logging
from datetime import timedelta

from celery import Task
from celery.exceptions import Ignore
from django.utils import timezone

logger = logging.getLogger(__name__)

TASK_ID_PREFIX = "outbox-"


def action_id_of(task_id: str | None) -> int | None:
    if not task_id or not task_id.startswith(TASK_ID_PREFIX):
        return None
    try:
        return int(task_id.removeprefix(TASK_ID_PREFIX))
    except ValueError:
        return None


class OutboxTask(Task):
    def before_start(self, task_id, args, kwargs):
        action_id = action_id_of(task_id)
        if action_id is None:
            return
        from .services import action_start

        claimed_at = action_start(action_id=action_id, attempt=self.request.retries)
        if claimed_at is None:
            logger.info("Queued action %s: attempt %s already ran or runs; this copy is skipped", action_id, task_id)
            raise Ignore()  # acknowledged, not run, no state stored
        # Kept on this attempt's request: only the attempt that claimed the row writes its outcome.
        self.request.outbox_claim = (action_id, claimed_at)

    def retry(
        self, args=None, kwargs=None, exc=None, throw=True, eta=None, countdown=None, max_retries=None, **options
    ):
        claim = getattr(self.request, "outbox_claim", None)
        limit = self.max_retries if max_retries is None else max_retries
        if claim is not None and (limit is None or self.request.retries < limit):
            # Recorded before Celery sends the retry's message, so that a worker taking it at once can claim it;
            # if the send fails, the row says "retrying" and the sweep sends it once it is overdue.
            from .services import action_wait_for_retry

            delay = countdown if countdown is not None else self.default_retry_delay
            due = eta or timezone.now() + timedelta(seconds=delay)
            action_wait_for_retry(action_id=claim[0], claimed_at=claim[1], error=_describe(exc), due=due)
        return super().retry(
            args=args, kwargs=kwargs, exc=exc, throw=throw, eta=eta, countdown=countdown, max_retries=max_retries,
            **options,
        )  # fmt: skip

    def on_success(self, retval, task_id, args, kwargs):
        self._finish(error="")
        super().on_success(retval, task_id, args, kwargs)

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        self._finish(error=_describe(exc))
        super().on_failure(exc, task_id, args, kwargs, einfo)

    def _finish(self, *, error: str) -> None:
        claim = getattr(self.request, "outbox_claim", None)
        if claim is None:
            return
        from .services import action_finish

        try:
            action_finish(action_id=claim[0], claimed_at=claim[1], error=error)
        except Exception:
            # The database went away after the action ran: the row stays "running" and the sweep runs it again
            # once the attempt is overdue; losing the worker's acknowledgement here would not be better.
            logger.exception("Queued action %s ran but its outcome could not be recorded", claim[0])


def _describe(exc) -> str:
    return f"{type(exc).__name__}: {exc}".strip() if exc is not None else "retried"
