from .models import Membership
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
        # Lazy: only evaluated when the switcher is rendered.
        "my_memberships": lambda: Membership.objects.select_related("workspace").filter(user=request.user),
    }
