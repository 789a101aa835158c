"""View guards: every view names its area and action; the matrix decides."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from .permissions import VIEW, can


def area_required(area: str, action: str = VIEW):
    """Refuse with 403 unless the member's role may take `action` in `area` of the current workspace.

    Login itself is enforced by LoginRequiredMiddleware; a logged-in user without any workspace
    is sent to the page that explains how to get one.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            membership = getattr(request, "membership", None)
            if membership is None:
                return redirect("accounts:no_workspace")
            if not can(membership.role, area, action):
                raise PermissionDenied(f"Your role may not {action} {area}.")
            return view(request, *args, **kwargs)

        wrapped.guarded_by = f"{area}:{action}"  # tests/test_views_guarded.py walks the URLs for it
        return wrapped

    return decorator


def member_required(view):
    """Any member of the current workspace, whatever the role."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if getattr(request, "membership", None) is None:
            return redirect("accounts:no_workspace")
        return view(request, *args, **kwargs)

    wrapped.guarded_by = "member"
    return wrapped
