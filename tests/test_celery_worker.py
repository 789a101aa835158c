"""A task really travels through a broker to a live worker process and back.

On a bare machine the embedded broker (kombu's filesystem transport under VAR_DIR) is used;
with REDIS_URL set, the same round trip goes through the real Redis.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

from celery import Celery
from django.conf import settings

from tests.markers import requires_redis

ROOT = Path(__file__).resolve().parent.parent


def _start_worker(env, queue):
    env = {**os.environ, **env}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "smm", "worker", "-Q", queue, "--pool", "solo", "--without-heartbeat",
         "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def _round_trip(client_app, worker_env):
    queue = f"test-{uuid.uuid4().hex[:8]}"  # nobody else listens here, not even a developer's worker
    payload = uuid.uuid4().hex
    worker = _start_worker(worker_env, queue)
    try:
        result = client_app.send_task("accounts.tasks.ping", args=[payload], queue=queue)
        assert result.get(timeout=60) == f"pong:{payload}"
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    return output


def test_task_round_trip_through_the_embedded_broker(tmp_path):
    folders = {name: tmp_path / "celery" / name for name in ("queue", "processed", "results", "control")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    client = Celery(
        broker="filesystem://",
        broker_transport_options={
            "data_folder_in": str(folders["queue"]),
            "data_folder_out": str(folders["queue"]),
            "processed_folder": str(folders["processed"]),
            "control_folder": str(folders["control"]),
        },
        backend=f"file://{folders['results']}",
        set_as_current=False,  # later tests' shared tasks must keep the project's (eager) app
    )
    worker_env = {"VAR_DIR": str(tmp_path), "REDIS_URL": "", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    _round_trip(client, worker_env)


@requires_redis
def test_task_round_trip_through_redis_to_a_live_worker():
    # set_as_current=False: otherwise every shared task of later tests would be sent through this client.
    client = Celery(broker=settings.REDIS_URL, backend=settings.REDIS_URL, set_as_current=False)
    _round_trip(client, {"REDIS_URL": settings.REDIS_URL})
