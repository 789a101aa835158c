from celery import shared_task

from accounts.models import User, Workspace
from accounts.workspace_cache import mark_changed

from .models import MonthlyReport
from .periods import month_start, parse_month, previous_month
from .services import monthly_report_run, report_send


@shared_task
def send_monthly_reports(month: str | None = None) -> int:
    """On the 1st (Celery beat): each workspace's report for the month before, one task per workspace."""
    from django.utils import timezone

    target = parse_month(month) if month else previous_month(month_start(timezone.localdate()))
    ids = list(Workspace.objects.values_list("pk", flat=True))
    for workspace_id in ids:
        monthly_report_for_workspace.delay(workspace_id, target.isoformat()[:7])
    return len(ids)


@shared_task
def monthly_report_for_workspace(workspace_id: int, month: str) -> None:
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is not None:
        monthly_report_run(workspace=workspace, month=parse_month(month))
        mark_changed(workspace_id)


@shared_task
def send_report(report_id: int, sent_by_id: int | None = None) -> None:
    """The report page's "E-mail it", queued through the outbox: the same once-a-month delivery as the schedule."""
    report = MonthlyReport.objects.select_related("workspace").filter(pk=report_id).first()
    if report is not None:
        report_send(report=report, by=User.objects.filter(pk=sent_by_id).first() if sent_by_id else None)
