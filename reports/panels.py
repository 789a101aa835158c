from django.urls import reverse

from accounts.permissions import can
from dashboard.panels import HomeContext, Panel

from .selectors import latest_report_headlines, latest_report_summary


def figure_panels(home: HomeContext) -> list[Panel]:
    """The latest monthly report's headline (team) or the last twelve reports (executives), with the home's figures."""
    role = home.role
    if not can(role, "reports", "view"):
        return []
    if home.kind == "executive":
        reports = latest_report_headlines(workspace=home.workspace, limit=12)
        return [
            Panel("Monthly reports", "reports/_panel_executive.html", {"reports": reports}, order=10, width="col-12")
        ]
    if home.kind == "team":
        report = latest_report_summary(workspace=home.workspace)
        context = {"report": report, "sent": report is not None and report.sent, "list_url": reverse("reports:list")}
        return [Panel("Latest monthly report", "reports/_panel_team.html", context, order=60)]
    return []
