"""The queue page: each own account's posting slots and next free one, and the best times to post (calendar_app/
queue.py, metrics/best_time.py). Adding and removing a slot takes the publishing calendar's edit right."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.decorators import area_required
from accounts.permissions import can
from metrics.best_time import MIN_POSTS, best_times
from metrics.platforms import Platform

from . import queue
from .forms import PostingSlotForm
from .models import PostingSlot


def _page(request: HttpRequest, form: PostingSlotForm | None, *, status: int = 200) -> HttpResponse:
    network = request.GET.get("network", "") if request.GET.get("network") in Platform.values else ""
    may_edit = can(request.membership.role, "publishing", "edit")
    return render(
        request,
        "calendar_app/queue.html",
        {
            "queues": queue.account_queues(workspace=request.workspace),
            "weekdays": PostingSlot.Weekday.labels,
            "best": best_times(workspace=request.workspace, platform=network),
            "min_posts": MIN_POSTS,
            "network": network,
            "networks": Platform.choices,
            "form": (form or PostingSlotForm(workspace=request.workspace)) if may_edit else None,
            "may_edit": may_edit,
            "queue_weeks": queue.QUEUE_WEEKS,
        },
        status=status,
    )


@area_required("publishing", "view")
def queue_page(request: HttpRequest) -> HttpResponse:
    return _page(request, None)


@require_POST
@area_required("publishing", "edit")
def slot_add(request: HttpRequest) -> HttpResponse:
    form = PostingSlotForm(request.POST, workspace=request.workspace)
    if form.is_valid():
        try:
            slot = queue.slot_add(
                workspace=request.workspace,
                profile=form.cleaned_data["profile"],
                weekday=form.cleaned_data["weekday"],
                at=form.cleaned_data["time"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{slot.profile} now posts on {slot.get_weekday_display()} at {slot.time:%H:%M}.")
            return redirect("calendar_app:queue")
    return _page(request, form, status=400)


@require_POST
@area_required("publishing", "edit")
def slot_remove(request: HttpRequest, pk: int) -> HttpResponse:
    if queue.slot_remove(workspace=request.workspace, pk=pk):
        messages.success(request, "Slot removed.")
    else:
        messages.info(request, "That slot was already removed.")
    return redirect("calendar_app:queue")
