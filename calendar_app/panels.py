"""The calendar's panels on the team and contributor homes."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from accounts.permissions import can
from dashboard.panels import HomeContext, Panel

from . import selectors
from .frequency import weeks_below_target
from .models import ContentItem, Idea, Publication


def panels(home: HomeContext) -> list[Panel]:
    membership, workspace = home.membership, home.workspace
    if home.kind == "contributor":
        mine = list(Idea.objects.filter(workspace=workspace, author=home.user).select_related("content_item")[:8])
        return [Panel("My ideas", "calendar_app/_panel_my_ideas.html", {"ideas": mine}, order=10, width="col-12")]
    if home.kind != "team":
        return []
    today = timezone.localdate()
    context = {
        # Held or unknown posts only someone who may publish can move on: nobody else is asked (nor queried).
        "decisions": selectors.publications_awaiting_decision(workspace=workspace, limit=6)
        if can(membership.role, "publishing", "edit")
        else [],
        "awaiting": list(
            Publication.objects.filter(workspace=workspace, status=Publication.Status.IN_REVIEW)
            .select_related("profile", "content_item")
            .order_by("scheduled_at")[:6]
        ),
        "due": list(
            ContentItem.objects.filter(
                Q(workspace=workspace), ~Q(stage=ContentItem.Stage.READY), due_date__lte=today + timedelta(days=7)
            )
            .select_related("owner")
            .order_by("due_date")[:6]
        ),
        "to_triage": Idea.objects.filter(workspace=workspace, status=Idea.Status.NEW).count()
        if can(membership.role, "ideas", "triage")
        else None,
        "below_target": weeks_below_target(workspace=workspace, start=today, weeks=4),
    }
    return [Panel("Content pipeline", "calendar_app/_panel_team.html", context, order=20)]
