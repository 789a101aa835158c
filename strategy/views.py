from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.decorators import area_required
from accounts.permissions import can
from accounts.roles import Role

from . import selectors, services
from .forms import ITEM_KINDS, TEXT_SECTIONS, CharterForm, text_section_form
from .models import AudienceSegment, BudgetLine, CharterVersion, NetworkPlan, Strategy, StrategyRevision, lines


@area_required("strategy", "view")
def home(request: HttpRequest) -> HttpResponse:
    ws = request.workspace
    strategy = Strategy.objects.filter(workspace=ws).first() or Strategy(workspace=ws)
    budget = list(BudgetLine.objects.filter(workspace=ws))
    context = {
        "strategy": strategy,
        "tone_words": lines(strategy.tone_words),
        "avoid_words": lines(strategy.words_to_avoid),
        "readings": selectors.objectives_progress(workspace=ws, today=timezone.localdate()),
        "segments": AudienceSegment.objects.filter(workspace=ws),
        "networks": NetworkPlan.objects.filter(workspace=ws),
        "budget": budget,
        "budget_year": sum(b.yearly_amount for b in budget),
        "charter": selectors.current_charter(workspace=ws),
        "last_revision": StrategyRevision.objects.filter(workspace=ws).select_related("created_by").first(),
        "can_edit": can(request.membership.role, "strategy", "edit"),
    }
    return render(request, "strategy/home.html", context)


@area_required("strategy", "edit")
def edit_section(request: HttpRequest, section: str) -> HttpResponse:
    if section not in TEXT_SECTIONS:
        raise Http404("No such part of the strategy")
    title, fields = TEXT_SECTIONS[section]
    strategy = Strategy.objects.filter(workspace=request.workspace).first() or Strategy(workspace=request.workspace)
    form = text_section_form(section)(request.POST or None, instance=strategy)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in fields}
        services.strategy_update(workspace=request.workspace, by=request.user, summary=f"{title} changed", **values)
        messages.success(request, f"{title} saved; a new revision was recorded.")
        return redirect("strategy:home")
    return render(request, "strategy/form.html", {"form": form, "title": title})


def _item_for_member(request, kind: str, pk: int | None):
    if kind not in ITEM_KINDS:
        raise Http404("No such part of the strategy")
    model, form_class, label = ITEM_KINDS[kind]
    item = (
        model(workspace=request.workspace)
        if pk is None
        else get_object_or_404(model, pk=pk, workspace=request.workspace)
    )
    return item, form_class, label


@area_required("strategy", "edit")
def item_edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    item, form_class, label = _item_for_member(request, kind, pk)
    form = form_class(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.strategy_item_save(item=form.save(commit=False), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{label.capitalize()} saved; a new revision was recorded.")
            return redirect("strategy:home")
    title = f"{'New' if pk is None else 'Edit'} {label}"
    return render(
        request, "strategy/form.html", {"form": form, "title": title, "item": item if pk else None, "kind": kind}
    )


@require_POST
@area_required("strategy", "edit")
def item_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    item, _, label = _item_for_member(request, kind, pk)
    services.strategy_item_delete(item=item, by=request.user)
    messages.success(request, f"{label.capitalize()} removed; a new revision was recorded.")
    return redirect("strategy:home")


@area_required("strategy", "charter")
def charter(request: HttpRequest) -> HttpResponse:
    ws = request.workspace
    role = request.membership.role
    current = selectors.current_charter(workspace=ws)
    approved = selectors.approved_charter(workspace=ws)
    # Employees read the approved version; the team and management also see a draft waiting for approval.
    shown = approved if role == Role.CONTRIBUTOR else (current or approved)
    context = {
        "charter": shown,
        "pending": current if current and not current.is_approved else None,
        "paragraphs": [p.strip() for p in (shown.body if shown else "").split("\n\n") if p.strip()],
        "can_edit": can(role, "strategy", "edit"),
        "can_approve": can(role, "strategy", "approve_charter"),
        "versions": CharterVersion.objects.filter(workspace=ws).select_related("approved_by")
        if role != Role.CONTRIBUTOR
        else [],
    }
    return render(request, "strategy/charter.html", context)


@area_required("strategy", "edit")
def charter_edit(request: HttpRequest) -> HttpResponse:
    current = selectors.current_charter(workspace=request.workspace)
    form = CharterForm(request.POST or None, initial={"body": current.body if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.charter_publish(
                workspace=request.workspace, by=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error("body", error.messages[0])
        else:
            messages.success(
                request, f"Charter version {version.version} saved; it now waits for management's approval."
            )
            return redirect("strategy:charter")
    return render(request, "strategy/form.html", {"form": form, "title": "Write a new charter version"})


@require_POST
@area_required("strategy", "approve_charter")
def charter_approve(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(CharterVersion, pk=pk, workspace=request.workspace)
    try:
        services.charter_approve(charter=version, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"You approved version {version.version} of the charter.")
    return redirect("strategy:charter")


@area_required("strategy", "view")
def history(request: HttpRequest) -> HttpResponse:
    revisions = (
        StrategyRevision.objects.filter(workspace=request.workspace).select_related("created_by").defer("snapshot")
    )
    return render(request, "strategy/history.html", {"revisions": revisions[:200]})


@area_required("strategy", "view")
def compare(request: HttpRequest) -> HttpResponse:
    try:
        numbers = sorted({int(request.GET["a"]), int(request.GET["b"])})
    except (KeyError, ValueError):
        messages.error(request, "Pick two revisions to compare.")
        return redirect("strategy:history")
    revisions = {r.number: r for r in StrategyRevision.objects.filter(workspace=request.workspace, number__in=numbers)}
    if len(revisions) != len(numbers) or len(numbers) != 2:
        raise Http404("No such revisions")
    older, newer = revisions[numbers[0]], revisions[numbers[1]]
    changes = selectors.revision_diff(older=older, newer=newer)
    return render(request, "strategy/compare.html", {"older": older, "newer": newer, "changes": changes})
