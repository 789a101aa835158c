"""The live status of a pull or backfill someone asked for: the JSON the connections page polls."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from metrics.models import PullRun
from outbox.models import QueuedAction

from .factories import TrackedProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(workspace):
    return TrackedProfileFactory(workspace=workspace, handle="status_brand")


def _action(profile, *, backfill=False, **fields):
    name = "metrics.backfill" if backfill else "metrics.pull_now"
    kind = "backfill" if backfill else "manual"
    return QueuedAction.objects.create(
        workspace=profile.workspace,
        name=name,
        arguments={"profile_id": profile.pk, "kind": kind, "backfill": backfill},
        **fields,
    )


def _started(profile, **fields):
    now = timezone.now()
    return _action(profile, dispatched_at=now, started_at=now, attempts=1, **fields)


def _run(profile, **fields):
    fields.setdefault("heartbeat_at", timezone.now())
    return PullRun.objects.create(profile=profile, attempts=1, **fields)


def _status(client, action):
    return client.get(reverse("metrics:pull_status", args=[action.pk]))


def test_an_action_the_queue_has_taken_reads_queued_and_not_final(client_as, profile):
    body = _status(client_as(Role.ADMIN), _action(profile, dispatched_at=timezone.now())).json()
    assert (body["state"], body["final"], body["waiting_for_queue"], body["kind"]) == ("queued", False, False, "pull")


def test_an_action_the_queue_did_not_take_reads_queued_waiting_for_the_queue(client_as, profile):
    body = _status(client_as(Role.ADMIN), _action(profile, dispatch_error="ConnectionError")).json()
    assert (body["state"], body["final"], body["waiting_for_queue"]) == ("queued", False, True)


def test_a_running_pull_gives_its_page_and_posts_so_far(client_as, profile):
    action = _started(profile, running_since=timezone.now())
    _run(profile, kind="manual", pages_done=3, posts_done=120)
    _run(profile, kind="scheduled", status="success", heartbeat_at=timezone.now() - timedelta(days=1), pages_done=9)
    body = _status(client_as(Role.ANALYST), action).json()
    assert (body["state"], body["final"], body["pages"], body["posts"]) == ("running", False, 3, 120)


def test_a_running_backfill_gives_the_posts_expected(client_as, profile):
    action = _started(profile, backfill=True, running_since=timezone.now())
    _run(profile, kind="backfill", pages_done=2, posts_done=200, posts_expected=1252)
    body = _status(client_as(Role.ADMIN), action).json()
    assert (body["state"], body["kind"], body["posts"], body["posts_expected"]) == ("running", "backfill", 200, 1252)


def test_a_finished_pull_whose_run_succeeded_is_done_and_final(client_as, profile):
    action = _started(profile, finished_at=timezone.now(), outcome="done")
    _run(profile, kind="manual", status="success", pages_done=4, posts_done=37, finished_at=timezone.now())
    body = _status(client_as(Role.ADMIN), action).json()
    assert (body["state"], body["final"], body["pages"], body["posts"], body["reason"]) == ("done", True, 4, 37, "")


def test_a_pull_the_platform_refused_is_failed_with_the_runs_reason_though_the_task_ended_well(client_as, profile):
    action = _started(profile, finished_at=timezone.now(), outcome="done")
    retry_at = timezone.now() + timedelta(hours=1)
    _run(
        profile,
        kind="manual",
        status="rate_limited",
        error_message="The platform asked us to slow down.",
        retry_at=retry_at,
    )
    body = _status(client_as(Role.ADMIN), action).json()
    assert (body["state"], body["final"], body["reason"]) == ("failed", True, "The platform asked us to slow down.")
    assert body["resumes_at"].endswith("(Europe/Paris)")
    assert f"{timezone.localtime(retry_at, ZoneInfo('Europe/Paris')):%H:%M}" in body["resumes_at"]


def test_a_task_that_crashed_is_failed_with_its_error(client_as, profile):
    action = _started(profile, finished_at=timezone.now(), outcome="failed", last_error="PullCrashed: boom")
    body = _status(client_as(Role.ADMIN), action).json()
    assert (body["state"], body["final"], body["reason"]) == ("failed", True, "PullCrashed: boom")


def test_another_workspaces_action_is_not_found(client_as, other_workspace):
    theirs = _action(TrackedProfileFactory(workspace=other_workspace), dispatched_at=timezone.now())
    assert _status(client_as(Role.ADMIN), theirs).status_code == 404


def test_an_action_that_is_not_a_pull_is_not_found(client_as, workspace):
    report = QueuedAction.objects.create(workspace=workspace, name="reports.send", arguments={"report_id": 1})
    assert _status(client_as(Role.ADMIN), report).status_code == 404


def test_a_role_that_may_not_see_the_metrics_is_refused(client_as, profile):
    assert _status(client_as(Role.CONTRIBUTOR), _action(profile)).status_code == 403


def test_the_status_is_never_cached(client_as, profile):
    response = _status(client_as(Role.ADMIN), _action(profile))
    assert "no-store" in response["Cache-Control"]


def test_pull_now_then_the_status_says_done_with_the_pages_pulled(
    client_as, profile, django_capture_on_commit_callbacks
):
    client = client_as(Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("metrics:pull_now", args=[profile.pk]))
    action = QueuedAction.objects.get(name="metrics.pull_now")
    body = _status(client, action).json()
    run = PullRun.objects.get(profile=profile, kind="manual")
    assert (body["state"], body["final"], body["pages"]) == ("done", True, run.pages_done)


def test_the_connections_page_points_each_queued_pull_at_its_status(client_as, profile):
    client = client_as(Role.ADMIN)
    action = _action(profile, dispatched_at=timezone.now())
    page = client.get(reverse("metrics:connections")).content.decode()
    assert f'data-pull-live="{reverse("metrics:pull_status", args=[action.pk])}"' in page
    assert '<noscript><meta http-equiv="refresh"' in page  # without scripts the page reloads itself
    assert "metrics/pull_status" in page
