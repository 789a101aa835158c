"""Metrics on the homes: connection problems for the team (`panels`); the followers trend for the team and the
executives (`figure_panels`, fetched after the page with the other figures)."""

from django.db.models import F, Q, QuerySet
from django.urls import reverse

from dashboard.panels import HomeContext, Panel

from .figures import largest_with_figures
from .models import TrackedProfile

# The panel is a glance: the largest accounts; the metrics page lists every one.
PANEL_ROWS = 10
HEALTH_ROWS = 10
# What "Connection health" prints (TrackedProfile.pulls_are_stopped reads the source and the stop's identity).
HEALTH_FIELDS = (
    "source",
    "needs_attention",
    "last_error_kind",
    "last_error_message",
    "pulls_stopped",
    "pulls_stopped_for",
)


def home_profiles(*, workspace) -> QuerySet[TrackedProfile]:
    """Every profile whose figures a home shows, in one query: the brand's own (active or not: the objectives
    count them all) and the active competitors' (with `competitor_id`), by platform and handle."""
    followed = Q(competitor_link__competitor__workspace=workspace, competitor_link__competitor__archived_at=None)
    return (
        TrackedProfile.objects.filter(workspace=workspace)
        .filter(Q(is_own=True) | followed)
        .only("pk", "platform", "handle", "is_own", "is_active")
        .annotate(competitor_id=F("competitor_link__competitor_id"))
        .order_by("platform", "handle")
    )


def panels(home: HomeContext) -> list[Panel]:
    """The team's "Connection health": the active profiles with a problem a person has to act on."""
    if home.kind != "team" or home.workspace is None:
        return []
    problems = list(
        TrackedProfile.objects.filter(workspace=home.workspace, is_active=True)
        .with_connection_problems()
        .only("pk", "platform", "handle", *HEALTH_FIELDS)
        .order_by("platform", "handle")[:HEALTH_ROWS]
    )
    return [
        Panel(
            title="Connection health",
            template="metrics/_panel_health.html",
            context={"problems": problems, "connections_url": reverse("metrics:connections")},
            order=45,
        )
    ]


def figure_panels(home: HomeContext) -> list[Panel]:
    """The followers trend, for the team and the executives (the home's figures, read once for its panels)."""
    if home.kind not in ("team", "executive") or home.workspace is None:
        return []
    # The largest own accounts by their followers at the period's end, with their figures, in one query; the home's
    # profiles (read once for its panels) say how many there are and name them.
    own = home.own_profiles()
    start, end = home.period
    largest = largest_with_figures(
        TrackedProfile.objects.filter(workspace=home.workspace, is_own=True, is_active=True),
        start=start,
        end=end,
        limit=PANEL_ROWS,
    )
    shown = [p for p in own if p.pk in largest]
    shown.sort(key=lambda p: -(largest[p.pk].followers or 0))  # stable: by network and handle, as the home lists them
    rows = [(profile, largest[profile.pk]) for profile in shown]
    context = {
        "rows": rows,
        "more": max(len(own) - PANEL_ROWS, 0),
        "total": len(own),
        "dashboard_url": reverse("metrics:dashboard"),
    }
    return [Panel(title="Followers, last 30 days", template="metrics/_panel_followers.html", context=context, order=40)]
