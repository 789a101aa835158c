"""The weekly team meeting: 10 minutes of feedback per member, then 20 minutes of brainstorming.

Brainstorming alternates strategy and content by ISO week, so each comes twice a month.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from accounts.roles import TEAM_ROLES

from .models import Idea

FEEDBACK_MINUTES, BRAINSTORM_MINUTES = 10, 20


def weekly_agenda(*, workspace, day: date) -> dict:
    monday = day - timedelta(days=day.weekday())
    zone = ZoneInfo(workspace.time_zone)
    since = datetime.combine(monday - timedelta(days=7), time(), tzinfo=zone)
    until = datetime.combine(monday, time(), tzinfo=zone)
    members = list(workspace.memberships.filter(role__in=TEAM_ROLES).select_related("user").order_by("user__full_name"))
    slots, minute = [], 0
    for m in members:
        slots.append({"start": minute, "end": minute + FEEDBACK_MINUTES, "member": m})
        minute += FEEDBACK_MINUTES
    theme = "strategy" if monday.isocalendar().week % 2 else "content"
    ideas = (
        Idea.objects.filter(workspace=workspace, created_at__gte=since, created_at__lt=until)
        .select_related("author")
        .order_by("created_at")
    )
    return {
        "monday": monday,
        "previous_week": monday - timedelta(days=7),
        "next_week": monday + timedelta(days=7),
        "slots": slots,
        "brainstorm_start": minute,
        "brainstorm_end": minute + BRAINSTORM_MINUTES,
        "theme": theme,
        "ideas": ideas,
        "since": since.date(),
        "total_minutes": minute + BRAINSTORM_MINUTES,
    }
