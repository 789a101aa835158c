"""What the Django admin no longer does for a workspace admin, the app does: settings, roles, invitations."""

import pytest
from django.urls import reverse

from accounts.models import Invitation, Membership, Workspace
from accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_a_workspace_admin_renames_the_workspace_and_moves_its_time_zone(client_as, workspace):
    client = client_as(Role.ADMIN)
    response = client.post(
        reverse("accounts:workspace_settings"),
        {"name": "Acme Europe", "time_zone": "Asia/Tokyo", "two_factor_policy": "admins"},
    )
    assert response.status_code == 302
    workspace.refresh_from_db()
    assert (workspace.name, workspace.time_zone) == ("Acme Europe", "Asia/Tokyo")


def test_a_bad_setting_is_a_field_error_and_nothing_is_saved(client_as, workspace):
    client = client_as(Role.ADMIN)
    response = client.post(
        reverse("accounts:workspace_settings"),
        {"name": "Renamed", "time_zone": "Mars/Olympus", "two_factor_policy": "admins"},
    )
    assert response.status_code == 400
    assert set(response.context["settings_form"].errors) == {"time_zone"}
    assert response.context["workspace"].name == "Acme"  # the header still shows the saved name
    saved = Workspace.objects.get(pk=workspace.pk)
    assert (saved.name, saved.time_zone) == ("Acme", "Europe/Paris")


@pytest.mark.parametrize("role", [Role.CONTENT_LEAD, Role.ANALYST, Role.EXECUTIVE])
def test_only_an_admin_changes_the_settings(client_as, workspace, role):
    client = client_as(role)
    data = {"name": "Taken over", "time_zone": "UTC"}
    assert client.post(reverse("accounts:workspace_settings"), data).status_code == 403
    assert Workspace.objects.get(pk=workspace.pk).name == "Acme"


def test_a_workspace_admin_changes_a_role_and_revokes_an_invitation(client_as, workspace, make_member):
    client = client_as(Role.ADMIN)
    member = make_member(Role.ANALYST)
    invitation = Invitation.objects.create(workspace=workspace, email="someone@example.test", role=Role.ANALYST)
    assert (
        client.post(reverse("accounts:member_role", args=[member.pk]), {"role": Role.CONTENT_LEAD}).status_code == 302
    )
    assert Membership.objects.get(pk=member.pk).role == Role.CONTENT_LEAD
    assert client.post(reverse("accounts:invitation_revoke", args=[invitation.pk])).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_an_invitation_of_another_workspace_cannot_be_revoked(client_as, other_workspace):
    client = client_as(Role.ADMIN)
    theirs = Invitation.objects.create(workspace=other_workspace, email="someone@example.test", role=Role.ANALYST)
    assert client.post(reverse("accounts:invitation_revoke", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
