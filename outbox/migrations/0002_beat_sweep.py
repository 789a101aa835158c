"""Celery beat hands the task queue, every minute, the queued actions it does not carry (outbox/README.md)."""

from django.db import migrations

TASK = "outbox.tasks.hand_over_queued_actions"
NAME = "Hand queued actions to the task queue"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": TASK,
            "interval": every,
            # A sweep that waited longer than a minute (no worker up) is dropped: the next one does the same work.
            "expire_seconds": 60,
            "description": "Sends the queued user actions that the task queue did not take, or lost, again.",
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_queued_actions"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
