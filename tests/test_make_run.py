"""`make run` tells the app its own address, so links in feeds and e-mails match the port it serves on."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _run_line(**env) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "SITE_URL"} | env
    out = subprocess.run(["make", "-n", "run"], cwd=ROOT, env=environment, capture_output=True, text=True, check=True)
    return next(line for line in out.stdout.splitlines() if "honcho start" in line)


def test_make_run_sets_site_url_to_its_port():
    assert "SITE_URL=http://127.0.0.1:8123 " in _run_line(PORT="8123")


def test_a_site_url_from_the_environment_wins():
    assert "SITE_URL=https://social.example.com " in _run_line(PORT="8123", SITE_URL="https://social.example.com")
