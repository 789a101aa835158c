"""The Celery app. Broker and schedule come from settings (see CELERY_* in smm/settings.py)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smm.settings")

app = Celery("smm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
