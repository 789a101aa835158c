"""Celery tasks: thin wrappers that call the services, so they also run inline."""

from celery import shared_task

from accounts.models import Workspace

from . import services


@shared_task
def swot_quarterly_versions() -> int:
    """At the start of each quarter, start every workspace's SWOT version for it (idempotent)."""
    workspace_ids = services.workspaces_with_swot()
    for workspace_id in workspace_ids:
        swot_quarterly_version.delay(workspace_id)
    return len(workspace_ids)


@shared_task
def swot_quarterly_version(workspace_id: int) -> int:
    """Start one workspace's SWOT version for this quarter, then look for suggestions."""
    workspace = Workspace.objects.get(pk=workspace_id)
    version = services.swot_version_create(workspace=workspace, quarterly=True)
    services.swot_suggestions_refresh(workspace=workspace)
    return version.pk


@shared_task
def swot_suggestions_refresh(workspace_id: int) -> int:
    """Draw new SWOT suggestions from the benchmark for one workspace."""
    workspace = Workspace.objects.get(pk=workspace_id)
    suggestions = services.swot_suggestions_refresh(workspace=workspace)
    return len(suggestions)
