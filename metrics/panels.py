"""Metrics on the homes: the followers trend and connection problems for the team; the trend for executives."""

from django.db.models import F, Q
from django.urls import reverse

from dashboard.panels import HomeContext, Panel

from .models import TrackedProfile

# The panel is a glance: the largest accounts; the metrics page lists every one.
PANEL_ROWS = 10


def home_profiles(*, workspace) -> list[TrackedProfile]:
    """Every profile whose figures a home shows, in one query: the brand's own (active or not: the objectives
    count them all) and the active competitors' (with `competitor_id`), by platform and handle."""
    if workspace is None:
        return []
    followed = Q(competitor_link__competitor__workspace=workspace, competitor_link__competitor__archived_at=None)
    return list(
        TrackedProfile.objects.filter(workspace=workspace)
        .filter(Q(is_own=True) | followed)
        .only("pk", "platform", "handle", "is_own", "is_active")
        .annotate(competitor_id=F("competitor_link__competitor_id"))
        .order_by("platform", "handle")
    )


def panels(home: HomeContext) -> list[Panel]:
    if home.kind not in ("team", "executive") or home.workspace is None:
        return []
    # Every own account is ranked by its followers (the figures the home reads once for all its panels).
    own = home.own_profiles()
    performance = home.figures
    ranked = sorted(own, key=lambda p: -(performance[p.pk].followers or 0) if p.pk in performance else 0)  # stable
    rows = [(profile, performance.get(profile.pk)) for profile in ranked[:PANEL_ROWS]]
    context = {
        "rows": rows,
        "more": max(len(own) - PANEL_ROWS, 0),
        "total": len(own),
        "dashboard_url": reverse("metrics:dashboard"),
    }
    result = [
        Panel(title="Followers, last 30 days", template="metrics/_panel_followers.html", context=context, order=40)
    ]
    if home.kind == "team":
        problems = TrackedProfile.objects.filter(workspace=home.workspace, is_active=True).filter(
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
