"""Reads that stay cached until the workspace's data next changes.

Every workspace carries a data version (`Workspace.data_version`) that moves on every write to its data:
- after any unsafe request (POST, PUT, PATCH, DELETE) made in the workspace: `CurrentWorkspaceMiddleware`;
  an unsafe request to the Django admin, which may edit any workspace, moves them all;
- when a background job writes: the services the jobs run (the pull, publishing, the monthly report,
  the quarterly SWOT) call `mark_changed` themselves; so do the commands that load demo or bench data.

A cached read is keyed by the version it was computed under, so a write makes every older entry unreachable
at once: no invalidation has to know which tables a page read, and the cache backend may even be one per
process. The version rides on the workspace row the middleware loads anyway, so reading it costs no query.
A reader that computed under version N after a write committed caches newer data under N, never older data
under N + 1, because the version moves in or after the writer's transaction.
"""

import logging
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone

from .models import Workspace

log = logging.getLogger(__name__)

T = TypeVar("T")

# Bounds the memory an idle workspace holds and how long a read can outlive a release that changed its shape.
TIMEOUT = 15 * 60

_MISSING = object()


def mark_changed(workspace_id: int | None = None) -> None:
    """Move one workspace's data version, or every workspace's when `workspace_id` is None."""
    workspaces = Workspace.objects.all() if workspace_id is None else Workspace.objects.filter(pk=workspace_id)
    workspaces.update(data_version=F("data_version") + 1)


def cached_read(workspace: Workspace, name: str, *parts, compute: Callable[[], T], timeout: int = TIMEOUT) -> T:
    """`compute()` once per workspace data version, local date and `parts` (which say whose and what view).

    The date is part of the key because reads such as "due this week" or "the last 30 days" move at midnight
    without a write. `compute` must return something picklable, with querysets already evaluated. With the
    setting `WORKSPACE_CACHE_ENABLED` off every call computes, as the first request after a write does.
    """
    if not settings.WORKSPACE_CACHE_ENABLED:
        return compute()
    key = ":".join(
        str(part)
        for part in ("ws", workspace.pk, workspace.data_version, name, timezone.localdate().isoformat(), *parts)
    )
    try:
        value = cache.get(key, _MISSING)
    except Exception:  # an entry pickled by an older release, or the cache is down: compute, as on a miss
        log.warning("Cached read %s could not be loaded; computing it", key, exc_info=True)
        value = _MISSING
    if value is _MISSING:
        value = compute()
        try:
            cache.set(key, value, timeout)
        except Exception:
            log.warning("Cached read %s could not be stored", key, exc_info=True)
    return value
