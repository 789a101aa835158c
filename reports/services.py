"""Build, freeze, annotate and deliver the monthly executive report."""

import contextlib
import logging
import smtplib
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from accounts.roles import Role
from notifications.services import notify
from strategy.selectors import kpi_readings, target_posts_per_week

from . import section_providers
from .models import MonthlyReport, ReportDelivery, ReportEmail, ReportRecipient
from .periods import month_end, previous_month

logger = logging.getLogger(__name__)


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
    for app, report_section in section_providers.SECTIONS:
        try:
            section = report_section(workspace=workspace, period_start=start, period_end=end)
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


# Seconds an SMTP call may take (connecting included) before it counts as failed, unless EMAIL_TIMEOUT says.
SMTP_TIMEOUT = 30
UNSENT = [ReportEmail.Status.PENDING, ReportEmail.Status.FAILED]


@dataclass
class DeliveryOutcome:
    """What one run of `report_send` did, for the page's message and the scheduled job's retry."""

    delivery: ReportDelivery
    sent: list[str] = field(default_factory=list)  # e-mailed by this run
    failed: list[tuple[str, str]] = field(default_factory=list)  # (address, the error in plain words)
    not_sent: int = 0  # people on the list still without the report after this run (failed ones included)
    already_sent: int = 0  # people who had it before this run

    @property
    def complete(self) -> bool:
        return self.not_sent == 0


def _plain_error(error: Exception) -> tuple[str, bool]:
    """The failure in words a manager can act on, and whether the mail server is unusable for this run."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = "; ".join(f"{code} {_smtp_text(text)}" for code, text in error.recipients.values())
        return f"The mail server refused this address ({replies}).", False
    if isinstance(error, smtplib.SMTPResponseException) and error.smtp_code == 421:
        # 421 answers any command when the server is shutting down or overloaded: nothing was refused.
        return f"The mail server was not available ({error.smtp_code} {_smtp_text(error.smtp_error)}).", True
    if isinstance(error, smtplib.SMTPSenderRefused):
        return f"The mail server refused our sender address {error.sender} ({error.smtp_code}).", True
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return "The mail server refused our login: check the user and password in EMAIL_URL.", True
    if isinstance(error, smtplib.SMTPDataError):
        return f"The mail server refused the message ({error.smtp_code} {_smtp_text(error.smtp_error)}).", False
    if isinstance(error, smtplib.SMTPResponseException):
        return f"The mail server answered with an error ({error.smtp_code} {_smtp_text(error.smtp_error)}).", True
    if isinstance(error, (smtplib.SMTPException, OSError)):
        return f"The mail server could not be reached or hung up ({error or type(error).__name__}).", True
    return f"Sending failed ({type(error).__name__}: {error}).", True


def _smtp_text(text) -> str:
    return text.decode(errors="replace") if isinstance(text, bytes) else str(text)


def _delivery_with_emails(*, report: MonthlyReport, recipients: list[str], by) -> ReportDelivery:
    """The month's delivery, with a row for everyone on today's list (people added since the last run too)."""
    with transaction.atomic():
        delivery, _ = ReportDelivery.objects.get_or_create(
            workspace=report.workspace, month=report.month, defaults={"report": report, "sent_by": by}
        )
        ReportEmail.objects.bulk_create(
            [ReportEmail(delivery=delivery, email=email) for email in recipients], ignore_conflicts=True
        )
    return delivery


def _claim(email: ReportEmail) -> bool:
    """Take one person's e-mail for this process, committed at once: whoever's claim lands first sends it."""
    claimed = ReportEmail.objects.filter(pk=email.pk, status__in=UNSENT).update(
        status=ReportEmail.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    return claimed == 1


def report_send(*, report: MonthlyReport, by=None) -> DeliveryOutcome | None:
    """E-mail the month's report to everyone on the list who has not received it yet; no one gets it twice.

    Call it outside any transaction. Each person's e-mail is claimed in a short committed step (not sent yet
    or failed -> sending), then handed to the mail server with no transaction or lock open, then its outcome
    committed (sent, or failed with the error in plain words). A failure stops nothing that already went out:
    the next run, the scheduled one or "Send to the rest" on the report's page, sends to those not sent only.

    If the process dies during the SMTP call, that one person's e-mail may or may not have left: at most one
    recipient per process that died. Their row stays "sending" and shows as "unknown" after SENDING_TIMEOUT;
    it is never sent again unless a person asks (`report_email_send_again`). The same holds, as with any SMTP
    client, when the server accepted a message but the connection dropped before it said so.
    Returns None when the workspace has no one to send the report to.
    """
    from .message import email_parts
    from .pdf import report_pdf

    recipients = report_recipients(workspace=report.workspace)
    if not recipients:
        return None
    delivery = _delivery_with_emails(report=report, recipients=recipients, by=by)
    emails = list(delivery.emails.filter(email__in=recipients))
    outcome = DeliveryOutcome(delivery=delivery, already_sent=sum(e.status == ReportEmail.Status.SENT for e in emails))
    to_send = [e for e in emails if e.status in UNSENT]
    if to_send:
        parts = email_parts(report)  # the very e-mail the preview showed
        subject, text, html = parts["subject"], parts["text"], parts["html"]
        pdf = report_pdf(report)
        connection = get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or SMTP_TIMEOUT)
        try:
            for email in to_send:
                if not _claim(email):
                    continue  # another run is sending it, or has sent it, right now
                # One message per person, so no one sees the others' addresses.
                message = EmailMultiAlternatives(
                    subject, text, settings.DEFAULT_FROM_EMAIL, [email.email], connection=connection
                )
                message.attach_alternative(html, "text/html")
                message.attach(f"social-media-report-{report.slug}.pdf", pdf, "application/pdf")
                try:
                    message.send()
                except Exception as error:  # every failure is recorded and shown on the page, none is lost
                    words, server_unusable = _plain_error(error)
                    logger.warning("Monthly report to %s not sent: %s", email.email, words)
                    ReportEmail.objects.filter(pk=email.pk).update(
                        status=ReportEmail.Status.FAILED, last_error=words, last_error_at=timezone.now()
                    )
                    outcome.failed.append((email.email, words))
                    if server_unusable:
                        break  # the next ones would wait for the same timeout: they stay "not sent yet"
                    continue
                ReportEmail.objects.filter(pk=email.pk).update(
                    status=ReportEmail.Status.SENT, sent_at=timezone.now(), last_error=""
                )
                outcome.sent.append(email.email)
        finally:
            with contextlib.suppress(Exception):
                connection.close()
    outcome.not_sent = delivery.emails.filter(email__in=recipients).exclude(status=ReportEmail.Status.SENT).count()
    return outcome


def report_email_send_again(*, report_email: ReportEmail, by=None) -> DeliveryOutcome | None:
    """A person decided that an e-mail whose outcome is unknown did not arrive: send it again, once."""
    if not report_email.outcome_unknown:
        raise ValidationError("Only an e-mail whose outcome is unknown can be sent again this way.")
    ReportEmail.objects.filter(pk=report_email.pk, status=ReportEmail.Status.SENDING).update(
        status=ReportEmail.Status.FAILED,
        last_error=f"Sent again at {by or 'someone'}'s request: the first try's outcome was unknown.",
        last_error_at=timezone.now(),
    )
    report = (
        report_email.delivery.report
        or MonthlyReport.objects.filter(workspace=report_email.delivery.workspace, month=report_email.delivery.month)
        .order_by("-version")
        .first()
    )
    return report_send(report=report, by=by)


def monthly_report_run(*, workspace, month: date) -> DeliveryOutcome | None:
    """The scheduled job for one workspace: generate the month's report if it has none, then send it to those
    who have not received it yet."""
    report = MonthlyReport.objects.filter(workspace=workspace, month=month).order_by("-version").first()
    if report is None:
        report = report_generate(workspace=workspace, month=month)
    with transaction.atomic():
        notify(
            workspace=workspace, kind="report_ready", dedupe_key=f"report:{workspace.pk}:{report.month:%Y-%m}:ready",
            recipients=Membership.objects.filter(workspace=workspace, role=Role.EXECUTIVE),
            title=f"The social media report of {report.month:%B %Y} is ready", body=report.highlights[:500],
            link=reverse("reports:detail", args=[report.slug]),
        )  # fmt: skip
    return report_send(report=report)
