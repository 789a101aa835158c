"""The migrations leave one beat entry per scheduled job, each naming a task a worker knows."""

import pytest
from django_celery_beat.models import PeriodicTask

from smm.celery import app

EXPECTED_TASKS = {
    "metrics.tasks.pull_due_profiles",
    "metrics.tasks.reap_abandoned_pulls",
    "calendar_app.publish_due_publications",
    "calendar_app.expire_stale_reviews",
    "reports.tasks.send_monthly_reports",
    "competitors.tasks.swot_quarterly_versions",
    "outbox.tasks.hand_over_queued_actions",
    "housekeeping.tasks.clean_up_expired",
    "housekeeping.tasks.prune_old_records",
}


@pytest.mark.django_db
def test_every_scheduled_job_has_an_enabled_beat_entry_for_a_registered_task():
    app.loader.import_default_modules()
    scheduled = {task.task for task in PeriodicTask.objects.filter(enabled=True)}
    assert scheduled >= EXPECTED_TASKS
    assert scheduled <= set(app.tasks), scheduled - set(app.tasks)


@pytest.mark.django_db
def test_swot_versions_are_scheduled_on_the_first_day_of_each_quarter():
    entry = PeriodicTask.objects.get(task="competitors.tasks.swot_quarterly_versions")
    assert (entry.crontab.day_of_month, entry.crontab.month_of_year, entry.crontab.hour) == ("1", "1,4,7,10", "6")


@pytest.mark.django_db
def test_expired_sessions_and_old_login_records_are_cleaned_up_every_night():
    entry = PeriodicTask.objects.get(task="housekeeping.tasks.clean_up_expired")
    assert entry.enabled
    assert (entry.crontab.minute, entry.crontab.hour, entry.crontab.day_of_month) == ("17", "3", "*")


@pytest.mark.django_db
def test_old_pull_runs_and_delivery_attempts_are_pruned_every_night_after_the_clean_up():
    entry = PeriodicTask.objects.get(task="housekeeping.tasks.prune_old_records")
    assert entry.enabled
    assert (entry.crontab.minute, entry.crontab.hour, entry.crontab.day_of_month) == ("47", "3", "*")
