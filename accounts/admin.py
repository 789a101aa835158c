"""Operators' view of people and workspaces; workspace admins do all of this in the app (Members page)."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import reverse

from common.admin import WorkspaceScopedAdmin

from . import services
from .models import Invitation, Membership, User, Workspace


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Superuser-only (a user is not tied to one workspace). Operators are created with `createsuperuser`,
    members through invitations; here an operator finds an account, activates or deactivates it, grants staff."""

    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_superuser", "is_active", "last_login", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    readonly_fields = ["email", "last_login", "date_joined"]
    actions = ["activate", "deactivate"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Activate the selected accounts", permissions=["change"])
    def activate(self, request, queryset):
        self._set_active(request, queryset, active=True)

    @admin.action(description="Deactivate the selected accounts (they can no longer log in)", permissions=["change"])
    def deactivate(self, request, queryset):
        self._set_active(request, queryset, active=False)

    def _set_active(self, request, queryset, *, active: bool):
        done = 0
        for user in queryset:
            try:
                services.user_set_active(user=user, active=active, by=request.user)
                done += 1
            except ValidationError as refusal:
                self.message_user(request, " ".join(refusal.messages), messages.ERROR)
        self.message_user(request, f"{done} account(s) {'activated' if active else 'deactivated'}.", messages.SUCCESS)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "created_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Workspace)
class WorkspaceAdmin(WorkspaceScopedAdmin):
    """The workspaces and their members. A superuser creates a workspace here and invites its first admin;
    its name and time zone are then the workspace admins' (Members page, Settings)."""

    workspace_lookup = "pk"
    list_display = ["name", "slug", "time_zone", "member_count", "created_at"]
    search_fields = ["name", "slug"]
    fields = ["name", "time_zone"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("memberships")).order_by("name")

    @admin.display(description="Members", ordering="member_count")
    def member_count(self, workspace):
        return workspace.member_count

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else ["name", "slug", "time_zone", "created_at"]

    def has_add_permission(self, request):
        # A staff user who is not a superuser would not be a member of what they create.
        return request.user.is_superuser and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        created = services.workspace_create(name=obj.name, time_zone=obj.time_zone)
        obj.pk, obj.slug, obj.created_at = created.pk, created.slug, created.created_at
        obj._state.adding = False

    def get_inline_instances(self, request, obj=None):
        return super().get_inline_instances(request, obj) if obj is not None else []


@admin.register(Membership)
class MembershipAdmin(WorkspaceScopedAdmin):
    """Who belongs where with which role. A role change and a removal go through accounts.services, which keep
    at least one admin per workspace; people join through invitations."""

    workspace_lookup = "workspace"
    list_display = ["user", "workspace", "role", "created_at"]
    list_filter = ["role", "workspace"]
    search_fields = ["user__email", "user__full_name", "workspace__name"]
    list_select_related = ["user", "workspace"]
    fields = ["user", "workspace", "role", "created_at"]
    readonly_fields = ["user", "workspace", "created_at"]

    def has_add_permission(self, request):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, through membership_remove
        return actions

    def save_model(self, request, obj, form, change):
        membership = Membership.objects.get(pk=obj.pk)
        services.membership_set_role(membership=membership, role=obj.role, by=_operator_membership(request, obj))

    def delete_model(self, request, obj):
        services.membership_remove(membership=obj, by=_operator_membership(request, obj))


def _operator_membership(request, membership: Membership) -> Membership | None:
    return Membership.objects.filter(user=request.user, workspace_id=membership.workspace_id).first()


@admin.register(Invitation)
class InvitationAdmin(WorkspaceScopedAdmin):
    """Invitations: sent through accounts.services (the mail, the earlier links revoked), revoked by an action.
    The token is never shown: a live invitation link is a credential."""

    workspace_lookup = "workspace"
    list_display = ["email", "workspace", "role", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role", "workspace"]
    search_fields = ["email", "workspace__name"]
    list_select_related = ["workspace", "invited_by"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["workspace", "email", "role"]
        return ["workspace", "email", "role", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        invitation = services.invitation_create(
            workspace=obj.workspace,
            email=obj.email,
            role=obj.role,
            invited_by=request.user,
            accept_url_builder=lambda inv: request.build_absolute_uri(
                reverse("accounts:invitation_accept", args=[inv.token])
            ),
        )
        obj.pk, obj.token, obj.created_at = invitation.pk, invitation.token, invitation.created_at
        obj._state.adding = False

    @admin.action(description="Revoke the selected invitations", permissions=["revoke"])
    def revoke(self, request, queryset):
        open_ones = [invitation for invitation in queryset if invitation.is_open]
        for invitation in open_ones:
            services.invitation_revoke(invitation=invitation)
        self.message_user(request, f"{len(open_ones)} invitation(s) revoked.", messages.SUCCESS)

    def has_revoke_permission(self, request):
        return request.user.has_perm("accounts.change_invitation")
