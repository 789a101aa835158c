"""The user actions a request may queue, by name, and the Celery task each one runs.

An explicit list: a name that is not here fails in the request that asks for it, never later in a worker.
Tasks are named by their dotted path and imported when used, so this module imports no app's tasks (they import
the outbox's services to queue themselves).
"""

from dataclasses import dataclass

from celery import Task
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Action:
    task: str  # the dotted path of the Celery task; the row's arguments are its keyword arguments
    label: str  # what the pages call it ("Pull queued, waiting for the task queue")


ACTIONS: dict[str, Action] = {
    "metrics.pull_now": Action(task="metrics.tasks.pull_profile", label="Pull"),
    "metrics.backfill": Action(task="metrics.tasks.pull_profile", label="Backfill"),
    "reports.send": Action(task="reports.tasks.send_report", label="E-mail"),
    # Not a person's click: the e-mails of notifications, queued with the writes of the event they tell about.
    "notifications.email": Action(task="notifications.tasks.send_notification_emails", label="Notification e-mail"),
}


class UnknownAction(LookupError):
    pass


def action(name: str) -> Action:
    try:
        return ACTIONS[name]
    except KeyError:
        raise UnknownAction(f"No queued action is named {name!r}: add it to outbox.registry.ACTIONS.") from None


def task_for(name: str) -> Task:
    return import_string(action(name).task)
