"""Each home page is a column of panels that the apps contribute (dashboard/panels.py says how).

The providers are imported here, not looked up by name: an app's `panels.py` that does not import fails at
start-up and in the tests instead of leaving its panels silently off every home.
"""

from audits.panels import panels as audit_panels
from calendar_app.panels import panels as calendar_panels
from competitors.panels import panels as competitor_panels
from metrics.panels import panels as metric_panels
from reports.panels import panels as report_panels
from stakeholders.panels import panels as stakeholder_panels
from strategy.panels import panels as strategy_panels

from .panels import HomeContext, Panel

PANEL_PROVIDERS = [
    stakeholder_panels,
    calendar_panels,
    audit_panels,
    metric_panels,
    competitor_panels,
    strategy_panels,
    report_panels,
]


def home_panels(*, request, home: str) -> list[Panel]:
    """The home's panels for this member (they differ by role and by person: "my ideas"), smallest order first.

    One HomeContext for the request: the figures several panels show are read once and passed to each."""
    context = HomeContext(request=request, kind=home)
    panels: list[Panel] = []
    for provider in PANEL_PROVIDERS:
        panels.extend(provider(context))
    return sorted(panels, key=lambda p: p.order)
