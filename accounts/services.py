"""Actions that change users, workspaces and memberships. Views and commands call these."""

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Invitation, Membership, User, Workspace
from .roles import Role
from .time_zone import workspace_time_zone


def workspace_create(*, name: str, owner: User | None = None, time_zone: str = "Europe/Paris") -> Workspace:
    """Create a workspace; its creator, if given, becomes its admin."""
    with transaction.atomic():
        workspace = Workspace.objects.create(name=name, time_zone=time_zone)
        if owner is not None:
            Membership.objects.create(user=owner, workspace=workspace, role=Role.ADMIN)
    return workspace


def workspace_update(*, workspace: Workspace, name: str, time_zone: str, two_factor_policy: str) -> Workspace:
    """Rename a workspace, move it to another time zone or change who must use two-factor login (its admins)."""
    workspace.name, workspace.time_zone, workspace.two_factor_policy = name, time_zone, two_factor_policy
    workspace.save(update_fields=["name", "time_zone", "two_factor_policy"])
    return workspace


def user_set_active(*, user: User, active: bool, by: User) -> User:
    """Let an account log in again, or stop it: a deactivated user's sessions stop working at their next request."""
    if not active and user.pk == by.pk:
        raise ValidationError("You cannot deactivate your own account.")
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


def membership_set_role(*, membership: Membership, role: str, by: Membership) -> Membership:
    """Change a member's role; a workspace always keeps at least one admin."""
    with transaction.atomic():
        if membership.role == Role.ADMIN and role != Role.ADMIN:
            _ensure_another_admin(membership)
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def membership_remove(*, membership: Membership, by: Membership) -> None:
    """Remove someone from a workspace (their account stays)."""
    with transaction.atomic():
        if membership.role == Role.ADMIN:
            _ensure_another_admin(membership)
        membership.delete()


def _ensure_another_admin(membership: Membership) -> None:
    """Refuse to lose the last admin; call inside the transaction that demotes or removes `membership`.

    The admins' rows stay locked until that transaction ends, so two admins demoting each other at the same
    moment cannot both see the other still admin: the second waits, then sees the first's change.
    """
    admins = Membership.objects.select_for_update().filter(workspace=membership.workspace, role=Role.ADMIN)
    others = [pk for pk in admins.values_list("pk", flat=True) if pk != membership.pk]
    if not others:
        raise ValidationError("A workspace needs at least one admin: make someone else admin first.")


def invitation_create(
    *, workspace: Workspace, email: str, role: str, invited_by: User, accept_url_builder
) -> Invitation:
    """Invite someone by e-mail; the mail carries a private link to accept."""
    email = email.strip().lower()
    if Membership.objects.filter(workspace=workspace, user__email__iexact=email).exists():
        raise ValidationError(f"{email} is already a member of {workspace}.")
    # The earlier invitations are revoked only if the new one is saved: a failure keeps the old link working.
    with transaction.atomic():
        Invitation.objects.filter(workspace=workspace, email=email, accepted_at=None, revoked_at=None).update(
            revoked_at=timezone.now()
        )
        invitation = Invitation.objects.create(workspace=workspace, email=email, role=role, invited_by=invited_by)
        url = accept_url_builder(invitation)
        with workspace_time_zone(workspace):
            body = render_to_string("accounts/email/invitation.txt", {"invitation": invitation, "url": url})
        transaction.on_commit(
            lambda: send_mail(f"You are invited to {workspace} on the social media workspace", body, None, [email])
        )
    return invitation


def invitation_revoke(*, invitation: Invitation) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


def invitation_accept(
    *, invitation: Invitation, user: User | None = None, full_name: str = "", password: str = ""
) -> Membership:
    """Accept an open invitation, creating the account when the invitee has none."""
    if not invitation.is_open:
        raise ValidationError("This invitation has expired or was already used.")
    with transaction.atomic():
        if user is None:
            user = User.objects.filter(email__iexact=invitation.email).first()
            if user is None:
                user = User.objects.create_user(email=invitation.email, password=password, full_name=full_name)
        elif user.email.lower() != invitation.email.lower():
            raise ValidationError(f"This invitation is for {invitation.email}; log in with that address.")
        membership, _ = Membership.objects.get_or_create(
            user=user, workspace=invitation.workspace, defaults={"role": invitation.role}
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return membership
