"""The monthly report's e-mail as it goes out, and who it goes to next: one place for both, read by the
sending (services.report_send) and by the preview people see before they press "Send"."""

from django.contrib.auth import get_user_model
from django.template.loader import render_to_string

from accounts.roles import Role
from accounts.time_zone import workspace_time_zone

from .models import MonthlyReport, ReportDelivery, ReportEmail, ReportRecipient


def email_parts(report: MonthlyReport) -> dict:
    """The subject, the plain-text part and the HTML part of the report's e-mail (the PDF is attached to it)."""
    from .services import report_url

    context = {"report": report, "data": report.data, "url": report_url(report)}
    with workspace_time_zone(report.workspace):  # sent from a task too: times in the workspace's zone
        return {
            "subject": f"{report.workspace} on social media: {report.month:%B %Y}",
            "text": render_to_string("reports/email.txt", context),
            "html": render_to_string("reports/email.html", context),
        }


def next_recipients(*, report: MonthlyReport, addresses: list[str]) -> list[dict]:
    """Who the next send e-mails, with their names: everyone on the list (`addresses`, services.report_recipients)
    but those who received the month's report or whose e-mail is with the mail server right now."""
    delivery = ReportDelivery.objects.filter(workspace=report.workspace, month=report.month).first()
    done = set()
    if delivery is not None:
        done = set(
            delivery.emails.filter(status__in=[ReportEmail.Status.SENT, ReportEmail.Status.SENDING]).values_list(
                "email", flat=True
            )
        )
    wanted = [address for address in addresses if address not in done]
    names = dict(
        ReportRecipient.objects.filter(workspace=report.workspace, email__in=wanted)
        .exclude(name="")
        .values_list("email", "name")
    )
    for email, full_name in (
        get_user_model()
        .objects.filter(memberships__workspace=report.workspace, memberships__role=Role.EXECUTIVE, is_active=True)
        .values_list("email", "full_name")
    ):
        if full_name and email.lower() in wanted:
            names.setdefault(email.lower(), full_name)
    return [{"email": address, "name": names.get(address, "")} for address in wanted]
