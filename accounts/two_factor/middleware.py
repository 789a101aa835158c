"""Two-factor rules for every page, after CurrentWorkspaceMiddleware (it needs request.membership).

1. A user with a confirmed device whose session did not pass the code step (a login by another way than the
   login page: impossible by design, guarded all the same) is logged out into a half-login and sent to the code step.
2. A member whose current workspace requires a second factor of their role and who has none yet is sent to their
   profile to set it up; only the set-up pages, logging out and switching workspace stay open.
"""

from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.shortcuts import redirect

from accounts.models import TwoFactorPolicy

from . import half_login, services


def allowed_before_code(view):
    """The view stays open to a session that has not passed the code step yet (logging out, the step itself)."""
    view.two_factor_open = "before_code"
    return view


def allowed_before_enrolment(view):
    """The view stays open to a member whose workspace requires a second factor they have not set up yet."""
    view.two_factor_open = getattr(view, "two_factor_open", None) or "before_enrolment"
    return view


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        open_to = getattr(view_func, "two_factor_open", None)
        if open_to == "before_code" or user.is_verified():
            return None
        if services.has_two_factor(user):
            return self._to_code_step(request, user)
        membership = getattr(request, "membership", None)
        if open_to == "before_enrolment" or getattr(view_func, "login_required", True) is False:
            return None
        if membership is not None and services.two_factor_required(membership=membership):
            return self._to_enrolment(request, membership)
        return None

    @staticmethod
    def _to_code_step(request, user):
        backend = request.session.get(BACKEND_SESSION_KEY, "django.contrib.auth.backends.ModelBackend")
        next_url = request.get_full_path() if request.method == "GET" else ""
        logout(request)
        half_login.start(request, user=user, backend=backend, next_url=next_url)
        return redirect("accounts:login_code")

    @staticmethod
    def _to_enrolment(request, membership):
        who = "every member" if membership.workspace.two_factor_policy == TwoFactorPolicy.EVERYONE else "its admins"
        messages.warning(
            request,
            f"{membership.workspace} asks {who} to use two-factor login. Set it up below to go on.",
        )
        return redirect("accounts:profile")
