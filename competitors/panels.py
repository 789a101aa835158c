"""The competitors' panels on the team and executive homes: the last 30 days in brief (figures: fetched after the
page with the home's other figures)."""

from accounts.permissions import can
from dashboard.panels import HomeContext, Panel

from .selectors import benchmark, open_suggestions


def figure_panels(home: HomeContext) -> list[Panel]:
    if home.kind not in ("team", "executive") or home.membership is None or not can(home.role, "competitors", "view"):
        return []
    start, end = home.period
    # The figures are the home's, read once for all its panels (the brand's and the competitors' profiles).
    bench = benchmark(
        workspace=home.workspace,
        start=start,
        end=end,
        with_series=False,
        with_posts=False,
        with_networks=False,
        profiles=home.profiles,
        parts=home.network_parts,
    )
    context = {"bench": bench, "scope": bench.overall, "days": bench.days}
    if home.kind == "team":
        context["can_edit"] = can(home.role, "competitors", "edit")
        context["open_suggestions"] = open_suggestions(workspace=home.workspace).count() if context["can_edit"] else 0
        return [Panel("Competitors · last 30 days", "competitors/_panel_team.html", context, order=60)]
    return [Panel("Against our competitors", "competitors/_panel_executive.html", context, order=40)]
