from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_celery_beat.models import PeriodicTask

from accounts.roles import Role
from reports.services import report_generate


@pytest.mark.django_db
def test_celery_beat_runs_the_monthly_reports_on_the_1st_at_six():
    task = PeriodicTask.objects.get(task="reports.tasks.send_monthly_reports")
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_month) == ("0", "6", "1")


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/reports/", "/"])
def test_report_pages_do_not_get_slower_with_more_reports(client_as, workspace, path):
    client = client_as(Role.EXECUTIVE)
    report_generate(workspace=workspace, month=date(2026, 1, 1))
    client.get(path)  # the first request also stores the chosen workspace in the session
    few = _queries(client, path)
    for month in range(2, 11):
        report_generate(workspace=workspace, month=date(2026, month, 1))
        report_generate(workspace=workspace, month=date(2026, month, 1))
    assert _queries(client, path) == few
