from django.utils import timezone

from accounts.permissions import can
from accounts.roles import Role
from dashboard.panels import Panel

from .selectors import current_charter, objectives_progress


def panels(*, request, home: str) -> list[Panel]:
    role = request.membership.role if request.membership else None
    if home == "team" and can(role, "strategy", "view"):
        readings = objectives_progress(workspace=request.workspace, today=timezone.localdate())
        return [Panel("Objectives", "strategy/_panel_objectives.html", {"readings": readings}, order=55)]
    if home == "executive" and role == Role.EXECUTIVE:
        charter = current_charter(workspace=request.workspace)
        if charter is not None and not charter.is_approved:
            return [
                Panel(
                    "Charter to approve", "strategy/_panel_charter.html", {"charter": charter}, order=5, width="col-12"
                )
            ]
    return []
