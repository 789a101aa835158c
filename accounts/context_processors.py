from .navigation import nav_for
from .permissions import can


def workspace(request):
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"membership": None, "workspace": None, "nav_items": []}
    return {
        "membership": membership,
        "workspace": membership.workspace,
        # Worked out when a template lists it (base.html): the fragments a page fetches (the home's figures) show none.
        "nav_items": lambda: nav_for(membership.role, request.path),
        "can_manage_members": can(membership.role, "members", "edit"),
        # Read with the current one by the middleware, in the switcher's order.
        "my_memberships": getattr(request, "memberships", [membership]),
    }
