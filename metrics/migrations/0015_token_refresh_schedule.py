"""The refresh of connected accounts' tokens, in django-celery-beat's tables like the other entries."""

from django.db import migrations

TASK = "metrics.tasks.refresh_expiring_tokens"
NAME = "Refresh expiring platform tokens"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # X's access tokens live 2 hours; the task renews those expiring within 75 minutes, so every 15 minutes is ample.
    every, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": TASK,
            "interval": every,
            "description": "Renews connected accounts' tokens before they expire; a refusal asks the admins to reconnect.",
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0014_credential_connected_through_oauth"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
