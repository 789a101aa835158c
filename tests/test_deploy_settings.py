"""Production settings: `check --deploy` is clean, and a missing secret stops the start-up."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-secret-that-is-long-and-random-" + "x7Hq2" * 8,
    "ALLOWED_HOSTS": "social.example.com",
    "TOKEN_ENCRYPTION_KEY": "aGVsbG8td29ybGQtdG9rZW4ta2V5LTMyLWJ5dGVzISE=",
}


def _manage(*args, env):
    # The test run itself sets DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; a production process never would.
    base = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_deploy_check_prints_no_warning_in_production():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
