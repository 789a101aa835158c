"""A workspace admin tracks, corrects and resumes the brand's own accounts on the connections page, not the admin."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from metrics.models import TrackedProfile
from metrics.platforms import Platform
from metrics.tests.factories import TrackedProfileFactory

pytestmark = pytest.mark.django_db


def test_an_admin_tracks_an_own_account_from_the_connections_page(client_as, workspace):
    client = client_as(Role.ADMIN)
    response = client.post(
        reverse("metrics:own_profile_add"), {"platform": Platform.INSTAGRAM, "handle": "@AcmeBrand", "source": "demo"}
    )
    assert response.status_code == 302
    profile = TrackedProfile.objects.get(workspace=workspace)
    assert (profile.platform, profile.handle, profile.is_own, profile.source) == (
        "instagram",
        "AcmeBrand",
        True,
        "demo",
    )
    assert "Track this account" in client.get(reverse("metrics:connect")).content.decode()


def test_a_handle_already_tracked_or_malformed_is_a_field_error(client_as, workspace):
    TrackedProfileFactory(workspace=workspace, platform=Platform.X, handle="acme")
    client = client_as(Role.ADMIN)
    for handle, error in (("ACME", "already one of the brand"), ("not a handle!", "is not a handle"), ("", "required")):
        response = client.post(
            reverse("metrics:own_profile_add"), {"platform": "x", "handle": handle, "source": "demo"}
        )
        assert response.status_code == 400
        assert error in response.context["profile_form"].errors["handle"][0]
    assert TrackedProfile.objects.filter(workspace=workspace).count() == 1


def test_only_a_role_that_manages_connections_adds_or_edits_an_account(client_as, workspace):
    profile = TrackedProfileFactory(workspace=workspace)
    client = client_as(Role.ANALYST)
    data = {"platform": "x", "handle": "new", "source": "demo"}
    assert client.post(reverse("metrics:own_profile_add"), data).status_code == 403
    assert client.get(reverse("metrics:own_profile_edit", args=[profile.pk])).status_code == 403
    assert client.post(reverse("metrics:profile_resume", args=[profile.pk])).status_code == 403


def test_editing_corrects_the_handle_and_another_workspaces_or_a_competitors_profile_is_not_found(
    client_as, workspace, other_workspace
):
    profile = TrackedProfileFactory(workspace=workspace, handle="acme_typo", next_pull_at="2030-01-01T00:00:00Z")
    theirs = TrackedProfileFactory(workspace=other_workspace)
    competitor = TrackedProfileFactory(workspace=workspace, is_own=False)
    client = client_as(Role.ADMIN)
    assert client.get(reverse("metrics:own_profile_edit", args=[profile.pk])).status_code == 200
    response = client.post(
        reverse("metrics:own_profile_edit", args=[profile.pk]), {"handle": "acme", "source": "live", "is_active": "on"}
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.handle, profile.source, profile.is_active, profile.next_pull_at) == ("acme", "live", True, None)
    for other in (theirs, competitor):
        assert client.get(reverse("metrics:own_profile_edit", args=[other.pk])).status_code == 404
        assert client.post(reverse("metrics:profile_resume", args=[theirs.pk])).status_code == 404


def test_resuming_a_stopped_profile_clears_the_stop(client_as, workspace):
    profile = TrackedProfileFactory(workspace=workspace, handle="acme")
    TrackedProfile.objects.filter(pk=profile.pk).update(pulls_stopped="not_available", pulls_stopped_for="x:demo:acme")
    client = client_as(Role.ADMIN)
    assert "Pull on schedule again" in client.get(reverse("metrics:connections")).content.decode()
    assert client.post(reverse("metrics:profile_resume", args=[profile.pk])).status_code == 302
    profile.refresh_from_db()
    assert not profile.pulls_are_stopped
