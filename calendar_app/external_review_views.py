"""The review link's page, open to its holder without an account (calendar_app/external_review.py), and the team's
share and withdraw actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.decorators import area_required
from common.redirects import safe_next

from . import external_review
from .models import Publication
from .services import refusal_text


@login_not_required
def review_page(request: HttpRequest, token: str) -> HttpResponse:
    """The link's posts, each with its answer form; a link expired or withdrawn says so (410), an unknown one 404s."""
    review, state = external_review.review_for_token(token)
    if review is None:
        raise Http404
    if state != "valid":
        return render(request, "calendar_app/review_gone.html", {"review": review, "state": state}, status=410)
    if request.method == "POST":
        try:
            told = external_review.review_answer(
                review=review,
                publication_id=int(request.POST.get("publication", "0") or 0),
                name=request.POST.get("name", ""),
                decision=request.POST.get("decision", ""),
                comment=request.POST.get("comment", ""),
            )
        except ValidationError as error:
            messages.error(request, refusal_text(error))
        else:
            messages.success(request, told)
            request.session["reviewer_name"] = request.POST.get("name", "").strip()[:120]
        return redirect("calendar_app:review_page", token=token)
    external_review.review_opened(review)
    context = {
        "review": review,
        "publications": external_review.review_publications(review),
        "decisions": external_review.DECISIONS.items(),
        "name": request.session.get("reviewer_name") or review.reviewer,
        "zone": review.workspace.time_zone,
    }
    return render(request, "calendar_app/review.html", context)


@require_POST
@area_required("publishing", "edit")
def review_share(request: HttpRequest, pk: int) -> HttpResponse:
    if not Publication.objects.filter(workspace=request.workspace, pk=pk).exists():
        raise Http404
    try:
        days = int(request.POST.get("days") or external_review.REVIEW_DAYS)
        review = external_review.review_share(
            workspace=request.workspace, publication_ids=[pk], reviewer=request.POST.get("reviewer", ""), days=days,
            by=request.user,
        )  # fmt: skip
    except (ValueError, ValidationError) as error:
        messages.error(
            request, refusal_text(error) if isinstance(error, ValidationError) else "Give the days as a number."
        )
    else:
        url = request.build_absolute_uri(reverse("calendar_app:review_page", args=[review.token]))
        messages.success(request, f"Send {review.reviewer} this link (valid until {review.expires_at:%d %b %Y}): {url}")
    return redirect(f"{reverse('calendar_app:publication_detail', args=[pk])}#reviews")


@require_POST
@area_required("publishing", "edit")
def review_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    if external_review.review_revoke(workspace=request.workspace, pk=pk):
        messages.success(request, "The link is withdrawn: it opens nothing any more.")
    else:
        messages.info(request, "That link was withdrawn already, or has expired.")
    return redirect(safe_next(request, reverse("calendar_app:publishing")))
