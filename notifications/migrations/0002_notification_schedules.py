"""Celery beat: the daily digest and the notifications that come from the calendar rather than from a click.

The digest and the follow-ups due are asked every hour: each workspace gets them by its own time zone's day and
digest hour (NOTIFICATIONS_DIGEST_HOUR), and a run that was missed is caught up by the next. The ambassadors' mail
goes on the 1st of each month (UTC).
"""

from django.db import migrations

ENTRIES = [
    {
        "name": "E-mail the daily notification digests",
        "task": "notifications.tasks.send_daily_digests",
        "crontab": {"minute": "10", "hour": "*", "day_of_month": "*"},
        "expire_seconds": 55 * 60,
        "description": "Each member gets one e-mail with their notifications waiting for the digest, once the "
        "digest hour (NOTIFICATIONS_DIGEST_HOUR) has passed in their workspace's time zone.",
    },
    {
        "name": "Notify the owners of follow-ups due today",
        "task": "stakeholders.tasks.remind_follow_ups_due",
        "crontab": {"minute": "2", "hour": "*", "day_of_month": "*"},
        "expire_seconds": 55 * 60,
        "description": "Each open follow-up due today (in its workspace's time zone) notifies its owner, once.",
    },
    {
        "name": "Send the ambassadors their monthly publications to relay",
        "task": "stakeholders.tasks.send_ambassador_monthly",
        "crontab": {"minute": "0", "hour": "8", "day_of_month": "1"},
        "expire_seconds": 23 * 60 * 60,
        "description": "On the 1st, each workspace's ambassadors are told the month's publications to relay and "
        "the texts ready to copy (seed 004's monthly staff mail), once a month.",
    },
]


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for entry in ENTRIES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            **entry["crontab"], day_of_week="*", month_of_year="*", timezone="UTC"
        )
        PeriodicTask.objects.get_or_create(
            name=entry["name"],
            defaults={
                "task": entry["task"],
                "crontab": crontab,
                "expire_seconds": entry["expire_seconds"],
                "description": entry["description"],
            },
        )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[e["name"] for e in ENTRIES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_notifications_and_preferences"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
