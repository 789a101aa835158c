"""The competitors' panels on the team and executive homes: the last 30 days in brief."""

from datetime import timedelta

from django.utils import timezone

from accounts.permissions import can
from dashboard.panels import Panel

from .selectors import benchmark, open_suggestions

DAYS = 30


def panels(*, request, home: str) -> list[Panel]:
    membership = getattr(request, "membership", None)
    if home not in ("team", "executive") or membership is None or not can(membership.role, "competitors", "view"):
        return []
    end = timezone.localdate()
    bench = benchmark(
        workspace=request.workspace,
        start=end - timedelta(days=DAYS - 1),
        end=end,
        with_series=False,
        with_posts=False,
        with_networks=False,
    )
    context = {"bench": bench, "scope": bench.overall, "days": DAYS}
    if home == "team":
        context["can_edit"] = can(membership.role, "competitors", "edit")
        context["open_suggestions"] = (
            open_suggestions(workspace=request.workspace).count() if context["can_edit"] else 0
        )
        return [Panel("Competitors · last 30 days", "competitors/_panel_team.html", context, order=60)]
    return [Panel("Against our competitors", "competitors/_panel_executive.html", context, order=40)]
