"""The monthly e-mail, recorded per recipient, through a real SMTP server: a failure part-way mails no one twice."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from accounts.roles import Role
from reports.models import SENDING_TIMEOUT, ReportDelivery, ReportEmail
from reports.services import recipient_add, report_generate, report_send
from tests.markers import requires_postgres

from .conftest import OCTOBER
from .smtp_server import SMTPServer

PEOPLE = [f"person{n}@board.test" for n in range(1, 6)]  # sorted: the order the e-mails go out


@pytest.fixture
def smtp(settings):
    """A mail server of the test's own, reached through Django's real SMTP backend."""
    server = SMTPServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield server
    server.stop()


@pytest.fixture
def october_report(workspace, october_data):
    for email in PEOPLE:
        recipient_add(workspace=workspace, email=email)
    return report_generate(workspace=workspace, month=OCTOBER)


def statuses() -> dict[str, str]:
    return dict(ReportEmail.objects.values_list("email", "status"))


@pytest.mark.django_db
def test_everyone_receives_the_report_once_and_each_is_recorded(smtp, october_report):
    outcome = report_send(report=october_report)

    assert outcome.sent == PEOPLE and outcome.complete
    assert smtp.recipients() == PEOPLE
    assert set(statuses().values()) == {"sent"}
    assert all(e.sent_at and e.attempts == 1 for e in ReportEmail.objects.all())


@pytest.mark.django_db
def test_a_server_that_gives_up_on_the_third_e_mail_leaves_the_rest_for_the_next_run(smtp, october_report):
    smtp.behaviour.faults = {3: "unavailable"}

    first = report_send(report=october_report)

    assert smtp.recipients() == PEOPLE[:2]
    assert first.sent == PEOPLE[:2] and first.not_sent == 3
    assert statuses() == {
        PEOPLE[0]: "sent",
        PEOPLE[1]: "sent",
        PEOPLE[2]: "failed",
        PEOPLE[3]: "pending",
        PEOPLE[4]: "pending",
    }
    error = ReportEmail.objects.get(email=PEOPLE[2]).last_error
    assert error.startswith("The mail server was not available (421 4.3.2 Service not available")

    second = report_send(report=october_report)

    assert second.sent == PEOPLE[2:] and second.already_sent == 2 and second.complete
    assert sorted(smtp.recipients()) == PEOPLE  # each person once, over both runs
    assert ReportEmail.objects.get(email=PEOPLE[2]).attempts == 2
    assert ReportEmail.objects.get(email=PEOPLE[0]).attempts == 1


@pytest.mark.django_db
def test_a_refused_address_does_not_stop_the_others_and_is_tried_again_alone(smtp, october_report):
    smtp.behaviour.faults = {3: "refuse"}

    first = report_send(report=october_report)

    assert smtp.recipients() == [PEOPLE[0], PEOPLE[1], PEOPLE[3], PEOPLE[4]]
    assert first.failed == [
        (
            PEOPLE[2],
            f"The mail server refused this address (550 5.1.1 <{PEOPLE[2]}>: Recipient address rejected: User unknown).",
        )
    ]
    second = report_send(report=october_report)
    assert second.sent == [PEOPLE[2]]
    assert sorted(smtp.recipients()) == PEOPLE


@pytest.mark.django_db
def test_a_run_after_everyone_received_it_sends_nothing(smtp, october_report):
    report_send(report=october_report)
    again = report_send(report=october_report)
    assert again.sent == [] and again.already_sent == 5 and again.complete
    assert len(smtp.received) == 5


@pytest.mark.django_db
def test_someone_added_after_the_month_went_out_gets_it_on_the_next_run_alone(smtp, october_report, workspace):
    report_send(report=october_report)
    recipient_add(workspace=workspace, email="late@board.test")
    assert report_send(report=october_report).sent == ["late@board.test"]
    assert len(smtp.received) == 6


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_month_at_once_send_each_e_mail_once(smtp, october_report):
    smtp.behaviour.delay = 0.15  # each e-mail takes a while, so the two runs overlap the whole time
    start, outcomes, errors = threading.Barrier(2), [], []

    def worker():
        try:
            start.wait()
            outcomes.append(report_send(report=october_report))
        except Exception as error:  # a crash must fail the test, not vanish in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(smtp.recipients()) == PEOPLE
    sent_by_each = [set(o.sent) for o in outcomes]
    assert sent_by_each[0].isdisjoint(sent_by_each[1]) and sent_by_each[0] | sent_by_each[1] == set(PEOPLE)
    assert ReportDelivery.objects.count() == 1
    assert set(ReportEmail.objects.values_list("attempts", flat=True)) == {1}


@pytest.mark.django_db
def test_an_e_mail_claimed_by_a_process_that_died_is_not_sent_again_but_shown_unknown(smtp, october_report, client_as):
    # What a SIGKILL during the SMTP call leaves: the claim committed, no outcome (tests/ has the real kill).
    report_send(report=october_report)
    ReportEmail.objects.filter(email=PEOPLE[1]).update(status="sending", sent_at=None, claimed_at=timezone.now())
    ReportEmail.objects.filter(email=PEOPLE[3]).update(status="pending", sent_at=None)

    assert report_send(report=october_report).sent == [PEOPLE[3]]
    assert ReportEmail.objects.get(email=PEOPLE[1]).status == "sending"

    client = client_as(Role.COORDINATOR)
    with time_machine.travel(timezone.now() + SENDING_TIMEOUT + timedelta(minutes=1)):
        page = client.get(f"/reports/{october_report.slug}/").content.decode()
        assert "Unknown" in page and f"Ask {PEOPLE[1]}" in page
        email = ReportEmail.objects.get(email=PEOPLE[1])
        client.post(f"/reports/{october_report.slug}/emails/{email.pk}/send-again/")
    assert ReportEmail.objects.get(email=PEOPLE[1]).status == "sent"
    assert smtp.recipients().count(PEOPLE[1]) == 2  # the first one may never have arrived: a person decided


# The report's page


@pytest.mark.django_db
def test_the_page_shows_who_received_it_who_did_not_and_why(
    smtp, october_report, client_as, django_capture_on_commit_callbacks
):
    smtp.behaviour.faults = {3: "unavailable"}
    client = client_as(Role.COORDINATOR)

    with django_capture_on_commit_callbacks(execute=True):  # the outbox hands the e-mailing to a worker
        client.post(f"/reports/{october_report.slug}/send/")
    page = client.get(f"/reports/{october_report.slug}/").content.decode()

    assert "queued to be e-mailed to 5 people" in page
    assert page.count('data-testid="delivery-sent"') == 2
    assert page.count('data-testid="delivery-failed"') == 1
    assert page.count('data-testid="delivery-pending"') == 2
    assert "The mail server was not available (421 4.3.2 Service not available" in page
    assert "Send to the rest (3)" in page

    smtp.behaviour.faults = {}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/reports/{october_report.slug}/send/")
    page = client.get(f"/reports/{october_report.slug}/").content.decode()
    assert "queued to be e-mailed to the rest" in page
    assert page.count('data-testid="delivery-sent"') == 5
    assert "Send to the rest (" not in page
    assert sorted(smtp.recipients()) == PEOPLE


@pytest.mark.django_db
def test_pressing_e_mail_it_again_after_everyone_got_it_sends_nothing(
    smtp, october_report, client_as, django_capture_on_commit_callbacks
):
    client = client_as(Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/reports/{october_report.slug}/send/")
    page = client.post(f"/reports/{october_report.slug}/send/", follow=True).content.decode()
    assert "already sent to everyone" in page
    assert len(smtp.received) == 5


@pytest.mark.django_db
def test_readers_do_not_see_the_recipients(smtp, october_report, client_as):
    report_send(report=october_report)
    page = client_as(Role.EXECUTIVE).get(f"/reports/{october_report.slug}/").content.decode()
    assert PEOPLE[0] not in page


@pytest.mark.django_db
def test_another_workspace_cannot_send_again_someone_elses_e_mail(smtp, october_report, client_as, other_workspace):
    report_send(report=october_report)
    email = ReportEmail.objects.first()
    report_generate(workspace=other_workspace, month=OCTOBER)
    client = client_as(Role.ADMIN, ws=other_workspace)
    response = client.post(f"/reports/{october_report.slug}/emails/{email.pk}/send-again/")
    assert response.status_code == 404
