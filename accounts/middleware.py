"""Sets request.workspace and request.membership for the logged-in user.

The chosen workspace lives in the session; a user with several switches from the navigation.
"""

from .models import Membership

SESSION_KEY = "workspace_id"


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
        return self.get_response(request)


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
