"""Each home page is a column of panels that the apps contribute (dashboard/panels.py says how).

Two registries: `PANEL_PROVIDERS` are rendered with the page (what needs the member today: follow-ups, people to
meet, posts to decide on or approve, content due, connection problems); `FIGURE_PANEL_PROVIDERS` show how the
accounts do: the last 30 days' figures (followers, competitors, objectives, which share one read of the daily
roll-up), the latest monthly report and the audit's score. The page leaves a place for them and fetches them from
`dashboard:figures` as soon as it shows, so what needs doing is on screen at once and the figures follow.

The providers are imported here, not looked up by name: an app's `panels.py` that does not import fails at
start-up and in the tests instead of leaving its panels silently off every home.
"""

from accounts.roles import Role
from audits.panels import figure_panels as audit_figure_panels
from calendar_app.panels import panels as calendar_panels
from competitors.panels import figure_panels as competitor_figure_panels
from metrics.panels import figure_panels as metric_figure_panels
from metrics.panels import panels as metric_panels
from reports.panels import figure_panels as report_figure_panels
from stakeholders.panels import panels as stakeholder_panels
from strategy.panels import figure_panels as strategy_figure_panels
from strategy.panels import panels as strategy_panels

from .panels import HomeContext, Panel

PANEL_PROVIDERS = [
    stakeholder_panels,
    calendar_panels,
    metric_panels,
    strategy_panels,
]
FIGURE_PANEL_PROVIDERS = [
    metric_figure_panels,
    competitor_figure_panels,
    strategy_figure_panels,
    report_figure_panels,
    audit_figure_panels,
]
# The homes whose figure panels exist (the contributors' home shows none: nothing to fetch).
HOMES_WITH_FIGURES = ("team", "executive")


def home_kind(membership) -> str:
    """Which home a member gets: "contributor", "executive" or "team"."""
    if membership.role == Role.CONTRIBUTOR:
        return "contributor"
    if membership.role == Role.EXECUTIVE:
        return "executive"
    return "team"


def home_panels(*, request, home: str, figures: bool = False) -> list[Panel]:
    """The home's panels for this member (they differ by role and by person: "my ideas"), smallest order first:
    those of the page, or with `figures` those of its figures.

    One HomeContext for the request: the figures several panels show are read once and passed to each."""
    context = HomeContext(request=request, kind=home)
    panels: list[Panel] = []
    for provider in FIGURE_PANEL_PROVIDERS if figures else PANEL_PROVIDERS:
        panels.extend(provider(context))
    return sorted(panels, key=lambda p: p.order)
