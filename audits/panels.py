"""The audit's panel on the team home: score, open findings by severity, and a way to run an audit."""

from accounts.permissions import can
from dashboard.panels import Panel

from .selectors import open_findings_summary


def panels(*, request, home: str) -> list[Panel]:
    if home != "team" or not can(request.membership.role, "audit", "view"):
        return []
    summary = open_findings_summary(workspace=request.workspace)
    context = {"summary": summary, "can_run": can(request.membership.role, "audit", "edit")}
    return [Panel(title="Account audit", template="audits/_panel.html", context=context, order=30, width="col-xl-6")]
