"""Reads of the outbox that pages share."""

from .models import QueuedAction


def unfinished_actions(*, workspace, names: list[str], key: str) -> dict:
    """The newest unfinished action of each subject, keyed by one of its arguments (`profile_id` -> action).

    One query over the workspace's unfinished rows, which are few: finished ones are most of the table.
    """
    rows = QueuedAction.objects.filter(workspace=workspace, name__in=names, finished_at=None).order_by("created_at")
    return {action.arguments.get(key): action for action in rows}


def action_of(*, workspace, pk: int, names: list[str]) -> QueuedAction | None:
    """One of the workspace's actions of these kinds, finished or not; None for another workspace's."""
    return QueuedAction.objects.filter(workspace=workspace, pk=pk, name__in=names).first()
