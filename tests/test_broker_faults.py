"""User actions are never lost, nor run twice, whatever the broker does: the faults made for real.

A redis-server of the test's own is stopped, frozen (SIGSTOP) or restarted without its data while "Pull now" goes
through the real view in this process; real `celery worker` processes on the test database run what the outbox
hands over, and are killed with SIGKILL. Each test counts what ran (PullRun rows, messages left in the queue).
How long the request took is measured in bench/ (`manage.py bench_pull_now`), not here.
"""

import threading
from datetime import timedelta

import pytest
import redis
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from metrics.models import PullRun
from metrics.tests.factories import TrackedProfileFactory
from outbox.models import QueuedAction
from outbox.services import actions_hand_over_due
from tests.broker import private_redis, project_app_on_private_redis  # noqa: F401
from tests.markers import requires_postgres
from tests.workers import kill_worker, start_worker, wait_for, workers_left_the_database

pytestmark = [pytest.mark.fault, requires_postgres, pytest.mark.django_db(transaction=True)]

# Longer than any wait the project allows itself (1 s to connect, 2 s for an answer): the request did not hang.
HANG = 30


@pytest.fixture
def broker(project_app_on_private_redis):  # noqa: F811 (the fixture imported above)
    """The test's own redis-server, which the project's Celery app in this process sends to."""
    return project_app_on_private_redis


@pytest.fixture
def admin(client_as):
    return client_as(Role.ADMIN)


@pytest.fixture
def profile(workspace):
    return TrackedProfileFactory(workspace=workspace, handle="fault_brand")


def _pull_now(client, profile) -> tuple[int, list[str]]:
    """Click "Pull now" and land on the connections page (in a thread: a request that hangs fails the test)."""
    answer = {}

    def click():
        try:
            response = client.post(reverse("metrics:pull_now", args=[profile.pk]), follow=True)
            answer["status"] = response.redirect_chain[0][1] if response.redirect_chain else response.status_code
            answer["messages"] = [str(m) for m in response.context["messages"]]
        finally:
            connections.close_all()  # this thread's own connection, which the test database must not outlive

    thread = threading.Thread(target=click, daemon=True)
    thread.start()
    thread.join(HANG)
    assert not thread.is_alive(), f'"Pull now" was still waiting for the broker after {HANG} s'
    return answer["status"], answer["messages"]


def _queue(broker) -> redis.Redis:
    return redis.Redis.from_url(broker.url)


def _drained(broker, held_by_the_dead: int = 0) -> bool:
    """Every message was delivered and acknowledged: none waits in the queue, none is held by a live worker (a
    killed worker's message stays unacknowledged until the visibility timeout gives it back)."""
    queue = _queue(broker)
    return queue.llen("celery") == 0 and queue.hlen("unacked") == held_by_the_dead


def _run_until_finished(broker, action, held_by_the_dead: int = 0, **worker_env) -> str:
    worker = start_worker(broker.url, **worker_env)
    try:
        wait_for(lambda: _finished(action), timeout=90, what="the queued pull to finish")
        wait_for(lambda: _drained(broker, held_by_the_dead), timeout=30, what="every copy of its message to be taken")
    finally:
        output = kill_worker(worker)
        _wait_until_the_workers_left_the_database()
    return output


def _wait_until_the_workers_left_the_database() -> None:
    """A killed worker's database sessions end when PostgreSQL notices; the test database is dropped after."""
    wait_for(workers_left_the_database, timeout=30, what="the killed workers' database sessions to end")


def _finished(action) -> bool:
    action.refresh_from_db()
    return action.finished_at is not None


WAITING = "The task queue is not answering: the pull of @fault_brand on X (Twitter) is recorded and starts as soon as it is back."


def test_pull_now_with_the_broker_stopped_is_recorded_and_runs_once_when_it_is_back(admin, profile, broker):
    broker.stop()

    status, messages = _pull_now(admin, profile)

    assert (status, messages) == (302, [WAITING])
    action = QueuedAction.objects.get()
    assert action.dispatched_at is None and "Connection refused" in action.dispatch_error
    page = admin.get(reverse("metrics:connections")).content.decode()
    assert "Pull queued, waiting for the task queue" in page

    assert actions_hand_over_due() == 0  # still down: the sweep leaves the row as it was
    broker.start()
    assert actions_hand_over_due() == 1
    assert actions_hand_over_due() == 0  # handed over once: the next sweep sends nothing

    output = _run_until_finished(broker, action)
    assert action.outcome == QueuedAction.Outcome.DONE, output
    assert PullRun.objects.filter(profile=profile, kind=PullRun.Kind.MANUAL, status=PullRun.Status.SUCCESS).count() == 1
    assert PullRun.objects.filter(profile=profile).count() == 1


def test_pull_now_with_the_broker_frozen_answers_and_the_push_it_applied_later_runs_once(admin, profile, broker):
    warm = TrackedProfileFactory(workspace=profile.workspace, handle="warm_brand")
    # A web process keeps its broker connection open between requests: the frozen broker then takes the push
    # into its socket and applies it when it wakes, long after the request gave up waiting for its answer.
    assert _pull_now(admin, warm)[1] == ["A pull of @warm_brand on X (Twitter) is queued."]
    broker.freeze()
    try:
        status, messages = _pull_now(admin, profile)
    finally:
        broker.thaw()

    assert (status, messages) == (302, [WAITING])
    action = QueuedAction.objects.get(arguments__profile_id=profile.pk)
    assert action.dispatched_at is None and "Timeout" in action.dispatch_error
    assert _queue(broker).llen("celery") == 2  # the warm-up's message, and the frozen push applied at the thaw
    assert actions_hand_over_due() == 1
    assert _queue(broker).llen("celery") == 3  # so the pull's message is there twice

    output = _run_until_finished(broker, action)
    assert action.outcome == QueuedAction.Outcome.DONE, output
    assert action.attempts == 1
    assert PullRun.objects.filter(profile=profile).count() == 1, output


def test_a_worker_that_starts_hands_over_what_waited_for_the_broker(admin, profile, broker):
    broker.stop()
    assert _pull_now(admin, profile)[1] == [WAITING]
    broker.start()

    output = _run_until_finished(broker, QueuedAction.objects.get())  # no sweep: the worker's start hands it over

    assert PullRun.objects.filter(profile=profile, status=PullRun.Status.SUCCESS).count() == 1, output


def test_a_message_lost_with_a_broker_restart_is_sent_again_and_runs_once(admin, profile, broker, settings):
    assert _pull_now(admin, profile)[1] == ["A pull of @fault_brand on X (Twitter) is queued."]
    action = QueuedAction.objects.get()
    assert action.dispatched_at is not None
    broker.stop()  # the private redis keeps nothing on disk: the message is gone
    broker.start()
    assert _queue(broker).llen("celery") == 0

    assert actions_hand_over_due() == 0  # handed over a moment ago: it may just be waiting its turn
    QueuedAction.objects.filter(pk=action.pk).update(dispatched_at=_ago(settings.OUTBOX_LOST_AFTER))
    assert actions_hand_over_due() == 1

    output = _run_until_finished(broker, action)
    assert PullRun.objects.filter(profile=profile).count() == 1, output


def test_two_workers_racing_for_two_copies_of_one_action_run_it_once(admin, profile, broker):
    assert _pull_now(admin, profile)[1] == ["A pull of @fault_brand on X (Twitter) is queued."]
    action = QueuedAction.objects.get()
    # The queue was slow to start it: the sweep takes the message for lost and sends a second copy.
    QueuedAction.objects.filter(pk=action.pk).update(dispatched_at=timezone.now() - timedelta(hours=1))
    assert actions_hand_over_due() == 1
    assert _queue(broker).llen("celery") == 2

    workers = [start_worker(broker.url, name=f"racer{n}") for n in (1, 2)]
    try:
        wait_for(lambda: _finished(action), timeout=90, what="the queued pull to finish")
        wait_for(lambda: _drained(broker), timeout=30, what="both copies to be taken")
    finally:
        output = "".join(kill_worker(worker) for worker in workers)
        _wait_until_the_workers_left_the_database()

    assert PullRun.objects.filter(profile=profile).count() == 1, output
    assert action.attempts == 1


def test_a_pull_whose_worker_is_killed_runs_again_once_its_attempt_is_overdue(admin, profile, broker, settings):
    assert _pull_now(admin, profile)[1] == ["A pull of @fault_brand on X (Twitter) is queued."]
    action = QueuedAction.objects.get()
    slow = start_worker(broker.url, DEMO_PLATFORM_LATENCY=5)  # each platform call takes 5 s
    try:
        wait_for(lambda: PullRun.objects.filter(profile=profile).exists(), timeout=90, what="the pull to start")
    finally:
        output = kill_worker(slow)
        _wait_until_the_workers_left_the_database()
    action.refresh_from_db()
    assert action.running_since is not None and action.finished_at is None, output

    # The killed attempt is not run again while it may still be running somewhere...
    assert actions_hand_over_due() == 0
    # ...but once it has run for longer than any attempt may (the task time limit), it is taken for dead. By then
    # the pull's own heartbeat is as old (the lease is longer than the pulls' reaper threshold).
    QueuedAction.objects.filter(pk=action.pk).update(running_since=_ago(settings.OUTBOX_ATTEMPT_LEASE))
    PullRun.objects.filter(profile=profile).update(heartbeat_at=_ago(settings.OUTBOX_ATTEMPT_LEASE))
    output = _run_until_finished(broker, action, held_by_the_dead=1)  # the new worker's start hands it over again

    assert (action.outcome, action.attempts, action.attempts_lost) == (QueuedAction.Outcome.DONE, 1, 1), output
    # The killed pull's own run is resumed where it stopped, not started over beside it.
    run = PullRun.objects.get(profile=profile)
    assert (run.status, run.attempts) == (PullRun.Status.SUCCESS, 2)


def _ago(delta):
    return timezone.now() - delta - timedelta(seconds=1)
