"""Publishing under real faults: the crisis switch against a running batch, and workers killed mid-batch.

A throw-away workspace "Bench Publishing" gets N publications due now on demo accounts. Real Celery worker
processes (on a redis-server of the benchmark's own, against DATABASE_URL: PostgreSQL) publish them through the demo platform slowed to a real platform's pace
(DEMO_PLATFORM_LATENCY); the demo platform's ledger (one line per accepted post, with the time its call began)
is what went out. The benchmark plays beat itself: it sends the minute's publishing task every second.

- crisis: once `pause_after` posts went out, the crisis switch is switched on through the real view (a POST to
  /calendar/crisis/ by the workspace admin, in process); the figures are the request's time, the platform calls
  that began after it returned, and how many publications the pause held.
- kill: once `kill_after` posts went out, every worker is killed with SIGKILL (whole process groups), new ones
  are started, and the batch runs to its end; the figures are posts the platform received more than once and
  publications left without an outcome.
"""

import os
import signal
import subprocess
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from tempfile import mkdtemp

from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.models import Membership, User, Workspace
from accounts.roles import Role
from calendar_app.models import ContentItem, CrisisPause, Publication
from metrics.connectors.demo import PublishedLedger
from metrics.models import TrackedProfile
from tests.workers import REDIS_SERVER, PrivateRedis, client_app, kill_worker, start_worker

SLUG = "bench-publishing"
ADMIN = "admin@bench-publishing.test"
TICK_TASK = "calendar_app.publish_due_publications"


def _fresh_workspace(publications: int) -> Workspace:
    remove()
    workspace = Workspace.objects.create(
        name="Bench Publishing",
        slug=SLUG,
        time_zone="Europe/Paris",
        two_factor_policy="nobody",  # force_login
    )
    user = User.objects.filter(email=ADMIN).first() or User.objects.create_user(email=ADMIN, password="bench")  # noqa: S106 -- a bench login
    Membership.objects.create(user=user, workspace=workspace, role=Role.ADMIN)
    profiles = [
        TrackedProfile.objects.create(workspace=workspace, platform=platform, handle=f"bench_pub_{platform}")
        for platform in ("x", "facebook", "linkedin")
    ]
    item = ContentItem.objects.create(workspace=workspace, title="Bench batch", due_date=timezone.localdate())
    due = timezone.now() - timedelta(minutes=1)
    Publication.objects.bulk_create(
        Publication(
            workspace=workspace,
            content_item=item,
            profile=profiles[n % len(profiles)],
            copy=f"Bench post #{n}",
            scheduled_at=due,
            status=Publication.Status.SCHEDULED,
        )
        for n in range(publications)
    )
    return workspace


def remove() -> None:
    workspace = Workspace.objects.filter(slug=SLUG).first()
    if workspace is not None:
        Publication.objects.filter(workspace=workspace).delete()  # PROTECT on the profile
        workspace.delete()


def _sent(ledger_dir: Path) -> list[dict]:
    return [
        entry
        for platform in ("x", "facebook", "linkedin")
        for entry in PublishedLedger(platform).entries()
        if entry["text"].startswith("Bench post #")
    ] if ledger_dir.exists() else []  # fmt: skip


class _Run:
    """Workers, the simulated beat and the ledger of one scenario."""

    def __init__(self, *, workers: int, concurrency: int, latency: float, queue: str, log):
        if REDIS_SERVER is None:
            raise LookupError(
                "The publishing benchmark starts a redis-server of its own: install Debian's redis-server."
            )
        self.ledger_dir = Path(mkdtemp(prefix="bench-publishing-"))
        # A redis-server of its own: no other worker (a developer's `make run`) takes the batch's tasks.
        self.broker_server = PrivateRedis(self.ledger_dir)
        self.broker_server.start()
        self.broker = self.broker_server.url
        settings.DEMO_PLATFORM_DIR = self.ledger_dir  # this process reads the ledger the workers write
        self.env = {
            "DEMO_PLATFORM_LATENCY": latency,
            "DEMO_PLATFORM_DIR": self.ledger_dir,
            "PUBLISH_SENDING_TIMEOUT": 5,  # a killed worker's posts are looked up after 5 s, not minutes
        }
        self.workers, self.concurrency, self.queue, self.log = workers, concurrency, queue, log
        self.processes = []
        self.client = client_app(self.broker)

    def start_workers(self, generation: int = 1) -> None:
        self.processes = [
            start_worker(
                self.broker,
                queues=(self.queue,),
                concurrency=self.concurrency,
                name=f"bench{generation}-{n}",
                **self.env,
            )
            for n in range(self.workers)
        ]

    def tick(self) -> None:
        self.client.send_task(TICK_TASK, queue=self.queue)

    def sent(self) -> list[dict]:
        return _sent(self.ledger_dir)

    def run_until(self, predicate, *, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        next_tick = 0.0
        while time.monotonic() < deadline:
            if predicate():
                return True
            if time.monotonic() >= next_tick:
                self.tick()
                next_tick = time.monotonic() + 1.0
            time.sleep(0.02)
        return False

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                kill_worker(process)
        self.broker_server.stop()


def _settled(workspace) -> bool:
    """Nothing left to send or being sent (paused and held posts wait for a person)."""
    return not Publication.objects.filter(
        workspace=workspace, status__in=[Publication.Status.SCHEDULED, "sending"]
    ).exists()


def crisis(*, publications: int, pause_after: int, workers: int, concurrency: int, latency: float, queue: str, log):
    workspace = _fresh_workspace(publications)
    run = _Run(workers=workers, concurrency=concurrency, latency=latency, queue=queue, log=log)
    browser = Client()
    browser.force_login(User.objects.get(email=ADMIN))
    browser.get("/calendar/crisis/")  # a warm process, as a web server that has served a page before
    run.start_workers()
    try:
        if not run.run_until(lambda: len(run.sent()) >= pause_after, timeout=120):
            raise RuntimeError("The workers published nothing in 2 minutes: are they consuming the queue?")
        started = time.time()
        response = browser.post("/calendar/crisis/", {"reason": "Bench: a crisis during a batch"})
        returned = time.time()
        recorded = CrisisPause.objects.filter(workspace=workspace).exists()
        run.run_until(lambda: _settled(workspace) or time.time() - returned > 5, timeout=publications * latency)
        time.sleep(max(2 * latency, 1.0))  # calls already on their way land
        sent = run.sent()
    finally:
        run.stop()
    statuses = Counter(Publication.objects.filter(workspace=workspace).values_list("status", flat=True))
    result = {
        "publications": publications,
        "latency_s": latency,
        "workers": workers * concurrency,
        "switch_ms": round((returned - started) * 1000, 1),
        "switch_status": response.status_code,
        "pause_recorded": recorded,
        "sent_before_switch": sum(1 for e in sent if e["called_at"] < started),
        "calls_started_after_switch_returned": sum(1 for e in sent if e["called_at"] > returned),
        "sent_in_all": len(sent),
        "statuses": dict(statuses),
    }
    remove()
    return result


def kill(*, publications: int, kill_after: int, workers: int, concurrency: int, latency: float, queue: str, log):
    workspace = _fresh_workspace(publications)
    run = _Run(workers=workers, concurrency=concurrency, latency=latency, queue=queue, log=log)
    run.start_workers()
    try:
        if not run.run_until(lambda: len(run.sent()) >= kill_after, timeout=120):
            raise RuntimeError("The workers published nothing in 2 minutes: are they consuming the queue?")
        for process in run.processes:
            kill_worker(process)
        killed_at = len(run.sent())
        run.start_workers(generation=2)
        # A post whose worker died is looked up once its send timed out; give the batch time to end.
        run.run_until(lambda: _settled(workspace), timeout=publications * latency + 120)
        time.sleep(max(2 * latency, 1.0))
        sent = run.sent()
    finally:
        run.stop()
    copies = Counter(entry["text"] for entry in sent)
    statuses = Counter(Publication.objects.filter(workspace=workspace).values_list("status", flat=True))
    result = {
        "publications": publications,
        "latency_s": latency,
        "workers": workers * concurrency,
        "sent_when_killed": killed_at,
        "posted_twice_or_more": sum(1 for n in copies.values() if n > 1),
        "never_sent": publications - len(copies),
        "statuses": dict(statuses),
    }
    remove()
    return result


def table(name: str, result: dict) -> str:
    return "\n".join([f"{name}:", *(f"  {key:<38} {value}" for key, value in result.items())])
