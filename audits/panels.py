"""The audit's panel on the team home: score, open findings by severity, and a way to run an audit (with the
home's figures, fetched after the page)."""

from accounts.permissions import can
from dashboard.panels import HomeContext, Panel

from .selectors import open_findings_glance


def figure_panels(home: HomeContext) -> list[Panel]:
    if home.kind != "team" or not can(home.role, "audit", "view"):
        return []
    summary = open_findings_glance(workspace=home.workspace)
    context = {"summary": summary, "can_run": can(home.role, "audit", "edit")}
    return [Panel(title="Account audit", template="audits/_panel.html", context=context, order=30, width="col-xl-6")]
