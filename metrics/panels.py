"""Metrics on the homes: the followers trend and connection problems for the team; the trend for executives."""

from django.db.models import Q
from django.urls import reverse

from dashboard.panels import Panel

from . import figures, selectors
from .models import TrackedProfile

# The panel is a glance: the largest accounts; the metrics page lists every one.
PANEL_ROWS = 10


def panels(*, request, home: str) -> list[Panel]:
    if home not in ("team", "executive") or request.workspace is None:
        return []
    start, end = figures.standard_period(workspace=request.workspace)
    # Every own account is ranked by its followers, but only the accounts shown are loaded: the panel's cost
    # follows its ten rows, not the brand's size.
    own = list(selectors.workspace_profiles(workspace=request.workspace, own_only=True).values_list("pk", flat=True))
    performance = figures.profile_figures(profiles=own, start=start, end=end)
    ranked = sorted(own, key=lambda pk: -(performance[pk].followers or 0) if pk in performance else 0)  # stable
    shown = TrackedProfile.objects.only("platform", "handle").in_bulk(ranked[:PANEL_ROWS])
    rows = [(shown[pk], performance.get(pk)) for pk in ranked[:PANEL_ROWS]]
    context = {
        "rows": rows,
        "more": max(len(own) - PANEL_ROWS, 0),
        "total": len(own),
        "dashboard_url": reverse("metrics:dashboard"),
    }
    result = [
        Panel(title="Followers, last 30 days", template="metrics/_panel_followers.html", context=context, order=40)
    ]
    if home == "team":
        problems = TrackedProfile.objects.filter(workspace=request.workspace, is_active=True).filter(
            Q(needs_attention=True) | Q(last_error_kind__in=["not_found", "not_available"]) | ~Q(pulls_stopped="")
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
