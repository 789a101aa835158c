from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from common.redirects import safe_next  # noqa: F401  (moved to common/redirects.py; importable here as before)

from . import services
from .decorators import area_required
from .forms import AcceptInvitationForm, InvitationForm, MembershipRoleForm, WorkspaceSettingsForm
from .middleware import SESSION_KEY
from .models import Invitation, Membership, User, Workspace
from .roles import Role


@require_POST
def workspace_switch(request: HttpRequest) -> HttpResponse:
    membership = get_object_or_404(Membership, user=request.user, workspace_id=request.POST.get("workspace"))
    request.session[SESSION_KEY] = membership.workspace_id
    messages.success(request, f"You are now working in {membership.workspace}.")
    return redirect("dashboard:home")


def no_workspace(request: HttpRequest) -> HttpResponse:
    if getattr(request, "membership", None) is not None:
        return redirect("dashboard:home")
    return render(request, "accounts/no_workspace.html")


def _get_membership_in_my_workspace(request: HttpRequest, pk: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user"), pk=pk, workspace=request.workspace)


@area_required("members", "edit")
def members(request: HttpRequest) -> HttpResponse:
    invite_form = InvitationForm(request.POST or None)
    if request.method == "POST" and invite_form.is_valid():
        try:
            services.invitation_create(
                workspace=request.workspace,
                invited_by=request.user,
                accept_url_builder=lambda inv: request.build_absolute_uri(
                    reverse("accounts:invitation_accept", args=[inv.token])
                ),
                **invite_form.cleaned_data,
            )
        except ValidationError as error:
            invite_form.add_error("email", error)
        else:
            messages.success(request, f"Invitation sent to {invite_form.cleaned_data['email']}.")
            return redirect("accounts:members")
    return render(request, "accounts/members.html", _members_context(request, invite_form=invite_form))


def _members_context(request: HttpRequest, *, invite_form=None, settings_form=None) -> dict:
    return {
        "memberships": Membership.objects.filter(workspace=request.workspace).select_related("user"),
        "invitations": [i for i in Invitation.objects.filter(workspace=request.workspace) if i.is_open],
        "invite_form": invite_form or InvitationForm(),
        "role_choices": Role.choices,
        "settings_form": settings_form or WorkspaceSettingsForm(instance=request.workspace),
    }


@require_POST
@area_required("members", "edit")
def member_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _get_membership_in_my_workspace(request, pk)
    form = MembershipRoleForm(request.POST, instance=Membership.objects.get(pk=membership.pk))
    if form.is_valid():
        try:
            services.membership_set_role(membership=membership, role=form.cleaned_data["role"], by=request.membership)
            messages.success(request, f"{membership.user} is now {membership.get_role_display()}.")
        except ValidationError as error:
            messages.error(request, error.messages[0])
    return redirect("accounts:members")


@require_POST
@area_required("members", "edit")
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _get_membership_in_my_workspace(request, pk)
    try:
        services.membership_remove(membership=membership, by=request.membership)
        messages.success(request, f"{membership.user} no longer belongs to {request.workspace}.")
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("accounts:members")


@require_POST
@area_required("members", "edit")
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk, workspace=request.workspace)
    services.invitation_revoke(invitation=invitation)
    messages.success(request, f"Invitation to {invitation.email} revoked.")
    return redirect("accounts:members")


@require_POST
@area_required("members", "edit")
def workspace_settings(request: HttpRequest) -> HttpResponse:
    # The form works on a copy: a refused change must not show in the page's header as if it were saved.
    form = WorkspaceSettingsForm(request.POST, instance=Workspace.objects.get(pk=request.workspace.pk))
    if not form.is_valid():
        return render(request, "accounts/members.html", _members_context(request, settings_form=form), status=400)
    services.workspace_update(workspace=request.workspace, **form.cleaned_data)
    messages.success(request, "Workspace settings saved.")
    return redirect("accounts:members")


@login_not_required  # the invitee may not have an account yet; the unguessable token is the key
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.select_related("workspace"), token=token)
    if not invitation.is_open:
        return render(request, "accounts/invitation_closed.html", {"invitation": invitation}, status=410)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    form = AcceptInvitationForm(request.POST or None) if existing is None else None
    if request.method == "POST":
        try:
            if existing is not None:
                if not request.user.is_authenticated:
                    login_url = reverse("accounts:login") + "?next=" + request.path
                    return redirect(login_url)
                membership = services.invitation_accept(invitation=invitation, user=request.user)
            elif form.is_valid():
                membership = services.invitation_accept(
                    invitation=invitation,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                )
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                return render(request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form})
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("accounts:login")
        request.session[SESSION_KEY] = membership.workspace_id
        messages.success(request, f"Welcome to {membership.workspace}.")
        return redirect("dashboard:home")
    return render(
        request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form, "existing": existing}
    )
