"""A worker killed with SIGKILL while the mail server holds an e-mail: that one person is never mailed again
blindly, and the next worker sends only to the people after them."""

import pytest

from reports.models import ReportEmail
from reports.services import recipient_add, report_generate
from tests.markers import requires_postgres
from tests.workers import client_app, kill_worker, start_worker, wait_for

from .conftest import OCTOBER
from .smtp_server import Behaviour, SMTPServer

PEOPLE = [f"person{n}@board.test" for n in range(1, 6)]
TASK = "reports.tasks.monthly_report_for_workspace"


def statuses() -> dict[str, str]:
    return dict(ReportEmail.objects.values_list("email", "status"))


@pytest.mark.fault
@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_during_the_third_e_mail_leaves_one_unknown_and_no_one_mailed_twice(
    private_redis,
    workspace,
    october_data,
):
    for email in PEOPLE:
        recipient_add(workspace=workspace, email=email)
    report_generate(workspace=workspace, month=OCTOBER)
    smtp = SMTPServer(Behaviour(faults={3: "hold"})).start()
    app = client_app(private_redis.url)
    worker = start_worker(private_redis.url, EMAIL_URL=smtp.url, name="killed")
    try:
        app.send_task(TASK, args=[workspace.pk, "2026-10"])
        wait_for(smtp.holding.is_set, timeout=120, what="the mail server to hold the third e-mail")
        output = kill_worker(worker)
        assert statuses() == {
            PEOPLE[0]: "sent",
            PEOPLE[1]: "sent",
            PEOPLE[2]: "sending",  # claimed, handed to the server, outcome never recorded
            PEOPLE[3]: "pending",
            PEOPLE[4]: "pending",
        }, output
        smtp.release()  # the server delivers what it held: the e-mail did leave, the worker never knew

        worker = start_worker(private_redis.url, EMAIL_URL=smtp.url, name="next")
        app.send_task(TASK, args=[workspace.pk, "2026-10"])
        wait_for(lambda: statuses()[PEOPLE[4]] == "sent", timeout=120, what="the next worker to send the rest")
    finally:
        kill_worker(worker)
        smtp.stop()

    assert sorted(smtp.recipients()) == PEOPLE  # everyone exactly once, the held e-mail included
    assert statuses()[PEOPLE[2]] == "sending"  # shown as "unknown" on the page once SENDING_TIMEOUT passed
    assert ReportEmail.objects.get(email=PEOPLE[2]).attempts == 1
