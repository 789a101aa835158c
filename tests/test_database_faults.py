"""A database connection killed between two requests: the next request is answered, not a 500.

A real gunicorn (one sync worker, so both requests share its kept connection, CONN_MAX_AGE > 0) serves the test
database; between the requests the test ends that connection from PostgreSQL's side (pg_terminate_backend), as a
database restart, a failover or an idle timeout would. The same run without CONN_HEALTH_CHECKS shows the fault the
setting fixes: that request answers 500.
"""

import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.db import connection

from accounts.roles import Role
from tests.markers import requires_postgres
from tests.workers import ROOT, WORKER_APPLICATION_NAME, _free_port, database_url, wait_for

pytestmark = [pytest.mark.fault, requires_postgres, pytest.mark.django_db(transaction=True)]

APPLICATION = "smm-web-fault-test"


def _start_web(port: int, tmp_path, *, health_checks: bool) -> subprocess.Popen:
    env = {
        **os.environ,
        # application_name lets the test find the web worker's own session among the database's.
        "DATABASE_URL": database_url().replace(WORKER_APPLICATION_NAME, APPLICATION),
        "CONN_MAX_AGE": "60",
        "REDIS_URL": "",
        "CACHE_URL": "",
        "VAR_DIR": str(tmp_path),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.pop("CONN_HEALTH_CHECKS", None)  # with health checks: the settings' default, as a deployment has it
    if not health_checks:
        env["CONN_HEALTH_CHECKS"] = "0"
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "smm.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def _get(port: int, path: str, session: str | None = None) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    if session:
        request.add_header("Cookie", f"{settings.SESSION_COOKIE_NAME}={session}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (the test's own server)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0  # not listening yet


def _web_sessions() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s", [APPLICATION])
        return [pid for (pid,) in cursor.fetchall()]


def _terminate(pids: list[int]) -> None:
    with connection.cursor() as cursor:
        for pid in pids:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


def _requests_around_a_killed_connection(client, make_member, tmp_path, *, health_checks: bool) -> list[int]:
    member = make_member(Role.ANALYST)
    client.force_login(member.user)  # a session row in the test database, which the web worker reads
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    port = _free_port()
    web = _start_web(port, tmp_path, health_checks=health_checks)
    try:
        wait_for(lambda: _get(port, "/accounts/login/") == 200, timeout=60, what="gunicorn to answer")
        statuses = [_get(port, "/", session)]
        kept = _web_sessions()
        assert len(kept) == 1, kept  # one sync worker, one kept connection
        _terminate(kept)
        wait_for(lambda: not _web_sessions(), timeout=10, what="the connection to end")
        statuses += [_get(port, "/", session), _get(port, "/", session)]
    finally:
        web.terminate()
        output = web.communicate(timeout=30)[0]
    assert statuses[0] == 200, output
    return statuses


def test_the_request_after_its_database_connection_was_killed_is_answered(client, make_member, tmp_path):
    assert _requests_around_a_killed_connection(client, make_member, tmp_path, health_checks=True) == [200, 200, 200]


def test_without_health_checks_the_request_after_a_killed_connection_answers_500(client, make_member, tmp_path):
    # What CONN_HEALTH_CHECKS fixes: the kept connection is found dead only by the request that uses it.
    assert _requests_around_a_killed_connection(client, make_member, tmp_path, health_checks=False) == [200, 500, 200]
