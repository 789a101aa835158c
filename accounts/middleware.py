"""Sets request.workspace and request.membership for the logged-in user.

The chosen workspace lives in the session; a user with several switches from the navigation. The next
middleware (accounts/time_zone.py) runs the request in the workspace's time zone. Every membership of the user is read in the one query (`request.memberships`, in the
switcher's order), since the navigation lists them all on every page.
"""

from .models import Membership

SESSION_KEY = "workspace_id"


class CurrentWorkspaceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        request.workspace = None
        request.memberships = []
        if request.user.is_authenticated:
            request.memberships = list(Membership.objects.select_related("workspace").filter(user=request.user))
            membership = _current_membership(request, request.memberships)
            if membership is not None:
                request.membership = membership
                request.workspace = membership.workspace
        return self.get_response(request)


def _current_membership(request, memberships: list[Membership]) -> Membership | None:
    wanted = request.session.get(SESSION_KEY)
    chosen = next((m for m in memberships if m.workspace_id == wanted), None) if wanted is not None else None
    if chosen is not None:
        return chosen
    if not memberships:
        return None
    first = min(memberships, key=lambda m: (m.created_at, m.pk))  # the workspace the user joined first
    request.session[SESSION_KEY] = first.workspace_id
    return first
