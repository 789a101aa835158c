from csp.constants import NONE, SELF
from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import area_required
from accounts.permissions import can
from outbox.feedback import say_queued
from outbox.selectors import unfinished_actions
from outbox.services import action_queue

from . import selectors, services
from .forms import GenerateForm, HighlightsForm, RecipientForm
from .message import email_parts, next_recipients
from .models import MonthlyReport, ReportDelivery, ReportEmail, ReportRecipient
from .pdf import report_pdf
from .periods import parse_month
from .sections import section_templates


def _month_or_404(slug: str):
    month = parse_month(slug)
    if month is None:
        raise Http404("No such month")
    return month


def _report_for_member(request, slug: str, version: str | None = None) -> MonthlyReport:
    month = _month_or_404(slug)
    try:
        wanted = int(version) if version else None
    except ValueError:
        raise Http404("No such version") from None
    report = selectors.report_for_month(workspace=request.workspace, month=month, version=wanted)
    if report is None:
        raise Http404("No report for that month")
    return report


@area_required("reports", "view")
def report_list(request: HttpRequest) -> HttpResponse:
    role = request.membership.role
    return render(
        request,
        "reports/list.html",
        {
            "reports": selectors.latest_reports(workspace=request.workspace),
            "form": GenerateForm(),
            "can_write": can(role, "reports", "write"),
            "can_send": can(role, "reports", "send"),
        },
    )


@require_POST
@area_required("reports", "write")
def generate(request: HttpRequest) -> HttpResponse:
    form = GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["month"]))
        return redirect("reports:list")
    report = services.report_generate(workspace=request.workspace, month=form.cleaned_data["month"], by=request.user)
    messages.success(
        request, f"Version {report.version} of the {report.month:%B %Y} report generated; earlier versions are kept."
    )
    return redirect("reports:detail", slug=report.slug)


@area_required("reports", "view")
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    report = _report_for_member(request, slug, request.GET.get("version"))
    role = request.membership.role
    versions = MonthlyReport.objects.filter(workspace=request.workspace, month=report.month).only(
        "version", "generated_at", "month"
    )
    context = {
        "report": report,
        "data": report.data,
        "sections": section_templates(report.data),
        "versions": versions,
        "is_latest": report.version == max(v.version for v in versions),
        **_delivery_context(request.workspace, report.month),
        "can_write": can(role, "reports", "write"),
        "can_send": can(role, "reports", "send"),
        "highlights_form": HighlightsForm(initial={"highlights": report.highlights}),
    }
    # A queued e-mail shows instead of the "E-mail it" / "Send to the rest" button: asked only where it would be.
    waiting_to_send = (
        context["can_send"] and context["is_latest"] and (context["delivery"] is None or context["delivery_unsent"])
    )
    context["queued"] = (
        unfinished_actions(workspace=request.workspace, names=["reports.send"], key="report_id")
        if waiting_to_send
        else {}
    )
    return render(request, "reports/detail.html", context)


@area_required("reports", "view")
def pdf(request: HttpRequest, slug: str) -> HttpResponse:
    report = _report_for_member(request, slug, request.GET.get("version"))
    response = HttpResponse(report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="social-media-report-{report.slug}.pdf"'
    return response


@require_POST
@area_required("reports", "write")
def highlights(request: HttpRequest, slug: str) -> HttpResponse:
    report = _report_for_member(request, slug)
    form = HighlightsForm(request.POST)
    if form.is_valid():
        services.report_highlights_update(report=report, highlights=form.cleaned_data["highlights"])
        messages.success(request, "Highlights saved.")
    return redirect("reports:detail", slug=report.slug)


def _delivery_context(workspace, month) -> dict:
    """The month's e-mailing: who received it, who did not and why, and whether "Send to the rest" applies."""
    delivery = ReportDelivery.objects.filter(workspace=workspace, month=month).first()
    emails = list(delivery.emails.all()) if delivery else []
    return {
        "delivery": delivery,
        "delivery_emails": emails,
        "delivery_sent": sum(e.status == ReportEmail.Status.SENT for e in emails),
        "delivery_unsent": sum(e.status in services.UNSENT for e in emails),
    }


def _outcome_message(request, report, outcome) -> None:
    month = f"{report.month:%B %Y}"
    if outcome is None:
        messages.error(request, NO_ONE)
    elif not outcome.sent and not outcome.failed:
        if outcome.complete:
            messages.info(request, f"The {month} report was already sent to everyone; no one gets it twice.")
        else:
            messages.info(request, "The others are being sent right now, or their outcome is unknown: see below.")
    elif not outcome.failed:
        messages.success(request, f"The {month} report was sent to {_people(len(outcome.sent))}.")
    else:
        sent = f"Sent to {_people(len(outcome.sent))}; " if outcome.sent else ""
        messages.warning(
            request,
            f"{sent}{_people(outcome.not_sent)} still without the {month} report: {outcome.failed[0][1]} "
            "“Send to the rest” tries them again, and only them.",
        )


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


NO_ONE = "No one to send it to: the workspace has no executive and no chosen recipient."


@require_http_methods(["GET", "POST"])
@area_required("reports", "send")
def send(request: HttpRequest, slug: str) -> HttpResponse:
    """ "E-mail it", and "Send to the rest" after a failure. GET previews who gets what, and sends nothing; the
    preview's "Send to N people" posts here. Both send only to those not sent yet."""
    report = _report_for_member(request, slug)
    addresses = services.report_recipients(workspace=request.workspace)
    delivery = _delivery_context(request.workspace, report.month)
    to_whom = next_recipients(report=report, addresses=addresses)
    if request.method == "GET":
        return render(
            request,
            "reports/send_preview.html",
            {
                "report": report,
                "data": report.data,
                "recipients": to_whom,
                "no_one": not addresses,
                "is_rest": delivery["delivery"] is not None,
                "email": email_parts(report) if to_whom else None,
                "from_email": settings.DEFAULT_FROM_EMAIL,
            },
        )
    if not addresses:
        messages.error(request, NO_ONE)
    elif delivery["delivery"] is not None and not delivery["delivery_unsent"]:
        messages.info(request, f"The {report.month:%B %Y} report was already sent to everyone; no one gets it twice.")
    elif request.POST.get("count") not in (None, str(len(to_whom))):
        # The list changed between the preview and the click (someone was added or removed, or received it).
        messages.warning(request, "The list of recipients changed since you opened the preview: check it again.")
        return redirect("reports:send", slug=report.slug)
    else:
        # A worker sends it (a PDF and one e-mail per person take longer than a request should, and the mail server
        # may be down): recorded through the outbox, so it goes out even if the task queue is away for a while.
        action = action_queue(
            workspace=request.workspace,
            name="reports.send",
            arguments={"report_id": report.pk, "sent_by_id": request.user.pk},
            requested_by=request.user,
        )
        whom = "the rest" if delivery["delivery"] is not None else _people(len(addresses))
        say_queued(
            request,
            action,
            queued=f"The {report.month:%B %Y} report is queued to be e-mailed to {whom}.",
            what=f"the e-mail of the {report.month:%B %Y} report to {whom}",
            then="goes out",
        )
    return redirect("reports:detail", slug=report.slug)


@require_GET
@area_required("reports", "send")
@xframe_options_sameorigin
@csp_replace(
    {
        "default-src": [NONE],
        "script-src": [NONE],
        "connect-src": [NONE],
        "font-src": [NONE],
        "form-action": [NONE],
        "style-src": ["'unsafe-inline'"],
        "img-src": [SELF],
        "frame-ancestors": [SELF],
    }
)
def send_preview_html(request: HttpRequest, slug: str) -> HttpResponse:
    """The e-mail's HTML part as recipients get it, for the preview's sandboxed frame. E-mail clients want inline
    styles, so this one response allows them (and nothing else: no script, no other origin, only our frame)."""
    report = _report_for_member(request, slug)
    return HttpResponse(email_parts(report)["html"])


@require_POST
@area_required("reports", "send")
def send_again(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Send again to one person whose e-mail's outcome is unknown, once someone checked it did not arrive."""
    report = _report_for_member(request, slug)
    report_email = get_object_or_404(
        ReportEmail, pk=pk, delivery__workspace=request.workspace, delivery__month=report.month
    )
    try:
        outcome = services.report_email_send_again(report_email=report_email, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _outcome_message(request, report, outcome)
    return redirect("reports:detail", slug=report.slug)


@area_required("reports", "send")
def recipients(request: HttpRequest) -> HttpResponse:
    form = RecipientForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        services.recipient_add(
            workspace=request.workspace, email=form.cleaned_data["email"], name=form.cleaned_data["name"]
        )
        messages.success(request, f"{form.cleaned_data['email']} will receive the monthly report.")
        return redirect("reports:recipients")
    context = {
        "form": form,
        "recipients": ReportRecipient.objects.filter(workspace=request.workspace),
        "all_addresses": services.report_recipients(workspace=request.workspace),
    }
    return render(request, "reports/recipients.html", context)


@require_POST
@area_required("reports", "send")
def recipient_remove(request: HttpRequest, pk: int) -> HttpResponse:
    recipient = get_object_or_404(ReportRecipient, pk=pk, workspace=request.workspace)
    services.recipient_remove(recipient=recipient)
    messages.success(request, f"{recipient.email} no longer receives the report.")
    return redirect("reports:recipients")
