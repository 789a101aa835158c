"""The reaper of abandoned pull runs, in django-celery-beat's tables like the fan-out, so the admin can change it."""

from django.db import migrations

TASK = "metrics.tasks.reap_abandoned_pulls"
NAME = "Reap abandoned metrics pulls"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # A run is abandoned after a few minutes without a heartbeat (metrics.refresh.heartbeat_stale_after).
    every, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": TASK,
            "interval": every,
            "description": "Closes pull runs whose worker died, so that the next pull resumes them from their cursor.",
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0007_pull_runs_resume"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
