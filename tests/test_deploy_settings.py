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


def test_deploy_check_prints_no_warning_behind_one_tls_proxy():
    env = {**PRODUCTION, "TRUSTED_PROXY_COUNT": "1", "LOGIN_COOLOFF_MINUTES": "30", "IDEA_ATTACHMENT_MAX_MB": "20"}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_behind_one_proxy_the_client_address_is_the_one_the_proxy_appended():
    script = (
        "from axes.helpers import get_client_ip_address; from django.test import RequestFactory; "
        "print(get_client_ip_address(RequestFactory().get('/', REMOTE_ADDR='10.0.0.1', "
        "HTTP_X_FORWARDED_FOR='203.0.113.99, 198.51.100.7')))"
    )
    behind = _manage("shell", "-c", script, env={**PRODUCTION, "TRUSTED_PROXY_COUNT": "1"})
    direct = _manage("shell", "-c", script, env=PRODUCTION)
    assert behind.stdout.strip().splitlines()[-1] == "198.51.100.7", behind.stderr
    assert direct.stdout.strip().splitlines()[-1] == "10.0.0.1", direct.stderr


def test_a_negative_proxy_count_stops_the_start_up():
    result = _manage("check", env={**PRODUCTION, "TRUSTED_PROXY_COUNT": "-1"})
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_never_connects_demo_credentials():
    """OAUTH_DEMO (metrics/demo_connect.py) is off with DEBUG off, and turning it on there stops the start-up."""
    script = "from django.conf import settings; print(settings.OAUTH_DEMO)"
    assert _manage("shell", "-c", script, env=PRODUCTION).stdout.strip().splitlines()[-1] == "False"
    result = _manage("check", env={**PRODUCTION, "OAUTH_DEMO": "1"})
    assert result.returncode != 0
    assert "OAUTH_DEMO" in result.stderr
