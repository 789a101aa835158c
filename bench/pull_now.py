"""How long "Pull now" takes to answer with the broker up, stopped and frozen (`manage.py bench_pull_now`).

The benchmark starts a redis-server of its own (tests/workers.py's PrivateRedis) and points the project's Celery app
at it, keeping the Redis transport options that the settings give with REDIS_URL set: so the same script measures
any version of the code as it would run in production. Each click is the real view through django.test.Client,
logged in as an admin of a throw-away workspace "Bench Outbox" (deleted afterwards), each on a profile of its own
(a second click on a profile whose pull still waits is answered from the row, which would measure nothing).
Stopped: the redis-server is terminated (connection refused). Frozen: SIGSTOP before the click, SIGCONT once the
click has answered or waited `cap` seconds (it then keeps waiting, and the time it finally took is reported).
No worker runs: what is measured is the request, not the pull.
"""

import statistics
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import reverse

SCENARIOS = ("up", "stopped", "frozen")


def _workspace():
    from accounts.models import Membership, User, Workspace
    from accounts.roles import Role

    Workspace.objects.filter(slug="bench-outbox").delete()
    workspace = Workspace.objects.create(
        name="Bench Outbox", slug="bench-outbox", two_factor_policy="nobody"
    )  # force_login
    user, _ = User.objects.get_or_create(email="admin@bench-outbox.test")
    Membership.objects.create(workspace=workspace, user=user, role=Role.ADMIN)
    return workspace, user


def _click(client, profile, cap: float, on_wait=None) -> dict:
    """One "Pull now"; `on_wait` runs once the click has answered or has waited `cap` seconds (the thaw)."""
    outcome = {}

    def post():
        started = time.perf_counter()
        try:
            response = client.post(reverse("metrics:pull_now", args=[profile.pk]))
            outcome["status"] = response.status_code
            outcome["message"] = [str(m) for m in response.wsgi_request._messages][-1]  # this click's
        except Exception as error:  # the test client re-raises what the view raised: a 500 for a real client
            outcome["status"] = 500
            outcome["message"] = f"{type(error).__name__}: {' '.join(str(error).split())[:100]}"
        outcome["seconds"] = time.perf_counter() - started

    thread = threading.Thread(target=post, daemon=True)
    thread.start()
    thread.join(cap)
    outcome["capped"] = thread.is_alive()
    if on_wait:
        on_wait()
    thread.join()
    return outcome


def run(*, requests: int, cap: float, log=print) -> dict:
    from metrics.models import TrackedProfile
    from smm.celery import app
    from tests.broker import celery_app_on
    from tests.workers import PrivateRedis

    workspace, user = _workspace()
    client = Client()
    client.force_login(user)
    profiles = iter(
        TrackedProfile.objects.create(workspace=workspace, platform="x", handle=f"bench_outbox_{n}")
        for n in range(1 + requests * len(SCENARIOS))
    )
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        broker = PrivateRedis(Path(folder))
        broker.start()
        try:
            with celery_app_on(broker.url, transport_options=dict(app.conf.broker_transport_options or {})):
                client.post(reverse("metrics:pull_now", args=[next(profiles).pk]))  # warm: connections open
                for scenario in SCENARIOS:
                    if scenario == "stopped":
                        broker.stop()
                    clicks = []
                    for _ in range(requests):
                        if scenario == "frozen":
                            broker.freeze()
                            clicks.append(_click(client, next(profiles), cap, on_wait=broker.thaw))
                        else:
                            clicks.append(_click(client, next(profiles), cap))
                    if scenario == "stopped":
                        broker.start()
                    results[scenario] = _summary(clicks)
                    log(
                        f"  {scenario}: {results[scenario]['median_s']:.2f} s median, {results[scenario]['max_s']:.2f} s max"
                    )
        finally:
            broker.stop()
            workspace.delete()
    return {"requests": requests, "cap_s": cap, "transport_options": _shown(app), "scenarios": results}


def _summary(clicks: list[dict]) -> dict:
    seconds = [click["seconds"] for click in clicks]
    return {
        "median_s": statistics.median(seconds),
        "max_s": max(seconds),
        "statuses": sorted({click["status"] for click in clicks}),
        "capped": sum(click["capped"] for click in clicks),
        "message": clicks[-1]["message"],
    }


def _shown(app) -> dict:
    options = app.conf.broker_transport_options or {}
    return {key: options[key] for key in sorted(options) if "timeout" in key or key == "max_retries"}


def table(result: dict) -> str:
    lines = [
        f"{'broker':<8} {'median':>8} {'max':>8}  {'status':<8} answer",
        f"{'-' * 8} {'-' * 8} {'-' * 8}  {'-' * 8} {'-' * 40}",
    ]
    for scenario, row in result["scenarios"].items():
        over = f" ({row['capped']} still waiting at {result['cap_s']:.0f} s)" if row["capped"] else ""
        statuses = ",".join(str(s) for s in row["statuses"])
        lines.append(
            f"{scenario:<8} {row['median_s']:>7.2f}s {row['max_s']:>7.2f}s  {statuses:<8} {row['message']}{over}"
        )
    lines.append(f"transport options: {result['transport_options'] or 'none (kombu defaults)'}")
    return "\n".join(lines)


def require_redis_settings() -> None:
    if not settings.REDIS_URL:
        raise LookupError(
            "Run with REDIS_URL set (any Redis: the benchmark sends to a redis-server of its own, but takes the "
            "settings that production has with Redis)."
        )
