"""The broker settings as a deployment loads them: timeouts, visibility, health checks (smm/settings.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _settings_with(**env) -> dict:
    """smm.settings loaded in a fresh process with this environment, as a web or worker process would."""
    code = (
        "import json; from smm import settings as s; print(json.dumps({'broker': s.CELERY_BROKER_URL, "
        "'options': s.CELERY_BROKER_TRANSPORT_OPTIONS, 'health': s.DATABASES['default']['CONN_HEALTH_CHECKS']}))"
    )
    environment = {**os.environ, **env}
    output = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True)
    assert output.returncode == 0, output.stderr
    return json.loads(output.stdout.splitlines()[-1])


def test_a_message_is_given_to_another_worker_only_after_its_longest_wait_and_run():
    assert settings.BROKER_VISIBILITY_TIMEOUT > settings.TASK_LONGEST_COUNTDOWN + settings.CELERY_TASK_TIME_LIMIT
    # The outbox takes an attempt for dead only once the time limit has certainly stopped it.
    assert settings.OUTBOX_ATTEMPT_LEASE.total_seconds() > settings.CELERY_TASK_TIME_LIMIT


def test_with_redis_the_broker_has_tight_timeouts_and_the_visibility_timeout_set(tmp_path):
    loaded = _settings_with(REDIS_URL="redis://127.0.0.1:6379/9", VAR_DIR=str(tmp_path))
    assert loaded["broker"] == "redis://127.0.0.1:6379/9"
    options = loaded["options"]
    assert options["visibility_timeout"] == settings.BROKER_VISIBILITY_TIMEOUT
    assert options["socket_connect_timeout"] <= 2 and options["socket_timeout"] <= 2
    assert options["retry_on_timeout"] is False


def test_without_redis_the_embedded_broker_keeps_its_folders(tmp_path):
    loaded = _settings_with(REDIS_URL="", VAR_DIR=str(tmp_path))
    assert loaded["broker"] == "filesystem://"
    assert loaded["options"]["data_folder_in"] == str(tmp_path / "celery" / "queue")


def test_database_connections_are_checked_before_reuse_unless_turned_off(tmp_path):
    assert _settings_with(VAR_DIR=str(tmp_path))["health"] is True
    assert _settings_with(VAR_DIR=str(tmp_path), CONN_HEALTH_CHECKS="0")["health"] is False
