"""Each home page is a column of panels that the apps contribute.

An app adds panels by defining `panels(*, request, home) -> list[Panel]` in its own
`panels.py`; `home` is "team", "contributor" or "executive". The dashboard never imports an
app's models, so each app owns its panels, their queries and their empty states.
"""

from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.conf import settings

from accounts.workspace_cache import cached_read

PANEL_APPS = [
    "stakeholders",
    "calendar_app",
    "audits",
    "metrics",
    "competitors",
    "strategy",
    "reports",
]


@dataclass
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100  # smaller first
    width: str = "col-xl-6"  # a Bootstrap column class


def home_panels(*, request, home: str) -> list[Panel]:
    """The home's panels, computed once per workspace data version and day for each member.

    Nine panels from seven apps cost about twenty queries; a home is opened far more often than the
    workspace changes. Keyed by member because panels differ by role and by person ("my ideas").
    """
    membership = request.membership
    return cached_read(
        request.workspace,
        "home",
        home,
        membership.pk,
        membership.role,
        compute=lambda: collect_panels(request=request, home=home),
    )


def collect_panels(*, request, home: str) -> list[Panel]:
    panels: list[Panel] = []
    for app in PANEL_APPS:
        if app not in settings.INSTALLED_APPS or find_spec(f"{app}.panels") is None:
            continue
        provider = getattr(import_module(f"{app}.panels"), "panels", None)
        if provider is not None:
            panels.extend(provider(request=request, home=home))
    return sorted(panels, key=lambda p: p.order)
