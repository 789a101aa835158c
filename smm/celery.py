"""The Celery app. Broker and schedule come from settings (see CELERY_* in smm/settings.py)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smm.settings")

# Every task's class: a message that carries a queued user action (outbox/) claims the action's row before it
# runs, so that a message delivered twice runs the action once; other messages run as plain Celery tasks.
app = Celery("smm", task_cls="outbox.task_base:OutboxTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
