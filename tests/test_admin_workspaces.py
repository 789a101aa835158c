"""The Django admin as a staff user of one workspace: no row of another workspace is listed, opened or changed.

Walks every registration of `admin.site`, so a model registered later (ours or a third-party app's) is covered
without editing this file: a workspace-scoped registration needs a row maker in ROW_MAKERS (the test says so), any
other registration must refuse the staff user outright.
"""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.forms import ModelChoiceField
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from accounts.demo import DEMO_OPERATOR, DEMO_USERS
from accounts.models import Invitation, Membership, User, Workspace
from accounts.roles import Role
from accounts.tests.factories import MembershipFactory, UserFactory
from calendar_app.models import CrisisPause
from common.admin import WorkspaceScopedAdmin
from metrics.models import PullRun
from metrics.tests.factories import TrackedProfileFactory
from outbox.models import QueuedAction

pytestmark = pytest.mark.django_db


def _profile(ws):
    return TrackedProfileFactory(workspace=ws)


# One row of each workspace-scoped model in a given workspace.
ROW_MAKERS = {
    "accounts.Workspace": lambda ws: ws,
    "accounts.Membership": lambda ws: MembershipFactory(workspace=ws, role=Role.ANALYST),
    "accounts.Invitation": lambda ws: Invitation.objects.create(
        workspace=ws, email=f"invitee@{ws.slug}.test", role=Role.ANALYST
    ),
    "metrics.TrackedProfile": _profile,
    "metrics.PullRun": lambda ws: PullRun.objects.create(profile=_profile(ws)),
    "calendar_app.CrisisPause": lambda ws: CrisisPause.objects.create(
        workspace=ws, reason="Crisis", started_at=timezone.now() - timedelta(hours=1)
    ),
    "outbox.QueuedAction": lambda ws: QueuedAction.objects.create(workspace=ws, name="metrics.pull", arguments={}),
}


def _scoped_admins():
    return [(model, ma) for model, ma in admin.site._registry.items() if isinstance(ma, WorkspaceScopedAdmin)]


def _superuser_only_admins():
    return [(model, ma) for model, ma in admin.site._registry.items() if not isinstance(ma, WorkspaceScopedAdmin)]


@pytest.fixture
def world(workspace, other_workspace):
    """Rows of every scoped model in both workspaces, a staff user of the first with every model permission."""
    missing = [model._meta.label for model, _ in _scoped_admins() if model._meta.label not in ROW_MAKERS]
    assert not missing, f"add a row maker to ROW_MAKERS for {missing}"
    rows = {
        model: {
            "ours": ROW_MAKERS[model._meta.label](workspace),
            "theirs": ROW_MAKERS[model._meta.label](other_workspace),
        }
        for model, _ in _scoped_admins()
    }
    staff = UserFactory(email="staff@example.test", is_staff=True)
    staff.user_permissions.set(Permission.objects.all())
    MembershipFactory(user=staff, workspace=workspace, role=Role.ADMIN)
    their_member = MembershipFactory(workspace=other_workspace, role=Role.ADMIN).user
    Group.objects.create(name="Operators")
    return {"rows": rows, "staff": staff, "their_member": their_member}


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _snapshot(obj):
    return {f.attname: getattr(type(obj)._default_manager.get(pk=obj.pk), f.attname) for f in obj._meta.concrete_fields}


def _refused(response) -> bool:
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def _their_rows(world, model) -> set:
    if model is User:
        return {world["their_member"].pk}
    per = world["rows"].get(model)
    return {per["theirs"].pk} if per else set()


def test_a_staff_user_lists_only_their_workspaces_rows(client, world):
    client.force_login(world["staff"])
    for model, _ in _scoped_admins():
        response = client.get(_url(model, "changelist"))
        assert response.status_code == 200, model
        listed = {obj.pk for obj in response.context["cl"].result_list}
        assert world["rows"][model]["ours"].pk in listed, model
        assert world["rows"][model]["theirs"].pk not in listed, model


def test_a_staff_user_cannot_open_change_or_delete_another_workspaces_row(client, world):
    client.force_login(world["staff"])
    for model, model_admin in _scoped_admins():
        theirs = world["rows"][model]["theirs"]
        before = _snapshot(theirs)
        for view in ("change", "delete", "history"):
            assert _refused(client.get(_url(model, view, theirs.pk))), (model, view)
        data = {k: "" if v is None else v for k, v in model_to_dict(theirs).items() if not isinstance(v, list)}
        data.update({"name": "Changed", "role": Role.ADMIN, "email": "changed@example.test", "reason": "Changed"})
        for inline in model_admin.get_inline_instances(admin_request(world["staff"])):
            prefix = inline.get_formset(admin_request(world["staff"])).get_default_prefix()
            data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
        assert _refused(client.post(_url(model, "change", theirs.pk), data)), model
        assert _refused(client.post(_url(model, "delete", theirs.pk), {"post": "yes"})), model
        for action in model_admin.get_actions(admin_request(world["staff"])):
            client.post(_url(model, "changelist"), {"action": action, "_selected_action": [theirs.pk], "post": "yes"})
        assert _snapshot(theirs) == before, model


def admin_request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_a_staff_user_is_offered_no_choice_of_another_workspace(client, world):
    client.force_login(world["staff"])
    for model, model_admin in _scoped_admins():
        if not model_admin.has_add_permission(admin_request(world["staff"])):
            continue
        response = client.get(_url(model, "add"))
        assert response.status_code == 200, model
        for name, field in response.context["adminform"].form.fields.items():
            if isinstance(field, ModelChoiceField):
                offered = set(field.queryset.values_list("pk", flat=True))
                assert not offered & _their_rows(world, field.queryset.model), (model, name)


def test_autocomplete_never_returns_another_workspaces_row(client, world):
    client.force_login(world["staff"])
    asked = 0
    for source, _ in admin.site._registry.items():
        for field in source._meta.get_fields():
            if not (field.is_relation and field.concrete and field.related_model in admin.site._registry):
                continue
            response = client.get(
                reverse("admin:autocomplete"),
                {"app_label": source._meta.app_label, "model_name": source._meta.model_name, "field_name": field.name},
            )
            remote = field.related_model
            if not isinstance(admin.site._registry[remote], WorkspaceScopedAdmin):
                assert response.status_code in (403, 404), (source, field.name)
                continue
            if response.status_code == 200:
                asked += 1
                returned = {int(result["id"]) for result in response.json()["results"]}
                assert not returned & _their_rows(world, remote), (source, field.name)
    assert asked, "no autocomplete of a scoped model was asked: the walk no longer covers autocomplete"


def test_models_not_tied_to_a_workspace_are_superuser_only(client, world):
    client.force_login(world["staff"])
    for model, _ in _superuser_only_admins():
        assert client.get(_url(model, "changelist")).status_code == 403, model
        assert client.get(_url(model, "add")).status_code == 403, model
        row = model._default_manager.first()
        if row is not None:
            assert client.get(_url(model, "change", row.pk)).status_code == 403, model
    index = client.get(reverse("admin:index"))
    shown = {m["object_name"] for app in index.context["app_list"] for m in app["models"]}
    assert not shown & {model.__name__ for model, _ in _superuser_only_admins()}
    assert User.objects.get(pk=world["their_member"].pk).is_active


def test_a_model_registered_later_without_a_workspace_lookup_is_superuser_only(client, world):
    site = admin.site
    model_admin_class = type("LaterAdmin", (admin.ModelAdmin,), {})
    site.unregister(Group)
    try:
        site.register(Group, model_admin_class)  # a third-party app's plain registration
        client.force_login(world["staff"])
        assert client.get(_url(Group, "changelist")).status_code == 403
    finally:
        site.unregister(Group)
        from django.contrib.auth.admin import GroupAdmin

        site.register(Group, GroupAdmin)


def test_a_superuser_sees_every_workspace(client, world):
    client.force_login(User.objects.create_superuser(email="root@example.test", password="x"))
    for model, _ in _scoped_admins():
        listed = {obj.pk for obj in client.get(_url(model, "changelist")).context["cl"].result_list}
        assert {world["rows"][model]["ours"].pk, world["rows"][model]["theirs"].pk} <= listed, model
    for model, _ in _superuser_only_admins():
        assert client.get(_url(model, "changelist")).status_code == 200, model


def test_a_role_change_in_the_admin_goes_through_the_service_that_keeps_an_admin(client, workspace):
    only_admin = MembershipFactory(workspace=workspace, role=Role.ADMIN)
    client.force_login(User.objects.create_superuser(email="root@example.test", password="x"))
    response = client.post(_url(Membership, "change", only_admin.pk), {"role": Role.ANALYST})
    assert response.status_code == 302
    assert Membership.objects.get(pk=only_admin.pk).role == Role.ADMIN
    assert Membership.objects.filter(pk=only_admin.pk).exists()
    client.post(_url(Membership, "delete", only_admin.pk), {"post": "yes"})
    assert Membership.objects.filter(pk=only_admin.pk).exists()
    other = MembershipFactory(workspace=workspace, role=Role.ANALYST)
    client.post(_url(Membership, "change", other.pk), {"role": Role.ADMIN})
    assert Membership.objects.get(pk=other.pk).role == Role.ADMIN


def test_an_invitation_made_in_the_admin_is_sent_by_the_service(
    client, workspace, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(User.objects.create_superuser(email="root@example.test", password="x"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(Invitation, "add"), {"workspace": workspace.pk, "email": "New@Example.test", "role": Role.ADMIN}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(workspace=workspace)
    assert invitation.email == "new@example.test"
    assert len(mailoutbox) == 1 and invitation.token in mailoutbox[0].body


def test_seed_demo_gives_admin_rights_to_the_operator_only():
    stale = UserFactory(email="admin@demo.test", is_staff=True, is_superuser=True)  # as earlier releases made it
    call_command("seed_demo", verbosity=0)
    for email, _, _ in DEMO_USERS:
        user = User.objects.get(email=email)
        assert not user.is_staff and not user.is_superuser, email
    stale.refresh_from_db()
    assert not stale.is_staff and not stale.is_superuser
    operator = User.objects.get(email=DEMO_OPERATOR[0])
    assert operator.is_staff and operator.is_superuser and operator.check_password("demo")
    assert not Membership.objects.filter(user=operator).exists()


def test_a_workspace_admin_cannot_open_the_admin(client, make_member):
    client.force_login(make_member(Role.ADMIN).user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_a_workspace_created_in_the_admin_goes_through_the_service(client):
    client.force_login(User.objects.create_superuser(email="root@example.test", password="x"))
    response = client.post(_url(Workspace, "add"), {"name": "New Brand", "time_zone": "Europe/Berlin"})
    assert response.status_code == 302
    created = Workspace.objects.get(name="New Brand")
    assert (created.slug, created.time_zone) == ("new-brand", "Europe/Berlin")


def test_an_operator_deactivates_an_account_but_not_their_own(client, workspace):
    operator = User.objects.create_superuser(email="root@example.test", password="x")
    member = MembershipFactory(workspace=workspace).user
    client.force_login(operator)
    data = {"action": "deactivate", "_selected_action": [member.pk, operator.pk]}
    client.post(_url(User, "changelist"), data)
    assert not User.objects.get(pk=member.pk).is_active
    assert User.objects.get(pk=operator.pk).is_active
    client.post(_url(User, "changelist"), {"action": "activate", "_selected_action": [member.pk]})
    assert User.objects.get(pk=member.pk).is_active
