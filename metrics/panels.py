"""Metrics on the homes: the followers trend and connection problems for the team; the trend for executives."""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from dashboard.panels import Panel

from . import selectors
from .models import TrackedProfile

# The panel is a glance: the largest accounts; the metrics page lists every one.
PANEL_ROWS = 10


def panels(*, request, home: str) -> list[Panel]:
    if home not in ("team", "executive") or request.workspace is None:
        return []
    end = timezone.localdate()
    start = end - timedelta(days=29)
    own = list(selectors.workspace_profiles(workspace=request.workspace, own_only=True))
    performance = selectors.profile_performance(profiles=own, start=start, end=end)
    rows = [(p, performance.get(p.pk)) for p in own]
    rows.sort(key=lambda row: -(row[1].followers or 0) if row[1] else 0)  # stable: ties keep the usual order
    context = {
        "rows": rows[:PANEL_ROWS],
        "more": max(len(rows) - PANEL_ROWS, 0),
        "total": len(rows),
        "dashboard_url": reverse("metrics:dashboard"),
    }
    result = [
        Panel(title="Followers, last 30 days", template="metrics/_panel_followers.html", context=context, order=40)
    ]
    if home == "team":
        problems = TrackedProfile.objects.filter(workspace=request.workspace, is_active=True).filter(
            Q(needs_attention=True) | Q(last_error_kind__in=["not_found", "not_available"])
        )[:10]
        result.append(
            Panel(
                title="Connection health",
                template="metrics/_panel_health.html",
                context={"problems": list(problems), "connections_url": reverse("metrics:connections")},
                order=45,
            )
        )
    return result
