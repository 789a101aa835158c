"""Recording an action and handing it to the task queue: by the request, then by the sweep until a worker has it.

The sweep's rows are run by eager Celery (the root conftest) as soon as they are handed over, so what ran says
what was handed over. A broker that refuses is a real one: an address where nothing listens.
"""

import threading
from datetime import timedelta

import pytest
import redis
from django.db import connections
from django.utils import timezone

from metrics.models import PullRun
from metrics.tests.factories import TrackedProfileFactory
from outbox.models import QueuedAction
from outbox.registry import ACTIONS, UnknownAction, task_for
from outbox.services import action_hand_over, action_queue, actions_hand_over_due
from tests.broker import celery_app_on, private_redis, project_app_on_private_redis  # noqa: F401
from tests.markers import requires_postgres
from tests.workers import _free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def refusing_broker():
    """The project's Celery app sends to a Redis address where nothing listens (connection refused)."""
    with celery_app_on(f"redis://127.0.0.1:{_free_port()}/0") as app:
        yield app


@pytest.fixture
def profiles(workspace):
    return [TrackedProfileFactory(workspace=workspace, handle=f"swept{n}") for n in range(6)]


def _action(profile, **fields) -> QueuedAction:
    return QueuedAction.objects.create(
        workspace=profile.workspace,
        name="metrics.pull_now",
        arguments={"profile_id": profile.pk, "kind": "manual", "backfill": False},
        **fields,
    )


def _pulled(profile) -> int:
    return PullRun.objects.filter(profile=profile).count()


def test_every_action_names_a_task_the_workers_know():
    from smm.celery import app

    app.loader.import_default_modules()
    for name, action in ACTIONS.items():
        # The dotted path is the task's registered name: what the message carries is what the worker runs.
        assert task_for(name).name == action.task and action.task in app.tasks, name
        assert action.label


def test_an_action_that_is_not_in_the_registry_fails_in_the_request(workspace):
    with pytest.raises(UnknownAction, match=r"outbox\.registry\.ACTIONS"):
        action_queue(workspace=workspace, name="metrics.pull_everything", arguments={})
    assert not QueuedAction.objects.exists()


def test_the_sweep_hands_over_what_the_queue_does_not_carry_and_leaves_the_rest(profiles, settings):
    now = timezone.now()
    long_ago = now - settings.OUTBOX_LOST_AFTER - timedelta(seconds=1)
    never_taken = _action(profiles[0])
    lost = _action(profiles[1], dispatched_at=long_ago)
    _action(profiles[2], dispatched_at=now)  # in the queue, waiting its turn
    _action(profiles[3], dispatched_at=long_ago, running_since=now, attempts=1)  # running
    _action(profiles[4], dispatched_at=long_ago, finished_at=now, outcome="done", attempts=1)
    _action(profiles[5], dispatched_at=long_ago, not_before=now + timedelta(minutes=4), attempts=1)  # a retry waits

    assert actions_hand_over_due() == 2

    assert [_pulled(p) for p in profiles] == [1, 1, 0, 0, 0, 0]
    for action in (never_taken, lost):
        action.refresh_from_db()
        assert (action.outcome, action.attempts) == (QueuedAction.Outcome.DONE, 1)
    assert actions_hand_over_due() == 0


def test_a_retry_overdue_by_more_than_the_lost_delay_is_sent_again_as_that_retry(profiles, settings):
    overdue = timezone.now() - settings.OUTBOX_LOST_AFTER - timedelta(seconds=1)
    action = _action(profiles[0], dispatched_at=overdue, not_before=overdue, attempts=1)

    assert actions_hand_over_due() == 1

    action.refresh_from_db()
    assert (action.outcome, action.attempts) == (QueuedAction.Outcome.DONE, 2)


def test_an_attempt_running_longer_than_any_may_is_run_again_then_given_up(profiles, settings):
    dead = timezone.now() - settings.OUTBOX_ATTEMPT_LEASE - timedelta(seconds=1)
    once_lost = _action(profiles[0], dispatched_at=dead, started_at=dead, running_since=dead, attempts=1)
    lost_too_often = _action(
        profiles[1], dispatched_at=dead, started_at=dead, running_since=dead, attempts=1,
        attempts_lost=settings.OUTBOX_MAX_LOST_ATTEMPTS - 1,
    )  # fmt: skip

    assert actions_hand_over_due() == 1

    once_lost.refresh_from_db()
    assert (once_lost.outcome, once_lost.attempts, once_lost.attempts_lost) == ("done", 1, 1)
    assert _pulled(profiles[0]) == 1
    lost_too_often.refresh_from_db()
    assert lost_too_often.outcome == QueuedAction.Outcome.FAILED
    assert lost_too_often.last_error.startswith("Stopped 3 times before it finished")
    assert _pulled(profiles[1]) == 0


def test_a_refused_hand_over_keeps_the_action_and_says_why(profiles, refusing_broker):
    action = action_queue(
        workspace=profiles[0].workspace, name="metrics.pull_now", arguments={"profile_id": profiles[0].pk}
    )
    assert action_hand_over(action=action) is False

    action.refresh_from_db()
    assert action.dispatched_at is None and "Connection refused" in action.dispatch_error
    assert action.state == "waiting"


def test_the_sweep_stops_at_the_first_refusal(profiles, refusing_broker):
    waiting = [_action(profile) for profile in profiles[:3]]

    assert actions_hand_over_due() == 0

    errors = [QueuedAction.objects.get(pk=action.pk).dispatch_error for action in waiting]
    assert errors[0] and errors[1:] == ["", ""]


def test_asking_again_while_the_first_still_waits_records_one_action(profiles, refusing_broker):
    arguments = {"profile_id": profiles[0].pk, "kind": "manual", "backfill": False}
    first = action_queue(workspace=profiles[0].workspace, name="metrics.pull_now", arguments=arguments)
    second = action_queue(workspace=profiles[0].workspace, name="metrics.pull_now", arguments=arguments)

    assert first.pk == second.pk
    assert QueuedAction.objects.count() == 1


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_request_and_sweeps_handing_over_at_the_same_moment_send_one_message(
    profiles,
    project_app_on_private_redis,  # noqa: F811 (the fixture imported above)
):
    action = _action(profiles[0])
    start = threading.Barrier(6)

    def hand_over():
        try:
            start.wait()
            action_hand_over(action=QueuedAction.objects.get(pk=action.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=hand_over) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert redis.Redis.from_url(project_app_on_private_redis.url).llen("celery") == 1
    action.refresh_from_db()
    assert action.dispatched_at is not None and action.dispatch_error == ""
