"""A home page's panel, as the apps contribute it, and what the panels of one request share.

An app adds panels by defining `panels(home: HomeContext) -> list[Panel]` (rendered with the page) or
`figure_panels(home)` (fetched by the page from dashboard:figures) in its own `panels.py`, listed in
dashboard/home.py; `home.kind` is "team", "contributor" or "executive". The dashboard never imports an app's
models, so each app owns its panels, their queries and their empty states.

Several figure panels show figures of the same profiles over the same 30 days (competitors, objectives):
`HomeContext` is built once per request and reads those figures (per entity and network) once, when the first
panel asks for them; it lives only as long as the request (no memo across requests: every request computes what it
shows).
"""

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.http import HttpRequest


@dataclass
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100  # smaller first
    width: str = "col-xl-6"  # a Bootstrap column class


@dataclass
class HomeContext:
    """One request's home: who asks, which home, and the figures its panels share (read at most once)."""

    request: HttpRequest
    kind: str  # "team", "contributor" or "executive"

    @property
    def workspace(self):
        return self.request.workspace

    @property
    def membership(self):
        return getattr(self.request, "membership", None)

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    @property
    def user(self):
        return self.request.user

    @cached_property
    def period(self) -> tuple[date, date]:
        """The last 30 local days of the workspace: the period of every figure on the homes."""
        from metrics.figures import standard_period

        return standard_period(workspace=self.workspace)

    @cached_property
    def profiles(self) -> list:
        """The brand's profiles and the active competitors' ones (metrics/panels.py `home_profiles`), by platform
        and handle, as rows (metrics.selectors `ProfileRow`), in one query."""
        from metrics.panels import home_profiles
        from metrics.selectors import profile_rows

        if self.workspace is None:
            return []
        return profile_rows(home_profiles(workspace=self.workspace))

    @cached_property
    def network_parts(self) -> list:
        """The figures over `period` of every entity's profiles per network, active and stopped apart
        (metrics.figures.network_parts, the roll-up per network): two queries, whatever the number of profiles."""
        from metrics.figures import network_parts

        if self.workspace is None:
            return []
        start, end = self.period
        return network_parts(workspace=self.workspace, start=start, end=end)

    def own_profiles(self, *, active_only: bool = True) -> list:
        """The brand's profiles, by platform and handle."""
        return [p for p in self.profiles if p.is_own and (p.is_active or not active_only)]
