"""Real parts for fault tests: a private redis-server per test and Celery worker processes against the test database.

A fault test needs a broker nobody else uses (another test, a developer's worker), so that it can stop or freeze
it and count what its own workers did: `private_redis` starts a redis-server on a free port in the test's folder.
`start_worker` runs `celery worker` as a subprocess on the test database the test committed its rows to, so that
it can be killed with SIGKILL like a real worker.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
REDIS_SERVER = shutil.which("redis-server")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own; stop() and start() it, or freeze() and thaw() it (SIGSTOP, SIGCONT)."""

    def __init__(self, folder: Path):
        self.folder, self.port = folder, _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.thaw()
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def freeze(self) -> None:
        """The broker stops answering but keeps its connections open, as a hung or overloaded server does."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)


@pytest.fixture
def private_redis(tmp_path):
    if REDIS_SERVER is None:
        pytest.skip("needs redis-server on the PATH (Debian's redis-server) to start a broker of the test's own")
    redis = PrivateRedis(tmp_path)
    redis.start()
    yield redis
    redis.stop()


# Worker processes name themselves to PostgreSQL, so a test can wait for the sessions of the ones it killed.
WORKER_APPLICATION_NAME = "smm-test-worker"


def database_url() -> str:
    """The test database, as a DATABASE_URL for another process (PostgreSQL only: SQLite's test database is
    in memory)."""
    db = settings.DATABASES["default"]
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
        f"?application_name={WORKER_APPLICATION_NAME}"
    )


def workers_left_the_database() -> bool:
    """No session of a worker process is left on the test database (PostgreSQL ends a killed one's shortly)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s",
            [WORKER_APPLICATION_NAME],
        )
        return cursor.fetchone()[0] == 0


def worker_env(broker_url: str, **extra) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": broker_url, "CACHE_URL": broker_url}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env["DEMO_PLATFORM_DIR"] = str(settings.DEMO_PLATFORM_DIR)
    env.update({key: str(value) for key, value in extra.items()})
    return env


def start_worker(
    broker_url: str, *, queues=("celery",), concurrency: int = 1, pool: str = "prefork", name: str = "w1", **env
) -> subprocess.Popen:
    """A `celery worker` process on the test database; extra keyword arguments become its environment."""
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "smm", "worker", "-Q", ",".join(queues), "--pool", pool,
         "--concurrency", str(concurrency), "-n", f"{name}@%h", "--without-heartbeat", "--without-gossip",
         "--without-mingle", "--loglevel", "WARNING"],
        cwd=ROOT, env=worker_env(broker_url, **env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,  # its pool's children die with it when the test kills the group
    )  # fmt: skip


def kill_worker(worker: subprocess.Popen, sig=signal.SIGKILL) -> str:
    """Kill the worker and its pool processes at once, as the kernel's OOM killer or a lost machine would."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(worker.pid, sig)
    return worker.communicate(timeout=30)[0] or ""


def client_app(broker_url: str) -> Celery:
    """A Celery client of its own: set_as_current=False keeps the project's (eager) app for every other test."""
    return Celery(broker=broker_url, backend=broker_url, set_as_current=False)


def wait_for(predicate, *, timeout: float = 60, interval: float = 0.05, what: str = "the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
