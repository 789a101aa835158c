"""Sets request.workspace and request.membership for the logged-in user.

The chosen workspace lives in the session; a user with several switches from the navigation. The next
middleware (accounts/time_zone.py) runs the request in the workspace's time zone.
After an unsafe request it moves the workspace's data version, so no cached read outlives what the request
wrote (accounts/workspace_cache.py).
"""

from .models import Membership
from .workspace_cache import mark_changed

SESSION_KEY = "workspace_id"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class CurrentWorkspaceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        request.workspace = None
        if request.user.is_authenticated:
            membership = _current_membership(request)
            if membership is not None:
                request.membership = membership
                request.workspace = membership.workspace
        response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            _mark_written(request)
        return response


def _mark_written(request) -> None:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.app_name == "admin" and request.user.is_staff:
        if request.user.is_superuser:
            mark_changed(None)  # a superuser's admin may write rows of any workspace
        else:
            # A staff user's admin writes only rows of their own workspaces (common/admin.py).
            for workspace_id in Membership.objects.filter(user=request.user).values_list("workspace_id", flat=True):
                mark_changed(workspace_id)
    elif request.workspace is not None:
        mark_changed(request.workspace.pk)


def _current_membership(request):
    memberships = Membership.objects.select_related("workspace").filter(user=request.user)
    wanted = request.session.get(SESSION_KEY)
    if wanted is not None:
        membership = memberships.filter(workspace_id=wanted).first()
        if membership is not None:
            return membership
    membership = memberships.order_by("created_at", "pk").first()
    if membership is not None:
        request.session[SESSION_KEY] = membership.workspace_id
    return membership
