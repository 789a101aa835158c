from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail

from accounts.roles import Role
from reports.models import MonthlyReport, ReportDelivery, ReportEmail
from reports.services import recipient_add, report_generate, report_send
from reports.tasks import send_monthly_reports

from .conftest import OCTOBER


@pytest.mark.django_db
def test_the_task_on_the_1st_emails_last_months_report_once_even_when_it_runs_twice(
    workspace, october_data, make_member
):
    executive = make_member(Role.EXECUTIVE).user
    make_member(Role.ANALYST)  # the team reads it in the app, not by e-mail
    recipient_add(workspace=workspace, email="Board@Example.test", name="Board")

    with time_machine.travel(datetime(2026, 11, 1, 6, 0, tzinfo=UTC)):
        send_monthly_reports()
        send_monthly_reports()

    assert sorted(m.to[0] for m in mail.outbox) == sorted(["board@example.test", executive.email])
    assert MonthlyReport.objects.get(workspace=workspace).month == OCTOBER
    assert ReportDelivery.objects.filter(workspace=workspace, month=OCTOBER).count() == 1


@pytest.mark.django_db
def test_the_email_has_an_html_body_a_link_to_the_page_and_the_pdf(workspace, october_data, make_member, settings):
    settings.SITE_URL = "https://smm.example.test"
    make_member(Role.EXECUTIVE)
    report = report_generate(workspace=workspace, month=OCTOBER)

    report_send(report=report)

    (message,) = mail.outbox
    assert message.subject == "Acme on social media: October 2026"
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "https://smm.example.test/reports/2026-10/" in html
    assert "1,550" in html  # the followers headline
    assert "https://smm.example.test/reports/2026-10/" in message.body
    assert message.attachments[0][0] == "social-media-report-2026-10.pdf"


@pytest.mark.django_db
def test_sending_by_hand_after_the_schedule_does_not_email_again(client_as, workspace, october_data, make_member):
    make_member(Role.EXECUTIVE)
    report = report_generate(workspace=workspace, month=OCTOBER)
    report_send(report=report)
    client = client_as(Role.COORDINATOR)

    response = client.post(f"/reports/{report.slug}/send/", follow=True)

    assert len(mail.outbox) == 1
    assert "already sent" in response.content.decode()


@pytest.mark.django_db
def test_a_mail_server_that_is_down_leaves_everyone_not_sent_so_the_next_run_sends_it(
    workspace, october_data, make_member, settings
):
    make_member(Role.EXECUTIVE)
    report = report_generate(workspace=workspace, month=OCTOBER)
    settings.EMAIL_BACKEND = "reports.tests.failing_backend.FailingBackend"
    outcome = report_send(report=report)
    assert outcome.sent == [] and outcome.not_sent == 1
    assert "could not be reached" in outcome.failed[0][1]
    assert ReportEmail.objects.get().status == ReportEmail.Status.FAILED

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert report_send(report=report).complete
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_management_command_runs_the_same_job_for_a_chosen_month(workspace, october_data, make_member):
    from django.core.management import call_command

    make_member(Role.EXECUTIVE)
    call_command("send_monthly_reports", "--month", "2026-10", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("send_monthly_reports", "--month", "2026-10", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    assert MonthlyReport.objects.get(workspace=workspace).month == OCTOBER
