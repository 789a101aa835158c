from .navigation import nav_for
from .permissions import can


def workspace(request):
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"membership": None, "workspace": None, "nav_items": []}
    return {
        "membership": membership,
        "workspace": membership.workspace,
        "nav_items": nav_for(membership.role, request.path),
        "can_manage_members": can(membership.role, "members", "edit"),
        # Read with the current one by the middleware, in the switcher's order.
        "my_memberships": getattr(request, "memberships", [membership]),
    }
