"""The weekly team meeting: 10 minutes of feedback per member, then 20 minutes of brainstorming.

Brainstorming alternates strategy and content by ISO week, so each comes twice a month. Before it, the
team reviews the week (seed 004): its publications, what went wrong since the last meeting, the
stakeholder follow-ups due, the audit's open critical and high findings, and the strategy's objectives.
Each section is read through its own app's selectors and shows only to a role that may see that area.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.permissions import can
from accounts.roles import TEAM_ROLES
from audits.models import Severity
from audits.selectors import open_findings_summary
from stakeholders.selectors import follow_ups_open_until
from strategy.selectors import objectives_progress

from .models import Idea
from .selectors import publications_gone_wrong, publications_scheduled

FEEDBACK_MINUTES, BRAINSTORM_MINUTES = 10, 20
URGENT_SEVERITIES = (Severity.CRITICAL, Severity.HIGH)


def weekly_agenda(*, workspace, day: date, role: str | None = None, today: date | None = None) -> dict:
    monday = day - timedelta(days=day.weekday())
    sunday = monday + timedelta(days=6)
    zone = ZoneInfo(workspace.time_zone)
    since = datetime.combine(monday - timedelta(days=7), time(), tzinfo=zone)
    until = datetime.combine(monday, time(), tzinfo=zone)
    week_end = datetime.combine(monday + timedelta(days=7), time(), tzinfo=zone)
    members = list(workspace.memberships.filter(role__in=TEAM_ROLES).select_related("user").order_by("user__full_name"))
    slots, minute = [], 0
    for m in members:
        slots.append({"start": minute, "end": minute + FEEDBACK_MINUTES, "member": m})
        minute += FEEDBACK_MINUTES
    theme = "strategy" if monday.isocalendar().week % 2 else "content"
    agenda = {
        "monday": monday,
        "sunday": sunday,
        "zone": zone,
        "previous_week": monday - timedelta(days=7),
        "next_week": monday + timedelta(days=7),
        "slots": slots,
        "brainstorm_start": minute,
        "brainstorm_end": minute + BRAINSTORM_MINUTES,
        "theme": theme,
        "since": since.date(),
        "total_minutes": minute + BRAINSTORM_MINUTES,
    }
    if can(role, "ideas"):
        agenda["ideas"] = (
            Idea.objects.filter(workspace=workspace, created_at__gte=since, created_at__lt=until)
            .select_related("author")
            .order_by("created_at")
        )
    if can(role, "publishing"):
        agenda["week_days"] = _by_local_day(
            publications_scheduled(workspace=workspace, start=until, end=week_end), monday=monday, zone=zone
        )
        # Since the start of the last meeting's week, up to the end of this one.
        agenda["gone_wrong"] = publications_gone_wrong(workspace=workspace, since=since, until=week_end)
    if can(role, "stakeholders"):
        agenda["follow_ups"] = list(follow_ups_open_until(workspace=workspace, until=sunday))
    if can(role, "audit"):
        summary = open_findings_summary(workspace=workspace)
        agenda["audit"] = {
            "run": summary["run"] if summary else None,
            "findings": [f for f in summary["open"] if f.severity in URGENT_SEVERITIES] if summary else [],
        }
    if can(role, "strategy"):
        # Measured up to today, or to the week's end for a past week.
        agenda["objectives"] = objectives_progress(
            workspace=workspace, today=min(today or timezone.localdate(timezone=zone), sunday)
        )
    return agenda


def _by_local_day(publications, *, monday: date, zone: ZoneInfo) -> list[dict]:
    """The seven days of the week, each with its publications in the workspace's zone (empty days too)."""
    days = {monday + timedelta(days=i): [] for i in range(7)}
    for publication in publications:
        days[publication.scheduled_at.astimezone(zone).date()].append(publication)
    return [{"day": d, "publications": ps} for d, ps in days.items()]
