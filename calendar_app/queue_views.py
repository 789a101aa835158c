"""The queue page: each own account's posting slots and next free one, and the best times to post (calendar_app/
queue.py, metrics/best_time.py). Adding and removing a slot takes the publishing calendar's edit right."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.decorators import area_required
from accounts.permissions import can
from metrics.best_time import MIN_POSTS, best_times
from metrics.platforms import Platform

from . import queue
from .forms import PostingSlotForm
from .models import PostingSlot


def _network(request) -> str:
    return request.GET.get("network", "") if request.GET.get("network") in Platform.values else ""


@area_required("publishing", "view")
def queue_page(request: HttpRequest) -> HttpResponse:
    page, queues = queue.account_queues(workspace=request.workspace, page=request.GET.get("page"))
    return render(
        request,
        "calendar_app/queue.html",
        {
            "page": page,
            "queues": queues,
            "weekdays": PostingSlot.Weekday.labels,
            "weekday_choices": PostingSlot.Weekday.choices,
            "network": _network(request),
            "networks": Platform.choices,
            "may_edit": can(request.membership.role, "publishing", "edit"),
            "queue_weeks": queue.QUEUE_WEEKS,
        },
    )


@area_required("publishing", "view")
def best_times_fragment(request: HttpRequest) -> HttpResponse:
    """The queue page's heatmap, which the page fetches once it shows (16 weeks of posts: the slow part)."""
    return render(
        request,
        "calendar_app/_best_times.html",
        {
            "best": best_times(workspace=request.workspace, platform=_network(request)),
            "min_posts": MIN_POSTS,
            "weekdays": PostingSlot.Weekday.labels,
        },
    )


def _back(request: HttpRequest) -> HttpResponse:
    """To the queue page the form was on."""
    page = request.POST.get("page", "")
    url = reverse("calendar_app:queue")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


@require_POST
@area_required("publishing", "edit")
def slot_add(request: HttpRequest) -> HttpResponse:
    """A slot added from its account's row; what is wrong with it comes back as a message over the page."""
    form = PostingSlotForm(request.POST, workspace=request.workspace)
    if not form.is_valid():
        problems = [e for errors in form.errors.values() for e in errors]
        messages.error(request, "The slot was not added: " + " ".join(problems))
        return _back(request)
    try:
        slot = queue.slot_add(
            workspace=request.workspace,
            profile=form.cleaned_data["profile"],
            weekday=form.cleaned_data["weekday"],
            at=form.cleaned_data["time"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{slot.profile} now posts on {slot.get_weekday_display()} at {slot.time:%H:%M}.")
    return _back(request)


@require_POST
@area_required("publishing", "edit")
def slot_remove(request: HttpRequest, pk: int) -> HttpResponse:
    if queue.slot_remove(workspace=request.workspace, pk=pk):
        messages.success(request, "Slot removed.")
    else:
        messages.info(request, "That slot was already removed.")
    return _back(request)
