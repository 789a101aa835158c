import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.decorators import area_required
from accounts.permissions import can
from metrics import selectors as metrics_selectors

from . import csv_io, selectors, services
from .forms import AccessForm, AccountForm, AuditSettingsForm, ImportForm, ProcessForm, ResolveForm, ToolForm
from .models import AccessGrant, AuditRun, Finding, Process, SocialAccount, Tool


def _can_edit(request) -> bool:
    return can(request.membership.role, "audit", "edit")


def _submit(form, save) -> bool:
    """Validate the form, then let the service save; the service's objections land on the form's fields."""
    if not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


def _edit_page(request, *, form, title, back, delete_url=None) -> HttpResponse:
    context = {"form": form, "title": title, "back": back, "delete_url": delete_url}
    return render(request, "audits/edit.html", context, status=400 if form.is_bound else 200)


# The report


# The report shows what a person reads at a glance; `?full=1` lists everything (for print), and each
# section links to the page that holds all of its rows.
REPORT_ROWS = 10
# The inventory and the access register print a window of this many rows (the pager under them).
PAGE_SIZE = 50


@area_required("audit", "view")
def report(request: HttpRequest) -> HttpResponse:
    full = request.GET.get("full") == "1"
    reads = _report_reads(request.workspace, full)
    return render(request, "audits/report.html", {**reads, "full": full, "can_edit": _can_edit(request)})


def _report_reads(workspace, full: bool) -> dict:
    """What the report shows: the same for every member of the workspace."""
    limit = None if full else REPORT_ROWS
    runs = selectors.recent_runs(workspace=workspace)
    latest = runs[0] if runs else None
    previous = runs[1] if len(runs) > 1 else None
    compared = selectors.compare_runs(earlier=previous, later=latest) if latest else []
    current = [c for c in compared if c.after is not None]
    previews = selectors.report_previews(workspace=workspace, limit=limit)
    return {
        "latest": latest,
        "previous": previous,
        "current": current if full else current[:REPORT_ROWS],
        "current_total": len(current),
        "gone": [c.finding.title for c in compared if c.after is None],
        "by_severity": selectors.severity_counts(c.after for c in current),
        **previews,
        "accounts": selectors.with_performance(previews["accounts"], today=timezone.localdate()),
        "history": selectors.history_points(runs),
        "all_runs": runs if full else runs[:REPORT_ROWS],
        "runs_total": len(runs),
    }


@require_POST
@area_required("audit", "edit")
def run(request: HttpRequest) -> HttpResponse:
    audit = services.audit_run(workspace=request.workspace, by=request.user)
    messages.success(request, f"Audit done: score {audit.score}/100, {audit.findings_count} findings.")
    return redirect("audits:report")


def _int_or_none(value) -> int | None:
    return int(value) if value and value.isdigit() else None


@area_required("audit", "view")
def compare(request: HttpRequest) -> HttpResponse:
    runs = AuditRun.objects.filter(workspace=request.workspace)
    later_id, earlier_id = _int_or_none(request.GET.get("later")), _int_or_none(request.GET.get("earlier"))
    later = get_object_or_404(runs, pk=later_id) if later_id else runs.first()
    if later is None:
        messages.info(request, "Run an audit first: there is nothing to compare yet.")
        return redirect("audits:report")
    earlier = get_object_or_404(runs, pk=earlier_id) if earlier_id else runs.filter(ran_at__lt=later.ran_at).first()
    if earlier is not None and earlier.ran_at > later.ran_at:
        earlier, later = later, earlier
    context = {
        "earlier": earlier,
        "later": later,
        "rows": selectors.compare_runs(earlier=earlier, later=later),
        "runs": runs.order_by("-ran_at")[:50],
    }
    return render(request, "audits/compare.html", context)


@require_POST
@area_required("audit", "edit")
def finding_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_object_or_404(Finding, pk=pk, workspace=request.workspace)
    form = ResolveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Say how it was resolved, so the next person knows.")
        services.finding_resolve(finding=finding, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Resolved: {finding.title}.")
    return redirect("audits:report")


@area_required("audit", "edit")
def audit_settings(request: HttpRequest) -> HttpResponse:
    """The rules' thresholds, on their own page: they change rarely, and the report is read far more often."""
    form = AuditSettingsForm(request.POST or None, instance=selectors.audit_settings(workspace=request.workspace))
    if request.method == "POST" and _submit(
        form, lambda data: services.audit_settings_save(workspace=request.workspace, **data)
    ):
        messages.success(request, "Audit settings saved; they apply from the next run.")
        return redirect("audits:report")
    return render(request, "audits/settings.html", {"form": form}, status=400 if form.is_bound else 200)


def _csv_response(filename: str, write) -> HttpResponse:
    buffer = io.StringIO()
    write(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@area_required("audit", "view")
def export_findings(request: HttpRequest) -> HttpResponse:
    latest = AuditRun.objects.filter(workspace=request.workspace).first()
    if latest is None:
        messages.info(request, "Run an audit first: there is nothing to export yet.")
        return redirect("audits:report")
    findings = selectors.run_findings(run=latest)
    return _csv_response(
        f"audit-{latest.ran_at:%Y-%m-%d}.csv", lambda out: csv_io.export_findings(latest, findings, out)
    )


@area_required("audit", "view")
def export_accounts(request: HttpRequest) -> HttpResponse:
    rows = selectors.inventory(workspace=request.workspace)
    return _csv_response("accounts.csv", lambda out: csv_io.export_accounts(rows, out))


@area_required("audit", "view")
def export_access(request: HttpRequest) -> HttpResponse:
    rows = selectors.access_register(workspace=request.workspace)
    return _csv_response("access.csv", lambda out: csv_io.export_access(rows, out))


# Inventory


@area_required("audit", "view")
def accounts(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    if request.method == "POST":  # the add page posts to its own address; this one still accepts the form
        return account_add(request)
    page = Paginator(selectors.inventory_page(workspace=workspace), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "accounts": selectors.with_performance(page.object_list, today=timezone.localdate()),
        "page": page,
        "can_edit": _can_edit(request),
    }
    return render(request, "audits/accounts.html", context)


@area_required("audit", "view")
def account_add(request: HttpRequest) -> HttpResponse:
    """The add form on its own page: its drop-downs are built only for the person who asks to add an account."""
    if not _can_edit(request):
        raise PermissionDenied("Your role may read the audit but not change it.")
    form = AccountForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST" and _submit(
        form, lambda data: services.account_save(workspace=request.workspace, **data)
    ):
        messages.success(request, "Account added to the inventory.")
        return redirect("audits:accounts")
    context = {"form": form, "title": "Add an account", "back": "audits:accounts", "submit": "Add to the inventory"}
    context["testid"] = "account-form"
    return render(request, "audits/add.html", context, status=400 if form.is_bound else 200)


@area_required("audit", "edit")
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(SocialAccount, pk=pk, workspace=request.workspace)
    form = AccountForm(request.POST or None, instance=account, workspace=request.workspace)
    if request.method == "POST" and _submit(
        form, lambda data: services.account_save(workspace=request.workspace, account=account, **data)
    ):
        messages.success(request, f"{account} saved.")
        return redirect("audits:accounts")
    return _edit_page(
        request, form=form, title=f"Edit {account}", back="audits:accounts", delete_url=("audits:account_delete", pk)
    )


@require_POST
@area_required("audit", "edit")
def account_delete(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(SocialAccount, pk=pk, workspace=request.workspace)
    services.account_delete(account=account)
    messages.success(request, f"{account} removed from the inventory.")
    return redirect("audits:accounts")


# Access register


@area_required("audit", "view")
def access(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    if request.method == "POST":  # the add page posts to its own address; this one still accepts the form
        return access_add(request)
    # A window of the register; the matrix shows the accounts of that window (the CSV export has them all).
    page = Paginator(selectors.access_register_page(workspace=workspace), PAGE_SIZE).get_page(request.GET.get("page"))
    grants = list(page.object_list)
    columns, matrix = selectors.access_matrix(grants=[selectors.HeldAccess.of(g) for g in grants])
    review_after = selectors.audit_settings(workspace=workspace).review_after_days
    today = timezone.localdate()
    for grant in grants:
        seen = grant.last_reviewed_on or grant.granted_on
        grant.review_due = seen is None or (today - seen).days > review_after
    context = {
        "grants": grants,
        "page": page,
        "columns": columns,
        "matrix": matrix,
        "can_edit": _can_edit(request),
        "review_after": review_after,
        # Keys this app holds: who connected which account through its consent screens (metrics' connections).
        "app_connections": metrics_selectors.app_connections(workspace=workspace),
    }
    return render(request, "audits/access.html", context)


@area_required("audit", "view")
def access_add(request: HttpRequest) -> HttpResponse:
    """Record an access on its own page: the member and account drop-downs are built only when asked for."""
    if not _can_edit(request):
        raise PermissionDenied("Your role may read the audit but not change it.")
    form = AccessForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST" and _submit(
        form, lambda data: services.access_save(workspace=request.workspace, **data)
    ):
        messages.success(request, "Access recorded.")
        return redirect("audits:access")
    context = {"form": form, "title": "Record an access", "back": "audits:access", "submit": "Record access"}
    context["testid"] = "access-form"
    context["help"] = (
        "Choose a team member, or give the name, e-mail and department of anyone else (an agency, a former intern…)."
    )
    return render(request, "audits/add.html", context, status=400 if form.is_bound else 200)


@area_required("audit", "edit")
def access_edit(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(AccessGrant, pk=pk, workspace=request.workspace)
    form = AccessForm(request.POST or None, instance=grant, workspace=request.workspace)
    if request.method == "POST" and _submit(
        form, lambda data: services.access_save(workspace=request.workspace, grant=grant, **data)
    ):
        messages.success(request, "Access saved.")
        return redirect("audits:access")
    return _edit_page(
        request, form=form, title="Edit access", back="audits:access", delete_url=("audits:access_delete", pk)
    )


@require_POST
@area_required("audit", "edit")
def access_review(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(AccessGrant, pk=pk, workspace=request.workspace)
    services.access_review(grant=grant, by=request.user)
    messages.success(request, f"Access of {grant.holder_name} to {grant.account} reviewed today.")
    return redirect("audits:access")


@require_POST
@area_required("audit", "edit")
def access_delete(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(AccessGrant, pk=pk, workspace=request.workspace)
    services.access_delete(grant=grant)
    messages.success(request, f"Access of {grant.holder_name} to {grant.account} removed.")
    return redirect("audits:access")


# Tools and processes


@area_required("audit", "view")
def tools(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    tool_form = ToolForm(request.POST if request.POST.get("form") == "tool" else None, workspace=workspace)
    process_form = ProcessForm(request.POST if request.POST.get("form") == "process" else None, workspace=workspace)
    if request.method == "POST":
        if not _can_edit(request):
            raise PermissionDenied("Your role may read the audit but not change it.")
        if tool_form.is_bound and _submit(tool_form, lambda data: services.tool_save(workspace=workspace, **data)):
            messages.success(request, "Tool added.")
            return redirect("audits:tools")
        if process_form.is_bound and _submit(
            process_form, lambda data: services.process_save(workspace=workspace, **data)
        ):
            messages.success(request, "Process saved.")
            return redirect("audits:tools")
    tool_rows = list(selectors.tools(workspace=workspace))
    described = {p.kind: p for p in selectors.processes(workspace=workspace)}
    context = {
        "tools": tool_rows,
        "monthly_total": sum(t.monthly_cost for t in tool_rows),
        "processes": [(kind, label, described.get(kind)) for kind, label in Process.Kind.choices],
        "tool_form": tool_form,
        "process_form": process_form,
        "can_edit": _can_edit(request),
    }
    failed = tool_form.errors or process_form.errors
    return render(request, "audits/tools.html", context, status=400 if failed else 200)


@area_required("audit", "edit")
def tool_edit(request: HttpRequest, pk: int) -> HttpResponse:
    tool = get_object_or_404(Tool, pk=pk, workspace=request.workspace)
    form = ToolForm(request.POST or None, instance=tool, workspace=request.workspace)
    if request.method == "POST" and _submit(
        form, lambda data: services.tool_save(workspace=request.workspace, tool=tool, **data)
    ):
        messages.success(request, f"{tool} saved.")
        return redirect("audits:tools")
    return _edit_page(
        request, form=form, title=f"Edit {tool}", back="audits:tools", delete_url=("audits:tool_delete", pk)
    )


@require_POST
@area_required("audit", "edit")
def tool_delete(request: HttpRequest, pk: int) -> HttpResponse:
    tool = get_object_or_404(Tool, pk=pk, workspace=request.workspace)
    services.tool_delete(tool=tool)
    messages.success(request, f"{tool} removed.")
    return redirect("audits:tools")


@area_required("audit", "edit")
def process_edit(request: HttpRequest, pk: int) -> HttpResponse:
    process = get_object_or_404(Process, pk=pk, workspace=request.workspace)
    form = ProcessForm(request.POST or None, instance=process, workspace=request.workspace)
    if request.method == "POST" and _submit(
        form, lambda data: services.process_save(workspace=request.workspace, process=process, **data)
    ):
        messages.success(request, f"{process} saved.")
        return redirect("audits:tools")
    return _edit_page(request, form=form, title=f"Edit the process: {process}", back="audits:tools")


# Import


@area_required("audit", "edit")
def import_csv(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        importer = csv_io.import_accounts if form.cleaned_data["kind"] == "accounts" else csv_io.import_access
        result = importer(workspace=request.workspace, uploaded=form.cleaned_data["file"])
        if result.ok:
            messages.success(request, f"Imported {result.created} rows.")
            return redirect("audits:accounts" if form.cleaned_data["kind"] == "accounts" else "audits:access")
    context = {
        "form": form,
        "result": result,
        "account_columns": csv_io.ACCOUNT_COLUMNS,
        "access_columns": csv_io.ACCESS_COLUMNS,
        "can_edit": True,
    }
    failed = form.errors or (result is not None and not result.ok)
    return render(request, "audits/import.html", context, status=400 if failed else 200)
