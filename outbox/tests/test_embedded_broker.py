"""On a bare machine (no REDIS_URL: `make run`), a queued action travels through the embedded broker too."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from metrics.models import PullRun
from metrics.tests.factories import TrackedProfileFactory
from outbox.models import QueuedAction
from tests.broker import celery_app_on
from tests.markers import requires_postgres
from tests.workers import kill_worker, start_worker, wait_for

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def test_pull_now_through_the_embedded_broker_runs_in_a_worker_started_later(client_as, workspace, tmp_path):
    folders = {name: tmp_path / "celery" / name for name in ("queue", "processed", "results", "control")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    options = {  # what smm/settings.py gives the worker below, whose VAR_DIR is tmp_path
        "data_folder_in": str(folders["queue"]),
        "data_folder_out": str(folders["queue"]),
        "processed_folder": str(folders["processed"]),
        "control_folder": str(folders["control"]),
        "store_processed": False,
    }
    profile = TrackedProfileFactory(workspace=workspace, handle="bare_machine")
    client = client_as(Role.ADMIN)
    with celery_app_on("filesystem://", transport_options=options, result_backend=f"file://{folders['results']}"):
        response = client.post(reverse("metrics:pull_now", args=[profile.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["A pull of @bare_machine on X (Twitter) is queued."]
    action = QueuedAction.objects.get()
    assert action.dispatched_at is not None

    worker = start_worker("", VAR_DIR=tmp_path)
    try:
        wait_for(lambda: QueuedAction.objects.get(pk=action.pk).finished_at, timeout=90, what="the pull to finish")
    finally:
        output = kill_worker(worker)
    assert PullRun.objects.filter(profile=profile, status=PullRun.Status.SUCCESS).count() == 1, output
