"""Celery beat runs the clean-up of expired sessions and old login records once a day, at night (UTC)."""

from django.db import migrations

TASK = "housekeeping.tasks.clean_up_expired"
NAME = "Clean up expired sessions and old login records"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="17", hour="3", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
    )
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": TASK,
            "crontab": nightly,
            # A run that waited past the next day's is dropped: that one does the same work.
            "expire_seconds": 23 * 60 * 60,
            "description": "Deletes expired sessions (clearsessions), finished login lock counters and login "
            "records older than LOGIN_RECORDS_KEEP_DAYS.",
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
