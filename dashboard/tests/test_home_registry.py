"""Every app's panels are in the home's registry, and a write shows on the next page at once (nothing is cached)."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from dashboard.home import FIGURE_PANEL_PROVIDERS, PANEL_PROVIDERS
from metrics.models import DailySnapshot
from metrics.tasks import pull_profile
from metrics.tests.factories import TrackedProfileFactory
from tests.homes import home_as_shown


def test_every_app_with_a_panels_module_has_its_provider_in_the_registry():
    with_panels = {c.name for c in apps.get_app_configs() if (Path(c.path) / "panels.py").exists()} - {"dashboard"}
    providers = PANEL_PROVIDERS + FIGURE_PANEL_PROVIDERS
    assert {provider.__module__ for provider in providers} == {f"{app}.panels" for app in with_panels}
    assert all(provider.__name__ == "panels" for provider in PANEL_PROVIDERS)
    assert all(provider.__name__ == "figure_panels" for provider in FIGURE_PANEL_PROVIDERS)


def _to_triage(page: str) -> int | None:
    found = re.search(r'<span class="fs-4 fw-semibold">(\d+)</span> ideas to triage', page)
    return int(found.group(1)) if found else None


@pytest.mark.django_db
def test_an_idea_another_member_submits_shows_on_the_next_home_at_once(client_as, make_member, workspace):
    lead = client_as(Role.CONTENT_LEAD)
    assert _to_triage(lead.get("/").content.decode()) == 0
    contributor = Client()
    contributor.force_login(make_member(Role.CONTRIBUTOR).user)
    response = contributor.post(reverse("calendar_app:idea_new"), {"title": "Behind the scenes", "description": "Why"})
    assert response.status_code == 302
    assert _to_triage(lead.get("/").content.decode()) == 1


@pytest.mark.django_db
def test_a_landed_pull_shows_its_figures_on_the_next_home_at_once(client_as, workspace):
    client = client_as(Role.ADMIN)
    profile = TrackedProfileFactory(workspace=workspace, is_own=True, handle="acme")
    assert 'data-network="x"' in home_as_shown(client)  # its network, without figures yet
    pull_profile.delay(profile.pk)
    followers = DailySnapshot.objects.get(profile=profile).followers
    assert f"{followers:,}" in home_as_shown(client)
