from celery import shared_task

from accounts.models import User, Workspace

from .models import MonthlyReport
from .periods import month_start, parse_month, previous_month
from .services import monthly_report_run, report_send

# A mail server that failed part-way is tried again a few times, a few minutes apart (well inside the broker's
# visibility timeout); each try sends only to the people not sent yet. After that, "Send to the rest" on the
# report's page does the same by hand.
RETRIES = 3
RETRY_AFTER = 5 * 60  # seconds


@shared_task
def send_monthly_reports(month: str | None = None) -> int:
    """On the 1st (Celery beat): each workspace's report for the month before, one task per workspace."""
    from django.utils import timezone

    target = parse_month(month) if month else previous_month(month_start(timezone.localdate()))
    ids = list(Workspace.objects.values_list("pk", flat=True))
    for workspace_id in ids:
        monthly_report_for_workspace.delay(workspace_id, target.isoformat()[:7])
    return len(ids)


@shared_task(bind=True, acks_late=True, max_retries=RETRIES)
def monthly_report_for_workspace(self, workspace_id: int, month: str) -> int | None:
    """Generate (if missing) and e-mail one workspace's report; returns how many people still lack it."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return None
    outcome = monthly_report_run(workspace=workspace, month=parse_month(month))
    if outcome is not None and outcome.failed and self.request.retries < RETRIES:
        raise self.retry(countdown=RETRY_AFTER)
    return None if outcome is None else outcome.not_sent


@shared_task
def send_report(report_id: int, sent_by_id: int | None = None) -> int | None:
    """The report page's "E-mail it" and "Send to the rest", queued through the outbox: sends only to the people
    not sent yet (reports.services.report_send); returns how many still lack it."""
    report = MonthlyReport.objects.select_related("workspace").filter(pk=report_id).first()
    if report is None:
        return None
    outcome = report_send(report=report, by=User.objects.filter(pk=sent_by_id).first() if sent_by_id else None)
    return None if outcome is None else outcome.not_sent
