"""Celery tasks of the outbox: the sweep. (The claim around every queued action lives in task_base.py.)"""

from celery import shared_task

from .services import actions_hand_over_due


@shared_task(ignore_result=True)
def hand_over_queued_actions() -> int:
    """Beat, every minute: hand the task queue the queued actions it does not carry (never taken, or lost)."""
    return actions_hand_over_due()
