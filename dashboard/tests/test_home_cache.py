"""The homes and the competitor benchmark are cached reads: fast to open again, never stale after a write."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Workspace
from accounts.roles import Role
from calendar_app.tasks import publish_due_publications
from calendar_app.tests.test_publishing_task import _due
from competitors.tasks import swot_suggestions_refresh
from metrics.models import DailySnapshot
from metrics.tasks import pull_profile
from metrics.tests.factories import TrackedProfileFactory
from reports.tasks import monthly_report_for_workspace

# These measure the warm (cached) pages: the cache stays on even when the suite runs uncached.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cached")]


def _to_triage(page: str) -> int | None:
    found = re.search(r'<span class="fs-4 fw-semibold">(\d+)</span> ideas to triage', page)
    return int(found.group(1)) if found else None


def _panel_titles(page: str) -> list[str]:
    return re.findall(r'<div class="card-header">([^<]+)</div>', page)


def test_a_home_opened_again_runs_none_of_its_panels_queries_and_shows_the_same_panels(client_as, workspace):
    client = client_as(Role.ADMIN)
    with CaptureQueriesContext(connection) as first:
        first_page = client.get("/").content.decode()
    with CaptureQueriesContext(connection) as again:
        page = client.get("/").content.decode()
    assert len(_panel_titles(page)) >= 8
    assert _panel_titles(page) == _panel_titles(first_page)
    assert len(again) < len(first) - 10
    tables = {re.search(r'FROM "(\w+)"', q["sql"]).group(1) for q in again.captured_queries if "FROM" in q["sql"]}
    assert not {t for t in tables if t.startswith(("stakeholders_", "audits_", "metrics_", "strategy_"))}, tables


def test_an_idea_another_member_submits_shows_on_the_cached_home_at_once(client_as, make_member, workspace):
    lead = client_as(Role.CONTENT_LEAD)
    assert _to_triage(lead.get("/").content.decode()) == 0
    contributor = Client()
    contributor.force_login(make_member(Role.CONTRIBUTOR).user)
    response = contributor.post(reverse("calendar_app:idea_new"), {"title": "Behind the scenes", "description": "Why"})
    assert response.status_code == 302
    assert _to_triage(lead.get("/").content.decode()) == 1


def test_each_member_gets_the_panels_of_their_own_role(client_as, make_member, workspace):
    lead = client_as(Role.CONTENT_LEAD)
    assert _to_triage(lead.get("/").content.decode()) == 0  # cached for the lead
    analyst = Client()
    analyst.force_login(make_member(Role.ANALYST).user)
    assert _to_triage(analyst.get("/").content.decode()) is None  # an analyst does not triage


def test_a_scheduled_pull_shows_its_figures_on_the_cached_home(client_as, workspace):
    client = client_as(Role.ADMIN)
    profile = TrackedProfileFactory(workspace=workspace, is_own=True, handle="acme")
    assert "@acme" in client.get("/").content.decode()
    pull_profile.delay(profile.pk)
    followers = DailySnapshot.objects.get(profile=profile).followers
    assert f"{followers:,}" in client.get("/").content.decode()


@pytest.mark.parametrize(
    "job",
    [
        pytest.param(lambda ws: publish_due_publications.delay() if _due(ws) else None, id="publishing"),
        pytest.param(lambda ws: swot_suggestions_refresh.delay(ws.pk), id="swot suggestions"),
        pytest.param(lambda ws: monthly_report_for_workspace.delay(ws.pk, "2026-10"), id="monthly report"),
    ],
)
def test_every_background_job_that_writes_moves_the_workspace_version(workspace, job):
    before = Workspace.objects.get(pk=workspace.pk).data_version
    job(workspace)
    assert Workspace.objects.get(pk=workspace.pk).data_version > before


def test_the_competitor_benchmark_is_cached_until_a_competitor_is_added(client_as, workspace):
    client = client_as(Role.ADMIN)
    client.get(reverse("competitors:benchmark"))
    with CaptureQueriesContext(connection) as again:
        client.get(reverse("competitors:benchmark"))
    assert not [q for q in again.captured_queries if "metrics_" in q["sql"]]
    response = client.post(
        reverse("competitors:new"), {"name": "Globex", "website": "", "notes": "", "handle_x": "globex"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Globex" in client.get(reverse("competitors:benchmark")).content.decode()


def test_a_form_on_a_cached_home_carries_a_token_that_this_session_may_post_with(make_member, workspace):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_member(Role.ADMIN).user)
    client.get("/")  # caches the panels
    other = Client(enforce_csrf_checks=True)
    other.force_login(make_member(Role.ADMIN).user)
    other.get("/")
    page = client.get("/").content.decode()
    form = re.search(r'action="/audit/run/">\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert form is not None, "the audit panel's run form"
    assert client.post(reverse("audits:run"), {"csrfmiddlewaretoken": form.group(1)}).status_code == 302
