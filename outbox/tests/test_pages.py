"""Where people see queued actions: the answer to their click, the connections page and the report's page."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from metrics.models import PullRun
from metrics.tests.factories import TrackedProfileFactory
from outbox.models import QueuedAction
from reports.models import ReportDelivery
from reports.services import report_generate, report_send
from tests.broker import celery_app_on
from tests.workers import _free_port

pytestmark = pytest.mark.django_db
OCTOBER = date(2026, 10, 1)


# A view runs in autocommit, so it hands its action over before it answers; tests of that answer run the same way.
in_autocommit = pytest.mark.django_db(transaction=True)


@pytest.fixture
def refusing_broker():
    with celery_app_on(f"redis://127.0.0.1:{_free_port()}/0") as app:
        yield app


@pytest.fixture
def profile(workspace):
    return TrackedProfileFactory(workspace=workspace, handle="page_brand")


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _row(client, profile) -> str:
    page = client.get(reverse("metrics:connections")).content.decode()
    start = page.index(f'data-testid="connection-{profile.pk}"')
    return page[start : page.index("</tr>", start)]


@in_autocommit
def test_pull_now_with_the_task_queue_refusing_says_so_and_keeps_the_pull(client_as, profile, refusing_broker):
    client = client_as(Role.ADMIN)

    response = client.post(reverse("metrics:pull_now", args=[profile.pk]), follow=True)

    assert response.redirect_chain == [(reverse("metrics:connections"), 302)]
    assert _messages(response) == [
        "The task queue is not answering: the pull of @page_brand on X (Twitter) is recorded and starts as soon as "
        "it is back."
    ]
    action = QueuedAction.objects.get()
    assert (action.name, action.arguments, action.requested_by) == (
        "metrics.pull_now",
        {"profile_id": profile.pk, "kind": "manual", "backfill": False},
        client.membership.user,
    )
    assert "Pull queued, waiting for the task queue" in _row(client, profile)
    assert not PullRun.objects.exists()


@in_autocommit
def test_backfill_with_the_task_queue_refusing_says_so_and_keeps_the_backfill(client_as, profile, refusing_broker):
    client = client_as(Role.ADMIN)

    response = client.post(reverse("metrics:backfill", args=[profile.pk]), follow=True)

    assert "the backfill of @page_brand on X (Twitter) is recorded" in _messages(response)[0]
    assert QueuedAction.objects.get().arguments == {"profile_id": profile.pk, "kind": "backfill", "backfill": True}
    assert "Backfill queued, waiting for the task queue" in _row(client, profile)


def test_pull_now_with_the_task_queue_answering_says_it_is_queued_and_it_runs(
    client_as, profile, django_capture_on_commit_callbacks
):
    client = client_as(Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("metrics:pull_now", args=[profile.pk]))

    assert response.status_code == 302
    assert _messages(client.get(reverse("metrics:connections"))) == ["A pull of @page_brand on X (Twitter) is queued."]
    assert QueuedAction.objects.get().outcome == QueuedAction.Outcome.DONE
    assert PullRun.objects.filter(profile=profile, kind=PullRun.Kind.MANUAL).count() == 1
    assert "queued-action" not in _row(client, profile)


@pytest.mark.parametrize(
    ("fields", "label"),
    [
        ({}, "Pull queued, waiting for the task queue"),
        ({"dispatched_at": timezone.now()}, "Pull queued</span>"),
        ({"dispatched_at": timezone.now(), "running_since": timezone.now(), "attempts": 1}, "Pull running"),
        ({"dispatched_at": timezone.now(), "not_before": timezone.now(), "attempts": 1}, "Pull tried again at"),
    ],
)
def test_the_connections_row_says_where_the_pull_stands(client_as, profile, fields, label):
    QueuedAction.objects.create(
        workspace=profile.workspace, name="metrics.pull_now", arguments={"profile_id": profile.pk}, **fields
    )
    client = client_as(Role.ANALYST)
    assert label in _row(client, profile)
    # The page reloads itself until the action has finished, so the member sees it start without a click.
    assert 'http-equiv="refresh"' in client.get(reverse("metrics:connections")).content.decode()


def test_a_finished_or_another_workspaces_action_does_not_show(client_as, profile, other_workspace):
    QueuedAction.objects.create(
        workspace=profile.workspace, name="metrics.pull_now", arguments={"profile_id": profile.pk},
        finished_at=timezone.now(), outcome="done",
    )  # fmt: skip
    QueuedAction.objects.create(
        workspace=other_workspace, name="metrics.pull_now", arguments={"profile_id": profile.pk}
    )
    client = client_as(Role.ADMIN)
    assert "queued-action" not in _row(client, profile)
    assert 'http-equiv="refresh"' not in client.get(reverse("metrics:connections")).content.decode()


def test_the_time_asked_is_in_the_workspaces_time_zone(client_as, profile):
    profile.workspace.time_zone = "Asia/Tokyo"
    profile.workspace.save()
    with time_machine.travel(datetime(2026, 11, 3, 8, 5, tzinfo=UTC)):
        QueuedAction.objects.create(
            workspace=profile.workspace, name="metrics.pull_now", arguments={"profile_id": profile.pk}
        )
    assert "Asked at 17:05" in _row(client_as(Role.ADMIN), profile)


@pytest.fixture
def report(workspace, make_member):
    make_member(Role.EXECUTIVE, email="ceo@example.test")
    return report_generate(workspace=workspace, month=OCTOBER)


def test_emailing_a_report_is_queued_and_sends_once_when_it_runs(client_as, report, django_capture_on_commit_callbacks):
    client = client_as(Role.COORDINATOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:send", args=[report.slug]))

    assert response.status_code == 302
    messages = _messages(client.get(reverse("reports:detail", args=[report.slug])))
    assert messages == ["The October 2026 report is queued to be e-mailed to 1 person."]
    assert [m.to for m in mail.outbox] == [["ceo@example.test"]]
    assert ReportDelivery.objects.get().sent_by == client.membership.user
    assert QueuedAction.objects.get().outcome == QueuedAction.Outcome.DONE


@in_autocommit
def test_emailing_a_report_with_the_task_queue_refusing_keeps_it_and_the_page_says_it_waits(
    client_as, report, refusing_broker
):
    client = client_as(Role.COORDINATOR)

    response = client.post(reverse("reports:send", args=[report.slug]), follow=True)

    assert _messages(response) == [
        "The task queue is not answering: the e-mail of the October 2026 report to 1 person is recorded and goes out "
        "as soon as it is back."
    ]
    page = response.content.decode()
    assert "E-mail queued, waiting for the task queue" in page
    assert 'data-testid="email-it"' not in page
    assert not mail.outbox
    assert QueuedAction.objects.get().arguments == {"report_id": report.pk, "sent_by_id": client.membership.user.pk}


def test_emailing_a_report_already_sent_queues_nothing(client_as, report):
    assert report_send(report=report).complete

    response = client_as(Role.COORDINATOR).post(reverse("reports:send", args=[report.slug]), follow=True)

    assert "already sent" in _messages(response)[0]
    assert not QueuedAction.objects.exists()
