"""Celery signal receivers of the outbox (connected in apps.py)."""

import logging

from django.db import connections

logger = logging.getLogger(__name__)


def hand_over_on_worker_start(sender=None, **kwargs) -> None:
    """A worker that starts hands over the actions that waited for the task queue (the same sweep beat runs)."""
    from .services import actions_hand_over_due

    try:
        handed = actions_hand_over_due()
    except Exception:
        # A worker must start even when the database is away; beat's sweep tries again every minute.
        logger.exception("The worker could not hand over the queued actions as it started")
    else:
        if handed:
            logger.info("Handed %s queued actions to the task queue as the worker started", handed)
    finally:
        # The pool's processes are forked from this one: they must not share its database connection.
        connections.close_all()
