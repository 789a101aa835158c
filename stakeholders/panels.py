"""The stakeholders' panels on the homes: follow-ups due and who to meet (team); ambassador (contributor)."""

from django.utils import timezone

from accounts.permissions import EDIT, VIEW, can
from dashboard.panels import HomeContext, Panel

from . import selectors

NOT_MET_SHOWN = 5
FOLLOW_UPS_SHOWN = 8


def panels(home: HomeContext) -> list[Panel]:
    role = home.role
    if home.kind == "team" and can(role, "stakeholders", VIEW):
        today = timezone.localdate()
        follow_ups = selectors.follow_ups_due_rows(workspace=home.workspace, today=today, limit=FOLLOW_UPS_SHOWN)
        not_met = selectors.contacts_not_met_rows(workspace=home.workspace, limit=NOT_MET_SHOWN)
        totals = selectors.directory_totals(workspace=home.workspace)
        return [
            Panel(
                title="Stakeholder follow-ups due",
                template="stakeholders/_panel_follow_ups.html",
                context={"follow_ups": follow_ups, "today": today, "may_edit": can(role, "stakeholders", EDIT)},
                order=20,
            ),
            Panel(
                title="Not met yet",
                template="stakeholders/_panel_not_met.html",
                context={"contacts": not_met, "remaining": totals["not_met"], "total": totals["total"]},
                order=25,
            ),
        ]
    if home.kind == "contributor" and can(role, "stakeholders", "own_ambassador"):
        mine = selectors.ambassador_of(workspace=home.workspace, user=home.user)
        return [
            Panel(
                title="Ambassador",
                template="stakeholders/_panel_ambassador.html",
                context={"ambassador": mine},
                order=30,
            )
        ]
    return []
