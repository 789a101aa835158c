"""Metrics on the homes: connection problems for the team (`panels`); the brand's audience by network for the team
and the executives (`figure_panels`, fetched after the page with the other figures)."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.urls import reverse

from dashboard.panels import HomeContext, Panel

from .figures import Figures, combine, network_figures
from .models import EntityNetwork, TrackedProfile
from .platforms import label_of

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


@dataclass(frozen=True)
class NetworkRow:
    """One network of the brand on the homes: its active accounts together, as the benchmark's brand row counts them."""

    platform: str
    label: str
    accounts: int
    figures: Figures


def figure_panels(home: HomeContext) -> list[Panel]:
    """The brand's audience, for the team and the executives: each network its active accounts are on (largest
    first) with their followers, growth and engagement rate over the home's 30 days, and all networks together.

    The figures are the home's one read of the roll-up per network (`home.network_parts`, which the competitors'
    and the objectives' panels share), so they are the benchmark's brand rows to the digit; a network's accounts
    one by one are on the metrics page."""
    if home.kind not in ("team", "executive") or home.workspace is None:
        return []
    accounts = Counter(p.platform for p in home.own_profiles())
    start, end = home.period
    days = (end - start).days + 1
    brand = EntityNetwork.BRAND
    figures = network_figures(start=start, end=end, entities=[brand], active_only=True, parts=home.network_parts)
    rows = [
        NetworkRow(platform, label_of(platform), count, figures.get((brand, platform)) or Figures(days=days))
        for platform, count in accounts.items()
    ]
    rows.sort(key=lambda row: (-(row.figures.followers or 0), row.label))
    context = {
        "rows": rows,
        "total": combine((row.figures for row in rows), days=days) if len(rows) > 1 else None,
        "accounts": sum(accounts.values()),
        "dashboard_url": reverse("metrics:dashboard"),
    }
    return [Panel(title="Followers, last 30 days", template="metrics/_panel_followers.html", context=context, order=40)]
