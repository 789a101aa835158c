"""Celery beat prunes old pull runs and delivery-attempt lines once a night, after the clean-up (UTC)."""

from django.db import migrations

TASK = "housekeeping.tasks.prune_old_records"
NAME = "Prune old pull runs and delivery-attempt lines"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="47", hour="3", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
    )
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": TASK,
            "crontab": nightly,
            # A run that waited past the next night's is dropped: that one does the same work.
            "expire_seconds": 23 * 60 * 60,
            "description": "Deletes, 5,000 rows at a time, finished pull runs older than PULL_RUNS_KEEP_DAYS (each "
            "profile's latest run, success and failure stay) and the publisher's attempt lines of posts published "
            "more than PUBLICATION_ATTEMPTS_KEEP_DAYS ago.",
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("housekeeping", "0001_daily_clean_up_schedule")]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
