"""A pull queued through the real Redis broker and run by a live Celery worker, against the test database."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings

from metrics.models import DailySnapshot, Post, PullRun
from tests.markers import requires_postgres, requires_redis

from .factories import TrackedProfileFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.redis, requires_redis, requires_postgres]


def _worker(queue: str) -> subprocess.Popen:
    db = settings.DATABASES["default"]
    # The worker reads and writes the test database this test committed its rows to.
    database_url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": settings.REDIS_URL}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "smm", "worker", "-Q", queue, "--pool", "solo", "--without-heartbeat",
         "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def test_a_live_worker_pulls_a_profile_and_a_redelivery_changes_nothing_it_should_not(transactional_db, workspace):
    profile = TrackedProfileFactory(workspace=workspace, handle="live_worker_brand")
    queue = f"test-metrics-{uuid.uuid4().hex[:8]}"  # nobody else listens here
    # set_as_current=False: otherwise every shared task of later tests would be sent through this client.
    client = Celery(broker=settings.REDIS_URL, backend=settings.REDIS_URL, set_as_current=False)
    worker = _worker(queue)
    try:
        first = client.send_task("metrics.tasks.pull_profile", args=[profile.pk, "manual"], queue=queue)
        run_id = first.get(timeout=90)
        posts = Post.objects.filter(profile=profile).count()
        # The same message delivered again (a worker died before acknowledging it): same rows, newest figures.
        second = client.send_task("metrics.tasks.pull_profile", args=[profile.pk, "manual"], queue=queue)
        second.get(timeout=90)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    assert PullRun.objects.get(pk=run_id).status == PullRun.Status.SUCCESS, output
    assert posts > 0
    assert Post.objects.filter(profile=profile).count() == posts
    assert DailySnapshot.objects.filter(profile=profile).count() == 1
    assert PullRun.objects.filter(profile=profile).count() == 2
