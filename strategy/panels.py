from accounts.permissions import can
from accounts.roles import Role
from dashboard.panels import HomeContext, Panel

from .selectors import current_charter, kpi_readings


def panels(home: HomeContext) -> list[Panel]:
    role = home.role
    if home.kind == "team" and can(role, "strategy", "view"):
        # The objectives are measured over the home's 30 days, on the figures it reads once for all panels.
        start, end = home.period

        def own_figures():
            figures = home.figures
            return [(p.platform, figures[p.pk]) for p in home.own_profiles(active_only=False) if p.pk in figures]

        readings = kpi_readings(workspace=home.workspace, start=start, end=end, own_figures=own_figures)
        return [Panel("Objectives", "strategy/_panel_objectives.html", {"readings": readings}, order=55)]
    if home.kind == "executive" and role == Role.EXECUTIVE:
        charter = current_charter(workspace=home.workspace)
        if charter is not None and not charter.is_approved:
            return [
                Panel(
                    "Charter to approve", "strategy/_panel_charter.html", {"charter": charter}, order=5, width="col-12"
                )
            ]
    return []
