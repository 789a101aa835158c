"""One time zone: the workspace's, for every page, task, e-mail and PDF that shows a time for a workspace.

`WorkspaceTimeZoneMiddleware` (right after the middleware that sets request.workspace) activates the
workspace's zone for the request: what a page prints, what a form reads and what "today" is. Code outside a
request (tasks, e-mails, PDFs) renders inside `workspace_time_zone(workspace)`. Times are stored in UTC.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone


def zone_of(workspace) -> ZoneInfo:
    return ZoneInfo(workspace.time_zone)


@contextmanager
def workspace_time_zone(workspace) -> Iterator[ZoneInfo]:
    """Renders and dates in the workspace's zone within the block (nothing changes without a workspace)."""
    if workspace is None:
        yield timezone.get_current_timezone()
        return
    zone = zone_of(workspace)
    with timezone.override(zone):
        yield zone


def with_zone(value: datetime | None) -> str:
    """'2026-03-29 11:30 CEST' in the current zone, for plain-text e-mails; nothing for no time."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


class WorkspaceTimeZoneMiddleware:
    """Every request of a workspace member runs in the workspace's time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with workspace_time_zone(getattr(request, "workspace", None)):
            return self.get_response(request)
