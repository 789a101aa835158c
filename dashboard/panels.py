"""A home page's panel, as the apps contribute it.

An app adds panels by defining `panels(*, request, home) -> list[Panel]` in its own `panels.py`, listed in
dashboard/home.py; `home` is "team", "contributor" or "executive". The dashboard never imports an app's models,
so each app owns its panels, their queries and their empty states.
"""

from dataclasses import dataclass, field


@dataclass
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100  # smaller first
    width: str = "col-xl-6"  # a Bootstrap column class
