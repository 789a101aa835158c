"""The calendar's panels on the team and contributor homes."""

from datetime import timedelta

from django.utils import timezone

from accounts.permissions import can
from dashboard.panels import HomeContext, Panel

from . import selectors
from .frequency import weeks_below_target
from .models import Idea, Publication

SHOWN = 6  # rows per list: the home is a glance, the calendars list every post


def panels(home: HomeContext) -> list[Panel]:
    membership, workspace = home.membership, home.workspace
    if home.kind == "contributor":
        mine = list(Idea.objects.filter(workspace=workspace, author=home.user).select_related("content_item")[:8])
        return [Panel("My ideas", "calendar_app/_panel_my_ideas.html", {"ideas": mine}, order=10, width="col-12")]
    if home.kind != "team":
        return []
    today = timezone.localdate()
    may_publish = can(membership.role, "publishing", "edit")
    context = {
        # Held or unknown posts only someone who may publish can move on: nobody else is asked (nor queried).
        "decisions": selectors.publication_glance(
            workspace=workspace, statuses=selectors.DECISION_STATUSES, limit=SHOWN
        )
        if may_publish
        else [],
        "awaiting": selectors.publication_glance(
            workspace=workspace, statuses=[Publication.Status.IN_REVIEW], limit=SHOWN
        ),
        "due": selectors.content_due_glance(workspace=workspace, until=today + timedelta(days=7), limit=SHOWN),
        "to_triage": Idea.objects.filter(workspace=workspace, status=Idea.Status.NEW).count()
        if can(membership.role, "ideas", "triage")
        else None,
        "below_target": weeks_below_target(workspace=workspace, start=today, weeks=4),
    }
    return [Panel("Content pipeline", "calendar_app/_panel_team.html", context, order=20)]
