"""Every response carries the strict Content-Security-Policy: our own scripts and style sheets only.

The policy itself is CONTENT_SECURITY_POLICY in smm/settings.py (django-csp); the browser test
tests/browser/test_csp.py proves the pages keep to it, tests/test_no_inline_code.py that templates do.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from accounts.roles import Role
from tests.test_login_required import ROUTES

MAIN_PAGES = [
    "/",
    "/audit/",
    "/stakeholders/",
    "/stakeholders/map/",
    "/stakeholders/ambassadors/",
    "/ideas/",
    "/calendar/editorial/",
    "/calendar/publishing/",
    "/calendar/settings/",
    "/calendar/meeting/",
    "/calendar/crisis/",
    "/competitors/",
    "/competitors/swot/",
    "/metrics/",
    "/metrics/connections/",
    "/metrics/connections/connect/",
    "/metrics/top/",
    "/strategy/",
    "/strategy/charter/",
    "/reports/",
    "/accounts/members/",
]


def policy(response) -> dict[str, list[str]]:
    """The header as {directive: [sources]}."""
    header = response.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']} answered {response.status_code} without a CSP header"
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


def assert_strict(response):
    directives = policy(response)
    path = response.request["PATH_INFO"]
    assert directives["default-src"] == ["'self'"], path
    assert directives["script-src"] == ["'self'"], f"{path}: script-src {directives['script-src']}"
    style = directives["style-src"]
    assert style[0] == "'self'" and all(re.fullmatch(r"'nonce-[A-Za-z0-9+/=]+'", s) for s in style[1:]), (
        f"{path}: style-src {style}"
    )
    for directive in ("script-src", "style-src"):
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"} & set(directives[directive]), path
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "url"), ROUTES, ids=[u for _, u in ROUTES])
def test_every_address_answers_an_anonymous_visitor_with_the_policy(client, name, url):
    assert_strict(client.get(url))


@pytest.mark.django_db
@pytest.mark.parametrize("url", MAIN_PAGES)
def test_every_main_page_answers_a_member_with_the_policy(client_as, url):
    response = client_as(Role.ADMIN).get(url)
    assert response.status_code == 200
    assert_strict(response)


@pytest.mark.django_db
def test_the_admin_and_the_error_pages_carry_the_policy(client, client_as):
    assert_strict(client.get("/admin/login/"))
    member = client_as(Role.ADMIN)
    assert_strict(member.get("/no-such-page/"))
    assert_strict(member.get("/calendar/publishing/999999/"))


@pytest.mark.django_db
def test_only_the_calendars_carry_a_nonce_and_it_is_the_one_fullcalendar_reads(client_as):
    client = client_as(Role.ADMIN)
    page = client.get("/calendar/editorial/")
    nonce = re.search(r'<meta name="csp-nonce" content="([^"]+)">', page.content.decode()).group(1)
    assert policy(page)["style-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert client.get("/calendar/editorial/").content.decode().count(nonce) == 0  # a new one each time
    assert policy(client.get("/metrics/"))["style-src"] == ["'self'"]


@pytest.mark.django_db
def test_no_report_address_unless_the_operator_sets_one(client):
    assert "report-uri" not in policy(client.get("/accounts/login/"))


def test_the_operator_sets_the_report_address_in_the_environment():
    show = "from django.conf import settings; print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['report-uri'])"
    env = {**os.environ, "CSP_REPORT_URI": "https://csp.example.com/report", "DJANGO_SETTINGS_MODULE": "smm.settings"}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {show}"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "https://csp.example.com/report", result.stderr
