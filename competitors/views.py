import csv
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.decorators import area_required
from accounts.permissions import can
from common.numbers import ONE_DECIMAL, as_percent
from common.spreadsheet import safe_cell
from metrics.platforms import PLATFORM_COLOURS, Platform

from . import selectors, services
from .evidence import evidence_href
from .forms import CompetitorForm, ReorderForm, SwotItemForm, SwotVersionForm
from .models import MAX_ACTIVE_COMPETITORS, Competitor, Quadrant, SwotItem, SwotSuggestion, SwotVersion
from .quarters import quarter_label, quarter_of

AREA = "competitors"


def _can_edit(request) -> bool:
    return can(request.membership.role, AREA, "edit")


def _get_competitor(request, pk: int) -> Competitor:
    return get_object_or_404(Competitor, pk=pk, workspace=request.workspace)


def _get_version(request, pk: int) -> SwotVersion:
    return get_object_or_404(SwotVersion, pk=pk, workspace=request.workspace)


def _get_item(request, pk: int) -> SwotItem:
    return get_object_or_404(SwotItem.objects.select_related("version"), pk=pk, version__workspace=request.workspace)


def _get_suggestion(request, pk: int) -> SwotSuggestion:
    return get_object_or_404(SwotSuggestion, pk=pk, workspace=request.workspace)


def _period(request) -> int:
    try:
        days = int(request.GET.get("days", selectors.DEFAULT_DAYS))
    except ValueError:
        days = selectors.DEFAULT_DAYS
    return days if days in dict(selectors.PERIOD_CHOICES) else selectors.DEFAULT_DAYS


def _chart_data(bench: selectors.Benchmark, scope: selectors.Scope) -> dict:
    entities = [{"key": e.key, "name": e.name, "colour": e.colour} for e in bench.entities]
    by_network = {
        "labels": [s.label for s in bench.networks],
        "posts_per_week": {e.key: [] for e in bench.entities},
        "engagement_rate": {e.key: [] for e in bench.entities},
    }
    for network in bench.networks:
        for entity, figures in network.rows:
            has = figures.has_data
            by_network["posts_per_week"][entity.key].append(round(figures.posts_per_week, ONE_DECIMAL) if has else None)
            by_network["engagement_rate"][entity.key].append(as_percent(figures.engagement_rate))
    # Rounded by the one rule (common/numbers.py), as the tables show them.
    share = {
        "posts": [as_percent(f.share_of_posts or 0, ONE_DECIMAL) for _, f in scope.rows],
        "interactions": [as_percent(f.share_of_interactions or 0, ONE_DECIMAL) for _, f in scope.rows],
    }
    return {
        "entities": entities,
        "by_network": by_network,
        "share": share,
        "followers": bench.follower_series.get(scope.platform or "all", {}),
    }


@area_required(AREA, "view")
def benchmark(request: HttpRequest) -> HttpResponse:
    """The brand against each competitor, per network and period."""
    days = _period(request)
    end = timezone.localdate()
    active, archived = selectors.followed_and_archived(workspace=request.workspace)
    bench = selectors.benchmark(
        workspace=request.workspace, start=end - timedelta(days=days - 1), end=end, competitors=active
    )
    network = request.GET.get("network") or None
    if network not in {s.platform for s in bench.networks}:
        network = None
    scope = bench.scope(network)
    context = {
        "bench": bench,
        "scope": scope,
        "network": network,
        "days": days,
        "period_choices": selectors.PERIOD_CHOICES,
        "competitors": active,
        # Each followed competitor's card, with its active profiles as the benchmark read them.
        "cards": [
            (entity.competitor, figures.profiles, entity.has_profiles)
            for entity, figures in bench.overall.rows
            if not entity.is_brand
        ],
        "archived": archived,
        "max_active": MAX_ACTIVE_COMPETITORS,
        "slots_left": MAX_ACTIVE_COMPETITORS - len(active),
        "can_edit": _can_edit(request),
        "chart_data": _chart_data(bench, scope),
        "platform_colours": {p.value: PLATFORM_COLOURS[p] for p in Platform},
        "best_posts": [(e, bench.best_posts.get(e.competitor.pk, [])) for e in bench.competitors],
        # The SWOT button's badge, shown to those who may act on a suggestion.
        "open_suggestions": selectors.open_suggestions(workspace=request.workspace).count()
        if _can_edit(request)
        else 0,
    }
    return render(request, "competitors/benchmark.html", context)


@area_required(AREA, "edit")
def competitor_new(request: HttpRequest) -> HttpResponse:
    active = selectors.active_competitors(workspace=request.workspace).count()
    form = CompetitorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            competitor = services.competitor_create(
                workspace=request.workspace,
                name=form.cleaned_data["name"],
                website=form.cleaned_data["website"],
                notes=form.cleaned_data["notes"],
                handles=form.handles(),
                by=request.user,
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"You now follow {competitor.name}. Figures appear after the next pull.")
            return redirect("competitors:benchmark")
    context = {
        "form": form,
        "active": active,
        "max_active": MAX_ACTIVE_COMPETITORS,
        "at_cap": active >= MAX_ACTIVE_COMPETITORS,
        "slots_left": max(MAX_ACTIVE_COMPETITORS - active, 0),
        "limit_message": services.LIMIT_MESSAGE,
    }
    return render(request, "competitors/competitor_form.html", context)


@area_required(AREA, "edit")
def competitor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    competitor = _get_competitor(request, pk)
    form = CompetitorForm(request.POST or None, competitor=competitor)
    if request.method == "POST" and form.is_valid():
        try:
            services.competitor_update(
                competitor=competitor,
                name=form.cleaned_data["name"],
                website=form.cleaned_data["website"],
                notes=form.cleaned_data["notes"],
                handles=form.handles(),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"{competitor.name} saved.")
            return redirect("competitors:benchmark")
    return render(request, "competitors/competitor_form.html", {"form": form, "competitor": competitor})


@require_POST
@area_required(AREA, "edit")
def competitor_archive(request: HttpRequest, pk: int) -> HttpResponse:
    competitor = _get_competitor(request, pk)
    services.competitor_archive(competitor=competitor)
    messages.success(request, f"{competitor.name} archived: its history is kept and a slot is free.")
    return redirect("competitors:benchmark")


@require_POST
@area_required(AREA, "edit")
def competitor_restore(request: HttpRequest, pk: int) -> HttpResponse:
    competitor = _get_competitor(request, pk)
    try:
        services.competitor_restore(competitor=competitor)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You follow {competitor.name} again.")
    return redirect("competitors:benchmark")


# SWOT


@area_required(AREA, "view")
def swot(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The SWOT: the current version (editable) or an older one (as it was)."""
    versions = list(selectors.swot_versions(workspace=request.workspace))
    current = versions[0] if versions else None
    version = current if pk is None else _get_version(request, pk)
    is_current = version is not None and current is not None and version.pk == current.pk
    # With no version yet, the first point added starts this quarter's version.
    editable = (is_current or version is None) and _can_edit(request)
    context = {
        "version": version,
        "versions": versions,
        "is_current": is_current,
        "editable": editable,
        "can_edit": _can_edit(request),
        "quadrants": [(q, version_items) for q, version_items in _quadrants(version)],
        "suggestions": list(selectors.open_suggestions(workspace=request.workspace)) if _can_edit(request) else [],
        "item_form": SwotItemForm(),
        "version_form": SwotVersionForm(),
        "quarter_label": quarter_label(quarter_of(timezone.localdate())),
    }
    return render(request, "competitors/swot.html", context)


def _quadrants(version):
    items = selectors.swot_quadrants(version)
    return [(Quadrant(q), items[q]) for q in ("S", "W", "O", "T")]


@require_POST
@area_required(AREA, "edit")
def swot_version_new(request: HttpRequest) -> HttpResponse:
    form = SwotVersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose which kind of version to start.")
        return redirect("competitors:swot")
    version = services.swot_version_create(
        workspace=request.workspace,
        by=request.user,
        quarterly=form.cleaned_data["kind"] == "quarter",
        note=form.cleaned_data["note"],
    )
    messages.success(request, f"Version “{version.label}” is now the current SWOT; older versions are kept.")
    return redirect("competitors:swot")


@require_POST
@area_required(AREA, "edit")
def swot_item_add(request: HttpRequest) -> HttpResponse:
    version = services.swot_current_version(workspace=request.workspace)
    if version is None:
        version = services.swot_version_create(workspace=request.workspace, by=request.user, quarterly=True)
    form = SwotItemForm(request.POST)
    if form.is_valid():
        services.swot_item_add(version=version, author=request.user, **form.cleaned_data)
        messages.success(request, "Point added.")
        return redirect("competitors:swot")
    return render(request, "competitors/swot_item_form.html", {"form": form, "version": version}, status=400)


@area_required(AREA, "edit")
def swot_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_item(request, pk)
    form = SwotItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.swot_item_update(item=item, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Point saved.")
            return redirect("competitors:swot")
    return render(request, "competitors/swot_item_form.html", {"form": form, "item": item, "version": item.version})


@require_POST
@area_required(AREA, "edit")
def swot_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_item(request, pk)
    try:
        services.swot_item_delete(item=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Point removed from the current version.")
    return redirect("competitors:swot")


@require_POST
@area_required(AREA, "edit")
def swot_reorder(request: HttpRequest, pk: int) -> HttpResponse:
    """Drag and drop posts the new order of one quadrant (ids, comma-separated)."""
    version = _get_version(request, pk)
    form = ReorderForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"ok": False, "errors": form.errors}, status=400)
    try:
        services.swot_items_reorder(
            version=version, quadrant=form.cleaned_data["quadrant"], item_ids=form.cleaned_data["items"]
        )
    except ValidationError as error:
        return JsonResponse({"ok": False, "errors": error.messages}, status=400)
    return JsonResponse({"ok": True})


@area_required(AREA, "view")
def swot_export(request: HttpRequest, pk: int) -> HttpResponse:
    version = _get_version(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"swot-{request.workspace.slug}-{version.created_at:%Y%m%d}-{version.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(["version", "quadrant", "position", "point", "evidence", "author", "date"])
    for quadrant, items in _quadrants(version):
        for position, item in enumerate(items, start=1):
            href = evidence_href(item.evidence_url)
            evidence = (
                request.build_absolute_uri(href) if href.startswith("/") else href or safe_cell(item.evidence_url)
            )
            writer.writerow(
                [
                    version.label,
                    quadrant.label,
                    position,
                    safe_cell(item.text),
                    evidence,
                    item.author.get_full_name() if item.author else "",
                    f"{item.created_at:%Y-%m-%d}",
                ]
            )
    return response


@area_required(AREA, "view")
def swot_compare(request: HttpRequest) -> HttpResponse:
    versions = list(selectors.swot_versions(workspace=request.workspace))
    if len(versions) < 2:
        messages.info(request, "Comparing needs two versions: start a new version first.")
        return redirect("competitors:swot")
    by_pk = {str(v.pk): v for v in versions}
    newer = by_pk.get(request.GET.get("b"), versions[0])
    older = by_pk.get(request.GET.get("a"), versions[1] if newer.pk == versions[0].pk else versions[0])
    changes = selectors.swot_compare(older, newer)
    context = {
        "versions": versions,
        "older": older,
        "newer": newer,
        "changes": [(Quadrant(q), changes[q]) for q in ("S", "W", "O", "T")],
    }
    return render(request, "competitors/swot_compare.html", context)


@require_POST
@area_required(AREA, "edit")
def suggestion_accept(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = _get_suggestion(request, pk)
    try:
        services.swot_suggestion_accept(suggestion=suggestion, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Added to {suggestion.get_quadrant_display().lower()}.")
    return redirect("competitors:swot")


@require_POST
@area_required(AREA, "edit")
def suggestion_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = _get_suggestion(request, pk)
    try:
        services.swot_suggestion_dismiss(suggestion=suggestion, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Suggestion dismissed.")
    return redirect("competitors:swot")


@require_POST
@area_required(AREA, "edit")
def suggestions_refresh(request: HttpRequest) -> HttpResponse:
    new = services.swot_suggestions_refresh(workspace=request.workspace)
    if new:
        messages.success(request, f"{len(new)} new suggestion{'s' if len(new) != 1 else ''} from the benchmark.")
    else:
        messages.info(request, "No new suggestion: the benchmark shows nothing that was not suggested already.")
    return redirect("competitors:swot")
