from django.utils import timezone

from accounts.permissions import can
from dashboard.panels import Panel

from .selectors import objectives_progress


def panels(*, request, home: str) -> list[Panel]:
    role = request.membership.role if request.membership else None
    if home != "team" or not can(role, "strategy", "view"):
        return []
    readings = objectives_progress(workspace=request.workspace, today=timezone.localdate())
    return [Panel("Objectives", "strategy/_panel_objectives.html", {"readings": readings}, order=55)]
