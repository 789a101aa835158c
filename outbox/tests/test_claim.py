"""The worker's claim: each attempt of a queued action runs once, however many copies of its message arrive.

Messages are applied the way a worker applies them (Celery's tracer, in this process), with the task id and the
attempt number a hand-over gives them; test_broker_faults.py sends them through a real broker to real workers.
"""

import threading

import pytest
from celery import shared_task
from django.db import connections

from metrics.models import PullRun
from metrics.tasks import pull_profile
from metrics.tests.factories import TrackedProfileFactory
from outbox.models import QueuedAction
from outbox.services import action_start, action_wait_for_retry
from tests.markers import requires_postgres

pytestmark = pytest.mark.django_db


@shared_task(bind=True, name="outbox.tests.flaky")
def flaky(self, fail_first: int = 1, error: str = ""):
    """A task of the tests: asks for a retry `fail_first` times, or fails with `error`."""
    if error:
        raise ValueError(error)
    if self.request.retries < fail_first:
        raise self.retry(countdown=60, exc=ConnectionError("the platform hung up"))
    return self.request.retries


@pytest.fixture
def profile(workspace):
    return TrackedProfileFactory(workspace=workspace, handle="claimed_brand")


def _pull_action(profile) -> QueuedAction:
    return QueuedAction.objects.create(
        workspace=profile.workspace,
        name="metrics.pull_now",
        arguments={"profile_id": profile.pk, "kind": "manual", "backfill": False},
    )


def _deliver(task, action, attempt=0, **kwargs):
    """One copy of the action's message for attempt `attempt`, as the hand-over sends it; errors stay in the result,
    as in a worker (the root conftest's eager mode would raise them before the task's handlers run)."""
    return task.apply(kwargs=kwargs or action.arguments, task_id=action.task_id, retries=attempt, throw=False)


def test_a_second_copy_of_an_attempt_that_ran_is_skipped(profile):
    action = _pull_action(profile)

    first = _deliver(pull_profile, action)
    second = _deliver(pull_profile, action)

    assert (first.state, second.state) == ("SUCCESS", "IGNORED")
    assert PullRun.objects.filter(profile=profile).count() == 1
    action.refresh_from_db()
    assert (action.outcome, action.attempts, action.running_since) == (QueuedAction.Outcome.DONE, 1, None)
    assert action.started_at is not None and action.finished_at >= action.started_at


def test_a_copy_arriving_while_the_attempt_runs_is_skipped(profile):
    action = _pull_action(profile)
    assert action_start(action_id=action.pk, attempt=0) is not None  # a worker runs it right now

    assert _deliver(pull_profile, action).state == "IGNORED"
    assert not PullRun.objects.exists()


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_workers_claiming_one_attempt_at_the_same_moment_start_it_once(profile):
    action = _pull_action(profile)
    start, claims = threading.Barrier(8), []

    def claim():
        try:
            start.wait()
            claims.append(action_start(action_id=action.pk, attempt=0))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(claimed is not None for claimed in claims) == 1
    action.refresh_from_db()
    assert action.attempts == 1


def test_a_retry_runs_as_the_next_attempt_and_late_copies_of_either_are_skipped(workspace):
    action = QueuedAction.objects.create(workspace=workspace, name="outbox.tests.flaky")

    # Eager Celery runs the retry at once, inside the first attempt; a worker would run it in 60 s.
    first = _deliver(flaky, action, fail_first=1)

    assert (first.state, first.result) == ("SUCCESS", 1)  # the retry's outcome: it ran as attempt 1
    action.refresh_from_db()
    assert (action.outcome, action.attempts) == (QueuedAction.Outcome.DONE, 2)
    assert action.last_error == "ConnectionError: the platform hung up"
    assert _deliver(flaky, action, attempt=0, fail_first=1).state == "IGNORED"
    assert _deliver(flaky, action, attempt=1, fail_first=1).state == "IGNORED"


def test_an_attempt_waiting_for_its_retry_leaves_the_row_to_the_retry(workspace):
    action = QueuedAction.objects.create(workspace=workspace, name="outbox.tests.flaky")
    claimed_at = action_start(action_id=action.pk, attempt=0)

    action_wait_for_retry(action_id=action.pk, claimed_at=claimed_at, error="RateLimited: wait", due=claimed_at)

    action.refresh_from_db()
    assert (action.state, action.running_since, action.attempts) == ("retrying", None, 1)
    assert _deliver(flaky, action, attempt=0, fail_first=0).state == "IGNORED"  # the first attempt's copy
    assert _deliver(flaky, action, attempt=1, fail_first=0).state == "SUCCESS"  # the retry's message


def test_a_failed_action_records_why(workspace):
    action = QueuedAction.objects.create(workspace=workspace, name="outbox.tests.flaky")

    assert _deliver(flaky, action, error="the report has no month").state == "FAILURE"

    action.refresh_from_db()
    assert (action.outcome, action.last_error) == (QueuedAction.Outcome.FAILED, "ValueError: the report has no month")
    assert action.running_since is None


def test_messages_of_tasks_not_queued_through_the_outbox_run_without_a_claim(profile):
    assert pull_profile.apply(args=[profile.pk, "manual"]).state == "SUCCESS"
    assert pull_profile.apply(args=[profile.pk, "manual"], task_id="outbox-not-a-number").state == "SUCCESS"
    assert PullRun.objects.filter(profile=profile).count() == 2
    assert not QueuedAction.objects.exists()


def test_every_task_of_the_project_claims_queued_actions():
    from outbox.task_base import OutboxTask

    assert isinstance(pull_profile, OutboxTask) and isinstance(flaky, OutboxTask)
