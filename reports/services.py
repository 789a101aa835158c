"""Build, freeze, annotate and deliver the monthly executive report."""

import logging
from datetime import date
from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from accounts.roles import Role
from strategy.selectors import kpi_readings, target_posts_per_week

from .models import MonthlyReport, ReportDelivery, ReportRecipient
from .periods import month_end, previous_month

logger = logging.getLogger(__name__)

# Apps that add a section through `<app>/reporting.py: report_section(...)`, in the order the report shows them.
SECTION_APPS = ["competitors", "audits", "calendar_app"]


def _trend(value, previous) -> str:
    if value is None or previous is None:
        return "unknown"
    return "up" if value > previous else "down" if value < previous else "flat"


def _kpis(*, workspace, start: date, end: date) -> list[dict]:
    now = kpi_readings(workspace=workspace, start=start, end=end)
    before_start = previous_month(start)
    before = {
        r.objective.pk: r.value
        for r in kpi_readings(workspace=workspace, start=before_start, end=month_end(before_start))
    }
    rows = []
    for reading in now:
        objective = reading.objective
        previous = before.get(objective.pk)
        rows.append(
            {
                "title": objective.title,
                "kind": objective.get_kind_display(),
                "kpi": objective.kpi_name,
                "baseline": float(objective.baseline),
                "target": float(objective.target),
                "deadline": objective.deadline.isoformat(),
                "value": reading.value,
                "previous_value": previous,
                "trend": _trend(reading.value, previous),
                # Whether "up" is good depends on the direction from baseline to target.
                "improving": None
                if reading.value is None or previous is None
                else (reading.value - previous) * (float(objective.target) - float(objective.baseline)) > 0,
                "progress_pct": reading.progress_pct,
            }
        )
    return rows


def _other_sections(*, workspace, start: date, end: date) -> dict:
    sections = {}
    for app in SECTION_APPS:
        if app not in settings.INSTALLED_APPS or find_spec(f"{app}.reporting") is None:
            continue
        try:
            section = import_module(f"{app}.reporting").report_section(
                workspace=workspace, period_start=start, period_end=end
            )
        except Exception:
            # One app's broken section must not stop the executives' report; the log says which.
            logger.exception("The %s section of the monthly report failed", app)
            continue
        if section is not None:
            sections[app] = section
    return sections


def report_build(*, workspace, month: date) -> dict:
    """Gather the month's figures as plain JSON (nothing here reads them again later)."""
    from .selectors import metrics_figures

    start, end = month, month_end(month)
    data = {
        "period": {"start": start.isoformat(), "end": end.isoformat(), "label": f"{start:%B %Y}"},
        "workspace": workspace.name,
        "kpis": _kpis(workspace=workspace, start=start, end=end),
        **metrics_figures(
            workspace=workspace, start=start, end=end, targets=target_posts_per_week(workspace=workspace)
        ),
        "sections": _other_sections(workspace=workspace, start=start, end=end),
    }
    return data


@transaction.atomic
def report_generate(*, workspace, month: date, by=None) -> MonthlyReport:
    """Freeze a new version of the month's report; earlier versions stay as they were."""
    month = month.replace(day=1)
    previous = (
        MonthlyReport.objects.select_for_update().filter(workspace=workspace, month=month).order_by("-version").first()
    )
    data = report_build(workspace=workspace, month=month)
    data["generated_at"] = timezone.now().isoformat()
    latest = MonthlyReport.objects.filter(workspace=workspace, month=month).aggregate(v=Max("version"))["v"] or 0
    return MonthlyReport.objects.create(
        workspace=workspace,
        month=month,
        version=latest + 1,
        data=data,
        # The manager's words carry over to the new version; the figures do not.
        highlights=previous.highlights if previous else "",
        generated_by=by,
    )


def report_highlights_update(*, report: MonthlyReport, highlights: str) -> MonthlyReport:
    """Write the manager's highlights on a report (the figures stay frozen)."""
    report.highlights = highlights.strip()
    report.save(update_fields=["highlights"])
    return report


def report_recipients(*, workspace) -> list[str]:
    """The workspace's executives and the chosen recipients, each address once."""
    executives = Membership.objects.filter(workspace=workspace, role=Role.EXECUTIVE, user__is_active=True).values_list(
        "user__email", flat=True
    )
    chosen = ReportRecipient.objects.filter(workspace=workspace).values_list("email", flat=True)
    return sorted({email.lower() for email in [*executives, *chosen]})


def recipient_add(*, workspace, email: str, name: str = "") -> ReportRecipient:
    """Add someone who receives the monthly report by e-mail."""
    recipient, _ = ReportRecipient.objects.get_or_create(
        workspace=workspace, email=email.lower(), defaults={"name": name}
    )
    return recipient


def recipient_remove(*, recipient: ReportRecipient) -> None:
    """Stop sending the monthly report to someone."""
    recipient.delete()


def report_url(report: MonthlyReport) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("reports:detail", args=[report.slug])


def report_send(*, report: MonthlyReport, by=None) -> ReportDelivery | None:
    """E-mail the report to executives and chosen recipients, once per month whoever asks and however often."""
    from .pdf import report_pdf

    recipients = report_recipients(workspace=report.workspace)
    if not recipients:
        return None
    with transaction.atomic():
        try:
            with transaction.atomic():
                delivery = ReportDelivery.objects.create(
                    workspace=report.workspace, month=report.month, report=report, recipients=recipients, sent_by=by
                )
        except IntegrityError:
            return None  # already sent this month (or being sent right now by another worker)
        context = {"report": report, "data": report.data, "url": report_url(report)}
        subject = f"{report.workspace} on social media: {report.month:%B %Y}"
        text = render_to_string("reports/email.txt", context)
        html = render_to_string("reports/email.html", context)
        pdf = report_pdf(report)
        # One message per person, so no one sees the others' addresses; a failure rolls the record back.
        for email in recipients:
            message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [email])
            message.attach_alternative(html, "text/html")
            message.attach(f"social-media-report-{report.slug}.pdf", pdf, "application/pdf")
            message.send()
    return delivery


def monthly_report_run(*, workspace, month: date) -> ReportDelivery | None:
    """The scheduled job for one workspace: generate the month's report if it has none, then send it once."""
    report = MonthlyReport.objects.filter(workspace=workspace, month=month).order_by("-version").first()
    if report is None:
        report = report_generate(workspace=workspace, month=month)
    return report_send(report=report)
