"""The weekly team meeting: 10 minutes of feedback per member, then 20 minutes of brainstorming.

Brainstorming alternates strategy and content by ISO week, so each comes twice a month. Before it, the
team reviews the week (seed 004): its publications, what went wrong since the last meeting, the
stakeholder follow-ups due, the audit's open critical and high findings, and the strategy's objectives.
Each section is read through its own app's selectors and shows only to a role that may see that area.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, display_name
from accounts.permissions import can
from accounts.roles import TEAM_ROLES, Role
from audits.models import Severity
from audits.selectors import latest_open_findings
from common.links import pk_url
from metrics.platforms import colour_of
from stakeholders.selectors import follow_up_rows_open_until
from strategy.selectors import objectives_progress

from .models import Idea
from .selectors import meeting_publications

FEEDBACK_MINUTES, BRAINSTORM_MINUTES = 10, 20
# A day of the week shows its first publications; the publishing calendar has the rest of a busy day.
DAY_ROWS = 8
# The brainstorming starts from last week's first ideas; the ideas page lists them all, newest first.
IDEA_ROWS = 10
URGENT_SEVERITIES = (Severity.CRITICAL, Severity.HIGH)

# Each list is read as the few columns it prints (values, not model instances), with its labels and links worked
# out once per page here: the agenda is long, and a model instance, a `{% url %}` or a method call per row added up.
_ROLE_LABELS = dict(Role.choices)
_IDEA_STATUS_LABELS = dict(Idea.Status.choices)
_SEVERITY_LABELS = dict(Severity.choices)


def weekly_agenda(*, workspace, day: date, role: str | None = None) -> dict:
    monday = day - timedelta(days=day.weekday())
    sunday = monday + timedelta(days=6)
    zone = ZoneInfo(workspace.time_zone)
    since = datetime.combine(monday - timedelta(days=7), time(), tzinfo=zone)
    until = datetime.combine(monday, time(), tzinfo=zone)
    week_end = datetime.combine(monday + timedelta(days=7), time(), tzinfo=zone)
    members = (
        Membership.objects.filter(workspace=workspace, role__in=TEAM_ROLES)
        .order_by("user__full_name")
        .values_list("user__full_name", "user__email", "role")
    )
    slots, minute = [], 0
    for full_name, email, role_value in members:
        slots.append(
            {
                "start": minute,
                "end": minute + FEEDBACK_MINUTES,
                "name": full_name or email,  # as a user prints
                "role_label": _ROLE_LABELS.get(role_value, role_value),
            }
        )
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
        agenda["ideas"] = _ideas(workspace, since=since, until=until)
    if can(role, "publishing"):
        detail_url = pk_url("calendar_app:publication_detail")
        # What went wrong: since the start of the last meeting's week, up to the end of this one.
        publications = meeting_publications(
            workspace=workspace, start=until, end=week_end, review_since=since, per_day=DAY_ROWS
        )
        agenda["week_days"] = _by_local_day(publications["days"], monday=monday, detail_url=detail_url)
        agenda["gone_wrong"] = [_publication_row(p, detail_url) for p in publications["gone_wrong"]]
    if can(role, "stakeholders"):
        contact_url = pk_url("stakeholders:contact")
        agenda["follow_ups"] = [
            f | {"contact_url": contact_url(f["contact_id"])}
            for f in follow_up_rows_open_until(workspace=workspace, until=sunday)
        ]
    if can(role, "audit"):
        latest = latest_open_findings(workspace=workspace, severities=URGENT_SEVERITIES)
        agenda["audit"] = {
            "ran_at": latest["ran_at"] if latest else None,
            "findings": [f | {"severity_label": _SEVERITY_LABELS[f["severity"]]} for f in latest["findings"]]
            if latest
            else [],
        }
    if can(role, "strategy"):
        # The objectives' figures arrive a moment after the page, as the home's do (static/js/app.js fetches them).
        agenda["objectives_url"] = f"{reverse('calendar_app:meeting_objectives')}?date={monday.isoformat()}"
    return agenda


def objectives_recalled(*, workspace, day: date, today: date | None = None) -> list:
    """The strategy's objectives recalled at the meeting of `day`'s week, measured over the 30 days up to today,
    or to the week's end for a past week (strategy.selectors.objectives_progress: the figures' one source)."""
    sunday = day - timedelta(days=day.weekday()) + timedelta(days=6)
    zone = ZoneInfo(workspace.time_zone)
    return objectives_progress(workspace=workspace, today=min(today or timezone.localdate(timezone=zone), sunday))


def _ideas(workspace, *, since: datetime, until: datetime) -> dict:
    """The first IDEA_ROWS ideas received in [since, until), oldest first, with their author (None when gone) and
    link, how many more arrived and the ideas list's address."""
    detail_url = pk_url("calendar_app:idea_detail")
    rows = list(
        Idea.objects.filter(workspace=workspace, created_at__gte=since, created_at__lt=until)
        .order_by("created_at", "pk")
        .values_list("pk", "title", "status", "author__full_name", "author__email")
    )
    shown = [
        {
            "pk": pk,
            "title": title,
            "status_label": _IDEA_STATUS_LABELS.get(status, status),
            "author": display_name(full_name=full_name, email=email) if email else None,
            "url": detail_url(pk),
        }
        for pk, title, status, full_name, email in rows[:IDEA_ROWS]
    ]
    return {"shown": shown, "more": len(rows) - len(shown), "list_url": reverse("calendar_app:idea_list")}


def _publication_row(row: dict, detail_url) -> dict:
    """A publication's columns with what the lists print beside them: its network colour, account and link."""
    return row | {
        "url": detail_url(row["pk"]),
        "colour": colour_of(row["platform"]),
    }


def _by_local_day(days, *, monday: date, detail_url) -> list[dict]:
    """The seven days of the week in the workspace's zone (empty days too), each with its first DAY_ROWS
    publications, how many more it holds and, then, a link to that day in the publishing calendar."""
    calendar_url = reverse("calendar_app:publishing")
    return [
        {
            "day": d,
            "publications": [_publication_row(p, detail_url) for p in shown],
            "more": max(total - DAY_ROWS, 0),
            "calendar_url": f"{calendar_url}?date={d.isoformat()}",
        }
        for d, (shown, total) in zip((monday + timedelta(days=i) for i in range(7)), days, strict=True)
    ]
