"""The strategy's panels: the charter to approve (executives); the objectives (team, with the home's figures)."""

from accounts.permissions import can
from accounts.roles import Role
from dashboard.panels import HomeContext, Panel

from .selectors import current_charter, kpi_readings, own_network_figures


def panels(home: HomeContext) -> list[Panel]:
    """The charter an executive is asked to approve."""
    if home.kind == "executive" and home.role == Role.EXECUTIVE:
        charter = current_charter(workspace=home.workspace)
        if charter is not None and not charter.is_approved:
            return [
                Panel(
                    "Charter to approve", "strategy/_panel_charter.html", {"charter": charter}, order=5, width="col-12"
                )
            ]
    return []


def figure_panels(home: HomeContext) -> list[Panel]:
    """The objectives, measured over the home's 30 days on the figures it reads once for all its figure panels."""
    if home.kind != "team" or not can(home.role, "strategy", "view"):
        return []
    start, end = home.period

    def own_figures():
        platforms = {p.platform for p in home.own_profiles(active_only=False)}
        return own_network_figures(
            workspace=home.workspace, start=start, end=end, parts=home.network_parts, platforms=platforms
        )

    readings = kpi_readings(workspace=home.workspace, start=start, end=end, own_figures=own_figures)
    return [Panel("Objectives", "strategy/_panel_objectives.html", {"readings": readings}, order=55)]
