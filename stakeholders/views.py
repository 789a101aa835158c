from datetime import date
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from accounts.decorators import area_required, member_required
from accounts.permissions import EDIT, VIEW, can
from calendar_app.relay import publications_to_relay
from common.links import pk_url
from common.redirects import safe_next
from metrics.platforms import PLATFORM_COLOURS, Platform

from . import csv_io, selectors, services
from .forms import (
    AmbassadorForm,
    ContactForm,
    DepartmentForm,
    DirectoryFilterForm,
    ExampleTextForm,
    FollowUpFormSet,
    ImportForm,
    MeetingForm,
)
from .models import Ambassador, Contact, ExampleText, FollowUp, Level
from .vcard import contact_vcard

AREA = "stakeholders"
OWN_AMBASSADOR = "own_ambassador"
PAGE_SIZE = 50


def _may_edit(request) -> bool:
    return can(request.membership.role, AREA, EDIT)


def _ambassador_area(view):
    """The ambassadors' pages: the team, and contributors for their own profile."""

    @member_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        role = request.membership.role
        if not (can(role, AREA, VIEW) or can(role, AREA, OWN_AMBASSADOR)):
            raise PermissionDenied("Your role may not open the ambassadors' page.")
        return view(request, *args, **kwargs)

    return wrapped


def _get_contact(request, pk: int) -> Contact:
    return get_object_or_404(Contact.objects.select_related("department"), pk=pk, workspace=request.workspace)


# --- the directory -----------------------------------------------------------------------------


_LEVEL_BADGES = {
    Level.HIGH: ("text-bg-danger-subtle text-danger-emphasis", "high"),
    Level.MEDIUM: ("text-bg-warning-subtle text-warning-emphasis", "medium"),
    Level.LOW: ("text-bg-secondary-subtle text-secondary-emphasis", "low"),
}


def _directory_rows(page) -> list[dict]:
    """The page's contacts as the table shows them, with their links and badges worked out once."""
    rows = list(page.object_list)
    tags = selectors.tags_by_contact(contact_ids=[row["pk"] for row in rows])
    detail_url, vcard_url = pk_url("stakeholders:contact"), pk_url("stakeholders:contact_vcard")
    for row in rows:
        row["url"] = detail_url(row["pk"])
        row["vcard_url"] = vcard_url(row["pk"])
        row["tags"] = tags.get(row["pk"], [])
        row["brings"] = ", ".join(
            label
            for flag, label in (
                ("brings_content", "content"),
                ("brings_expertise", "expertise"),
                ("brings_events", "events"),
            )
            if row[flag]
        )
        row["influence_css"], row["influence_label"] = _LEVEL_BADGES.get(row["influence"], _LEVEL_BADGES[Level.LOW])
        row["interest_css"], row["interest_label"] = _LEVEL_BADGES.get(row["interest"], _LEVEL_BADGES[Level.LOW])
    return rows


@area_required(AREA, VIEW)
def directory(request: HttpRequest) -> HttpResponse:
    counts = selectors.directory_counts(workspace=request.workspace)
    departments, totals = counts.departments, counts.totals
    form = DirectoryFilterForm(request.GET or None, workspace=request.workspace, departments=departments)
    filters = form.to_filters() if request.GET else selectors.ContactFilters()
    filtering = any(v for k, v in request.GET.items() if k != "page")
    contacts = selectors.contacts_for_directory(workspace=request.workspace, filters=filters)
    paginator = Paginator(selectors.directory_rows(contacts=contacts), PAGE_SIZE)
    if filters == selectors.ContactFilters():
        paginator.count = totals["total"]  # the whole directory: the totals counted it already
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "contacts": _directory_rows(page),
        "filtering": filtering,
        "query": query.urlencode(),
        "departments": departments,
        "totals": totals,
        "department_form": DepartmentForm(),
        "may_edit": _may_edit(request),
    }
    return render(request, "stakeholders/directory.html", context)


@area_required(AREA, VIEW)
def export_csv(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None, workspace=request.workspace)
    filters = form.to_filters() if request.GET else selectors.ContactFilters()
    contacts = selectors.contacts_for_directory(workspace=request.workspace, filters=filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"contacts-{slugify(request.workspace.name)}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    csv_io.contacts_export(contacts=contacts.iterator(chunk_size=500), out=response)
    return response


@area_required(AREA, EDIT)
def import_csv(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = csv_io.contacts_import(workspace=request.workspace, data=form.cleaned_data["file"].read())
        if result.ok:
            messages.success(request, f"Import done: {result.created} contacts added, {result.updated} updated.")
            return redirect("stakeholders:directory")
    return render(request, "stakeholders/import.html", {"form": form, "result": result, "columns": csv_io.COLUMNS})


@area_required(AREA, EDIT)
@require_POST
def department_create(request: HttpRequest) -> HttpResponse:
    form = DepartmentForm(request.POST)
    if form.is_valid():
        try:
            services.department_create(workspace=request.workspace, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"Department {form.cleaned_data['name']} added.")
    else:
        messages.error(request, "A department needs a name (at most 100 characters).")
    return redirect("stakeholders:directory")


# --- contacts ----------------------------------------------------------------------------------


@area_required(AREA, EDIT)
def contact_create(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        contact = services.contact_create(
            workspace=request.workspace, tag_names=form.cleaned_data["tag_names"], **form.service_fields()
        )
        messages.success(request, f"{contact} added to the directory.")
        return redirect("stakeholders:contact", pk=contact.pk)
    return render(request, "stakeholders/contact_form.html", {"form": form})


@area_required(AREA, VIEW)
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_detail(workspace=request.workspace, pk=pk)
    if contact is None:
        raise Http404("No such contact in this workspace.")
    context = {"contact": contact, "may_edit": _may_edit(request), "today": timezone.localdate()}
    return render(request, "stakeholders/contact_detail.html", context)


@area_required(AREA, EDIT)
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _get_contact(request, pk)
    form = ContactForm(request.POST or None, instance=contact, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        services.contact_update(contact=contact, tag_names=form.cleaned_data["tag_names"], **form.service_fields())
        messages.success(request, f"{contact} saved.")
        return redirect("stakeholders:contact", pk=contact.pk)
    return render(request, "stakeholders/contact_form.html", {"form": form, "contact": contact})


@area_required(AREA, EDIT)
@require_POST
def contact_delete(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _get_contact(request, pk)
    services.contact_delete(contact=contact)
    messages.success(request, f"{contact} removed from the directory.")
    return redirect("stakeholders:directory")


@area_required(AREA, VIEW)
def contact_vcard_download(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(
        Contact.objects.select_related("department").prefetch_related("tags"), pk=pk, workspace=request.workspace
    )
    response = HttpResponse(
        contact_vcard(contact, organisation=request.workspace.name), content_type="text/vcard; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{slugify(contact.full_name) or "contact"}.vcf"'
    return response


# --- meetings and follow-ups -------------------------------------------------------------------


@area_required(AREA, EDIT)
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _get_contact(request, pk)
    form = MeetingForm(request.POST or None)
    formset = FollowUpFormSet(request.POST or None, prefix="fu", form_kwargs={"workspace": request.workspace})
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        drafts = [
            services.FollowUpDraft(description=f["description"], due_on=f["due_on"], owner=f["owner"])
            for f in formset.cleaned_data
            if f.get("description")
        ]
        services.meeting_log(contact=contact, by=request.user, follow_ups=drafts, **form.cleaned_data)
        messages.success(
            request, f"Meeting with {contact} logged" + (f" with {len(drafts)} follow-ups." if drafts else ".")
        )
        return redirect("stakeholders:contact", pk=contact.pk)
    return render(request, "stakeholders/meeting_form.html", {"contact": contact, "form": form, "formset": formset})


def _get_follow_up(request, pk: int) -> FollowUp:
    return get_object_or_404(FollowUp.objects.select_related("meeting"), pk=pk, workspace=request.workspace)


def _back(request, fallback):
    return redirect(safe_next(request, fallback))


@area_required(AREA, EDIT)
@require_POST
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = _get_follow_up(request, pk)
    services.follow_up_complete(follow_up=follow_up)
    messages.success(request, f"Done: {follow_up}.")
    return _back(request, reverse("stakeholders:contact", args=[follow_up.meeting.contact_id]))


@area_required(AREA, EDIT)
@require_POST
def follow_up_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = _get_follow_up(request, pk)
    services.follow_up_reopen(follow_up=follow_up)
    return _back(request, reverse("stakeholders:contact", args=[follow_up.meeting.contact_id]))


# --- the map -----------------------------------------------------------------------------------


@area_required(AREA, VIEW)
def stakeholder_map(request: HttpRequest) -> HttpResponse:
    context = {
        "grid": selectors.influence_interest_grid(workspace=request.workspace),
        "not_met": selectors.contacts_not_met(workspace=request.workspace),
        "totals": selectors.directory_totals(workspace=request.workspace),
        "may_edit": _may_edit(request),
    }
    return render(request, "stakeholders/map.html", context)


# --- ambassadors -------------------------------------------------------------------------------


def _month_from(request) -> date:
    today = timezone.localdate()
    raw = request.GET.get("month", "")
    try:
        year, month = (int(part) for part in raw.split("-"))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def _shift(month: date, delta: int) -> date:
    index = month.year * 12 + month.month - 1 + delta
    return date(index // 12, index % 12 + 1, 1)


@_ambassador_area
def ambassadors(request: HttpRequest) -> HttpResponse:
    month = _month_from(request)
    is_team = can(request.membership.role, AREA, VIEW)
    mine = selectors.ambassador_of(workspace=request.workspace, user=request.user)
    example_texts = list(selectors.example_texts_for_month(workspace=request.workspace, month_start=month))
    context = {
        "month": month,
        "previous_month": _shift(month, -1),
        "next_month": _shift(month, 1),
        "relay_items": publications_to_relay(workspace=request.workspace, month_start=month),
        "example_texts": example_texts,
        "my_relays": {t.pk for t in example_texts if mine and any(r.ambassador_id == mine.pk for r in t.relays.all())},
        "mine": mine,
        "is_team": is_team,
        "may_edit": _may_edit(request),
    }
    if is_team:
        team_list = list(selectors.ambassadors_for_team(workspace=request.workspace, month_start=month))
        counts = selectors.ambassador_network_counts(workspace=request.workspace)
        context |= {
            "ambassador_list": team_list,
            "active_count": sum(1 for a in team_list if a.is_active),
            "network_chart": {
                "labels": [Platform(c["platform"]).label for c in counts],
                "counts": [c["count"] for c in counts],
                "colours": [PLATFORM_COLOURS[Platform(c["platform"])] for c in counts],
            },
            "example_text_form": ExampleTextForm(),
        }
    return render(request, "stakeholders/ambassadors.html", context)


@_ambassador_area
def ambassador_me(request: HttpRequest) -> HttpResponse:
    """Anyone signs up, or edits their own profile; nobody reaches another's through this page."""
    mine = selectors.ambassador_of(workspace=request.workspace, user=request.user)
    initial = {} if mine else {"full_name": request.user.get_full_name(), "email": request.user.email}
    form = AmbassadorForm(request.POST or None, instance=mine, initial=initial, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        try:
            if mine is None:
                services.ambassador_sign_up(
                    workspace=request.workspace,
                    user=request.user,
                    networks=form.network_handles(),
                    **form.service_fields(),
                )
                messages.success(request, "Welcome aboard! Each month you will find here the publications to relay.")
            else:
                services.ambassador_update(
                    ambassador=mine, networks=form.network_handles(), is_active=True, **form.service_fields()
                )
                messages.success(request, "Your ambassador profile is saved.")
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("stakeholders:ambassadors")
    return render(request, "stakeholders/ambassador_form.html", {"form": form, "ambassador": mine, "is_own": True})


@_ambassador_area
@require_POST
def ambassador_me_leave(request: HttpRequest) -> HttpResponse:
    mine = get_object_or_404(Ambassador, workspace=request.workspace, user=request.user)
    services.ambassador_leave(ambassador=mine)
    messages.info(request, "You are no longer an ambassador. Thank you for your help!")
    return redirect("stakeholders:ambassadors")


@area_required(AREA, EDIT)
def ambassador_create(request: HttpRequest) -> HttpResponse:
    """The team adds an employee who volunteered by other means (no account needed)."""
    form = AmbassadorForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        try:
            services.ambassador_sign_up(
                workspace=request.workspace, user=None, networks=form.network_handles(), **form.service_fields()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{form.cleaned_data['full_name']} added to the ambassadors.")
            return redirect("stakeholders:ambassadors")
    return render(request, "stakeholders/ambassador_form.html", {"form": form, "is_own": False})


@area_required(AREA, EDIT)
def ambassador_edit(request: HttpRequest, pk: int) -> HttpResponse:
    ambassador = get_object_or_404(Ambassador, pk=pk, workspace=request.workspace)
    form = AmbassadorForm(request.POST or None, instance=ambassador, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        active = request.POST.get("is_active") == "on"
        services.ambassador_update(
            ambassador=ambassador, networks=form.network_handles(), is_active=active, **form.service_fields()
        )
        messages.success(request, f"{ambassador} saved.")
        return redirect("stakeholders:ambassadors")
    return render(
        request, "stakeholders/ambassador_form.html", {"form": form, "ambassador": ambassador, "is_own": False}
    )


@area_required(AREA, EDIT)
@require_POST
def example_text_create(request: HttpRequest) -> HttpResponse:
    month = _month_from(request)
    form = ExampleTextForm(request.POST)
    if form.is_valid():
        services.example_text_add(workspace=request.workspace, by=request.user, month=month, **form.cleaned_data)
        messages.success(request, "Example text added for the ambassadors.")
    else:
        errors = "; ".join(f"{form.fields[f].label or f}: {e[0]}" for f, e in form.errors.items() if f in form.fields)
        messages.error(request, f"The example text was not added. {errors}")
    return redirect(f"{reverse('stakeholders:ambassadors')}?month={month:%Y-%m}")


@area_required(AREA, EDIT)
@require_POST
def example_text_delete(request: HttpRequest, pk: int) -> HttpResponse:
    example_text = get_object_or_404(ExampleText, pk=pk, workspace=request.workspace)
    month = example_text.month
    services.example_text_delete(example_text=example_text)
    messages.success(request, "Example text withdrawn.")
    return redirect(f"{reverse('stakeholders:ambassadors')}?month={month:%Y-%m}")


@_ambassador_area
@require_POST
def example_text_relayed(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed-in ambassador says they shared (or, with undo, did not share) an example text."""
    example_text = get_object_or_404(ExampleText, pk=pk, workspace=request.workspace)
    mine = selectors.ambassador_of(workspace=request.workspace, user=request.user)
    back = f"{reverse('stakeholders:ambassadors')}?month={example_text.month:%Y-%m}"
    if mine is None:
        messages.error(request, "Sign up as an ambassador first, then tick what you shared.")
        return redirect("stakeholders:ambassador_me")
    if request.POST.get("undo"):
        services.relay_undo(ambassador=mine, example_text=example_text)
        return redirect(back)
    try:
        services.relay_record(ambassador=mine, example_text=example_text)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Thanks for sharing “{example_text.title}”!")
    return redirect(back)
