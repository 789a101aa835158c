import threading
from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_celery_beat.models import PeriodicTask

from accounts.roles import Role
from reports.models import ReportDelivery
from reports.services import report_generate, report_send
from tests.markers import requires_postgres


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


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_month_at_once_send_it_once(workspace, make_member):
    make_member(Role.EXECUTIVE)
    report = report_generate(workspace=workspace, month=date(2026, 10, 1))
    start = threading.Barrier(2)
    results = []

    def worker():
        start.wait()
        try:
            results.append(report_send(report=report))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len([r for r in results if r is not None]) == 1
    assert ReportDelivery.objects.count() == 1
    assert len(mail.outbox) == 1
