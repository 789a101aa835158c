"""Beat: the stakeholder notifications that come from the calendar (entries in notifications/migrations)."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from accounts.models import Workspace

from . import services


@shared_task(ignore_result=True)
def remind_follow_ups_due() -> int:
    """Hourly: the owners of follow-ups due today are told, once each."""
    return services.follow_ups_due_notify()


@shared_task(ignore_result=True)
def send_ambassador_monthly(month: str | None = None) -> int:
    """On the 1st: each workspace's ambassadors get the month's publications to relay ("2026-11" for another)."""
    month_start = date.fromisoformat(f"{month}-01") if month else timezone.now().date().replace(day=1)
    return sum(
        services.ambassadors_monthly_notify(workspace=workspace, month_start=month_start)
        for workspace in Workspace.objects.order_by("pk")
    )
