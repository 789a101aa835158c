"""Cached reads are served until the workspace's data next changes, and never after."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, User, Workspace
from accounts.roles import Role
from accounts.tests.factories import MembershipFactory
from accounts.workspace_cache import cached_read, mark_changed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cached")]  # the cache on, even in an uncached run


def _version(workspace) -> int:
    return Workspace.objects.values_list("data_version", flat=True).get(pk=workspace.pk)


def _counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return compute


def test_a_members_request_that_may_write_moves_their_workspace_version_and_no_other(
    client_as, workspace, other_workspace
):
    client = client_as(Role.ADMIN)
    before, other_before = _version(workspace), _version(other_workspace)
    client.get("/")
    client.head("/audit/")
    assert _version(workspace) == before
    client.post(reverse("audits:run"))
    assert _version(workspace) == before + 1
    client.post(reverse("calendar_app:idea_new"), {"title": ""})  # refused by its form: a miss, never stale data
    assert _version(workspace) == before + 2
    assert _version(other_workspace) == other_before


def test_a_superusers_post_to_the_admin_moves_every_workspace_version(client, workspace, other_workspace):
    staff = User.objects.create_superuser(email="root@example.com", password="x")
    client.force_login(staff)
    member = MembershipFactory(workspace=other_workspace, role=Role.ANALYST)
    before = {ws.pk: _version(ws) for ws in (workspace, other_workspace)}
    client.post(reverse("admin:accounts_membership_change", args=[member.pk]), {"role": Role.CONTRIBUTOR})
    assert Membership.objects.get(pk=member.pk).role == Role.CONTRIBUTOR
    assert {ws.pk: _version(ws) for ws in (workspace, other_workspace)} == {pk: v + 1 for pk, v in before.items()}


def test_a_staff_users_post_to_the_admin_moves_only_their_workspaces_version(client, workspace, other_workspace):
    staff = MembershipFactory(workspace=workspace, user__is_staff=True).user
    staff.user_permissions.set(Permission.objects.filter(codename__endswith="_membership"))
    client.force_login(staff)
    member = MembershipFactory(workspace=workspace, role=Role.ANALYST)
    before, other_before = _version(workspace), _version(other_workspace)
    client.post(reverse("admin:accounts_membership_change", args=[member.pk]), {"role": Role.CONTRIBUTOR})
    assert Membership.objects.get(pk=member.pk).role == Role.CONTRIBUTOR
    assert (_version(workspace), _version(other_workspace)) == (before + 1, other_before)


def test_saving_a_copy_loaded_before_a_write_keeps_the_newer_version(workspace):
    stale = Workspace.objects.get(pk=workspace.pk)
    mark_changed(workspace.pk)
    stale.name = "Acme Europe"
    stale.save()
    saved = Workspace.objects.get(pk=workspace.pk)
    assert saved.name == "Acme Europe"
    assert saved.data_version == stale.data_version + 1


def test_a_read_is_computed_once_per_version_day_and_parts(workspace, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    compute = _counter()
    assert cached_read(workspace, "read", compute=compute) == 1
    assert cached_read(workspace, "read", compute=compute) == 1
    assert cached_read(workspace, "read", "another-member", compute=compute) == 2
    mark_changed(workspace.pk)
    workspace.refresh_from_db()
    assert cached_read(workspace, "read", compute=compute) == 3
    time_machine.move_to(timezone.now() + timedelta(days=1), tick=False)  # "due this week" moves at midnight
    assert cached_read(workspace, "read", compute=compute) == 4


def test_workspaces_never_share_a_read(workspace, other_workspace):
    assert cached_read(workspace, "read", compute=lambda: "ours") == "ours"
    assert cached_read(other_workspace, "read", compute=lambda: "theirs") == "theirs"


def test_an_entry_that_cannot_be_loaded_is_computed_again(workspace, monkeypatch):
    class EntryOfAnOlderRelease:
        def get(self, key, default=None):
            raise AttributeError("Can't get attribute 'OldPanel' on <module 'dashboard.panels'>")

        def set(self, key, value, timeout):
            stored.append(value)

    stored = []
    monkeypatch.setattr("accounts.workspace_cache.cache", EntryOfAnOlderRelease())
    assert cached_read(workspace, "read", compute=lambda: "fresh") == "fresh"
    assert stored == ["fresh"]


def test_with_the_cached_reads_switched_off_every_read_computes(workspace, settings):
    settings.WORKSPACE_CACHE_ENABLED = False
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert [cached_read(workspace, "read", compute=compute) for _ in range(2)] == [1, 2]
    settings.WORKSPACE_CACHE_ENABLED = True
    assert [cached_read(workspace, "read", compute=compute) for _ in range(2)] == [3, 3]
