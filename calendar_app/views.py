from datetime import date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.decorators import area_required
from accounts.permissions import can
from common.redirects import safe_next
from common.responses import FastJsonResponse
from common.spreadsheet import SafeWriter
from media_library.fields import save_library_media
from media_library.models import MediaFile
from metrics.platforms import Platform, account_name, label_of

from . import (
    bulk,
    csv_import,
    external_review,
    follow_ups,
    link_cards,
    publisher,
    queue,
    selectors,
    services,
    steps,
    tags,
)
from . import composer as composer_service
from .feeds import build_calendar
from .filters import PublicationFilters
from .forms import (
    NETWORK_STEP_CHOICES,
    ApprovalSettingsForm,
    ApprovalStepsForm,
    CommentForm,
    ComposerForm,
    ContentItemForm,
    CrisisForm,
    IdeaForm,
    MarkPublishedForm,
    MoveForm,
    PublicationCommentForm,
    PublicationForm,
    PublicationImportForm,
    RequestChangesForm,
    RescheduleForm,
    TriageForm,
    item_label,
)
from .frequency import target_posts_per_week, weeks_below_target
from .media_rules import RULES as MEDIA_RULES
from .media_rules import media_problems
from .meeting import objectives_recalled, weekly_agenda
from .models import CalendarFeed, ContentItem, CrisisPause, Idea, Publication, PublicationTemplate
from .voice import COMMENT_LIMITS, COPY_LIMITS, PATTERNS, counting, words_to_avoid


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# ---- ideas ------------------------------------------------------------------------------------------------------


def _get_idea_for_member(request, pk) -> Idea:
    idea = get_object_or_404(Idea.objects.select_related("author", "content_item"), pk=pk, workspace=request.workspace)
    if not can(request.membership.role, "ideas", "view") and idea.author_id != request.user.pk:
        raise Http404
    return idea


@area_required("ideas", "submit")
def idea_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in Idea.Status.values:
        status = ""
    ideas = selectors.ideas_for(membership=request.membership, status=status)
    page = Paginator(ideas, selectors.IDEAS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "calendar_app/idea_list.html",
        {
            "ideas": page.object_list,
            "page": page,
            "status": status,
            "statuses": Idea.Status.choices,
            "team_view": can(request.membership.role, "ideas", "view"),
        },
    )


@area_required("ideas", "submit")
def idea_new(request: HttpRequest) -> HttpResponse:
    form = IdeaForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.idea_submit(workspace=request.workspace, author=request.user, **form.cleaned_data)
        messages.success(request, "Thank you: your idea is in. You can follow what becomes of it here.")
        return redirect("calendar_app:idea_list")
    return render(request, "calendar_app/idea_form.html", {"form": form})


@area_required("ideas", "submit")
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _get_idea_for_member(request, pk)
    role = request.membership.role
    return render(
        request,
        "calendar_app/idea_detail.html",
        {
            "idea": idea,
            # The submitter reads the team's comments on their idea too (the lead's word on its triage is one).
            "comments": selectors.idea_comments(idea=idea)
            if can(role, "ideas", "view") or idea.author_id == request.user.pk
            else [],
            "vote_count": idea.votes.count(),
            "i_voted": idea.votes.filter(voter=request.user).exists(),
            "can_triage": can(role, "ideas", "triage"),
            "can_comment": can(role, "ideas", "comment"),
            "triage_form": TriageForm(initial={"due_date": timezone.localdate() + timedelta(days=14)}),
            "comment_form": CommentForm(),
        },
    )


@require_POST
@area_required("ideas", "triage")
def idea_triage(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _get_idea_for_member(request, pk)
    form = TriageForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("calendar_app:idea_detail", pk=idea.pk)
    decision = form.cleaned_data["decision"]
    if decision == "accept":
        item = services.idea_accept(
            idea=idea, by=request.user, due_date=form.cleaned_data["due_date"], comment=form.cleaned_data["reason"]
        )
        messages.success(request, f"Accepted: “{item.title}” is on the editorial calendar.")
    elif decision == "park":
        services.idea_park(idea=idea, by=request.user, comment=form.cleaned_data["reason"])
        messages.info(request, "Parked for later.")
    else:
        services.idea_decline(idea=idea, by=request.user, reason=form.cleaned_data["reason"])
        messages.info(request, "Declined; the submitter sees your reason.")
    return redirect("calendar_app:idea_detail", pk=idea.pk)


@require_POST
@area_required("ideas", "comment")
def idea_comment(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _get_idea_for_member(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.idea_comment(idea=idea, author=request.user, body=form.cleaned_data["body"])
    else:
        messages.error(request, "Write a comment first.")
    return redirect("calendar_app:idea_detail", pk=idea.pk)


@require_POST
@area_required("ideas", "vote")
def idea_vote(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _get_idea_for_member(request, pk)
    services.idea_vote_toggle(idea=idea, voter=request.user)
    return redirect(safe_next(request, reverse("calendar_app:idea_list")))


# ---- editorial --------------------------------------------------------------------------------------------------


def _month_start(request) -> date:
    try:
        return date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        return timezone.localdate().replace(day=1)


@area_required("editorial", "view")
def editorial(request: HttpRequest) -> HttpResponse:
    stage = request.GET.get("stage", "") if request.GET.get("stage") in ContentItem.Stage.values else ""
    owner = request.GET.get("owner", "")
    owner = int(owner) if owner.isdigit() else None
    start = timezone.localdate() - timedelta(days=timezone.localdate().day - 1)
    page = _page_number(request)
    items, has_more = selectors.content_item_rows(
        workspace=request.workspace, stage=stage, owner=owner, start=start - timedelta(days=31), page=page
    )
    return render(
        request,
        "calendar_app/editorial.html",
        {
            "items": items,
            "page": page,
            "has_more": has_more,
            "stage": stage,
            "owner": owner,
            "stages": ContentItem.Stage.choices,
            "owners": selectors.owner_choices(workspace=request.workspace, selected=owner),
            "can_edit": can(request.membership.role, "editorial", "edit"),
            "feed": _my_feed(request, CalendarFeed.Kind.EDITORIAL),
        },
    )


def _page_number(request) -> int:
    """The list's page (1 when absent or absurd); the lists show one page of rows, the calendar shows them all."""
    page = request.GET.get("page", "")
    return min(max(int(page), 1), 10_000) if page.isdigit() else 1


def _range_from_request(request):
    try:
        start = date.fromisoformat(request.GET["start"][:10])
        end = date.fromisoformat(request.GET["end"][:10])
    except (KeyError, ValueError):
        start = timezone.localdate().replace(day=1) - timedelta(days=7)
        end = start + timedelta(days=50)
    if (end - start).days > 400:
        end = start + timedelta(days=400)
    return start, end


@area_required("editorial", "view")
def editorial_events(request: HttpRequest) -> HttpResponse:
    start, end = _range_from_request(request)
    stage = request.GET.get("stage", "") if request.GET.get("stage") in ContentItem.Stage.values else ""
    rows = selectors.content_item_feed(workspace=request.workspace, stage=stage, start=start, end=end)
    return FastJsonResponse(selectors.content_item_events(rows))


@area_required("editorial", "edit")
def content_item_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    item = get_object_or_404(ContentItem, pk=pk, workspace=request.workspace) if pk else None
    form = ContentItemForm(request.POST or None, instance=item, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        saved = services.content_item_save(item=form.save(commit=False), contributors=form.cleaned_data["contributors"])
        messages.success(request, f"“{saved.title}” saved.")
        return redirect("calendar_app:editorial")
    return render(
        request,
        "calendar_app/content_item_form.html",
        {"form": form, "item": item, "publications": item.publications.select_related("profile") if item else []},
    )


@require_POST
@area_required("editorial", "edit")
def content_item_move(request: HttpRequest, pk: int) -> JsonResponse:
    item = get_object_or_404(ContentItem, pk=pk, workspace=request.workspace)
    form = MoveForm(request.POST)
    try:
        new_date = date.fromisoformat(form.data.get("start", "")[:10])
    except ValueError:
        return JsonResponse({"ok": False, "error": "Give the new date as YYYY-MM-DD."}, status=400)
    services.content_item_move(item=item, due_date=new_date)
    return JsonResponse({"ok": True, "due_date": new_date.isoformat()})


# ---- publishing -------------------------------------------------------------------------------------------------


@area_required("publishing", "view")
def publishing(request: HttpRequest) -> HttpResponse:
    filters = PublicationFilters.from_query(request.GET)
    today = timezone.localdate()
    start, _ = selectors.local_range(request.workspace, today - timedelta(days=7), today)
    page = _page_number(request)
    rows, has_more = selectors.publication_rows(workspace=request.workspace, filters=filters, start=start, page=page)
    return render(
        request,
        "calendar_app/publishing.html",
        {
            "publications": rows,
            "page": page,
            "has_more": has_more,
            "filters": filters,
            "networks": Platform.choices,
            "accounts": selectors.account_choices(workspace=request.workspace),
            "statuses": Publication.Status.choices,
            "owners": selectors.team_choices(workspace=request.workspace, selected=filters.owner),
            "tags": tags.choices(workspace=request.workspace, selected=filters.tag),
            "legend": selectors.publication_legend(),
            "bulk_actions": [*bulk.ACTIONS.items(), ("share", "Share with a reviewer (a link)")],
            "below_target": weeks_below_target(workspace=request.workspace, start=today, weeks=6),
            "can_edit": can(request.membership.role, "publishing", "edit"),
            # The calendar opens on that day and view (the meeting's links, a kept or sent address).
            "initial_day": _day_from_request(request),
            "initial_view": request.GET.get("view") if request.GET.get("view") in CALENDAR_VIEWS else "",
            "can_toggle_crisis": can(request.membership.role, "crisis", "toggle"),
            "can_settings": can(request.membership.role, "publishing", "approve"),
            "feed": _my_feed(request, CalendarFeed.Kind.PUBLISHING),
            "decisions": services.with_approval_refusals(
                selectors.publications_awaiting_decision(workspace=request.workspace), membership=request.membership
            ),
            "may_approve": services.may_approve(membership=request.membership),
        },
    )


@area_required("publishing", "view")
def publishing_events(request: HttpRequest) -> HttpResponse:
    start, end = _range_from_request(request)
    begin, finish = selectors.local_range(request.workspace, start, end)
    filters = PublicationFilters.from_query(request.GET)
    rows = list(selectors.publication_feed(workspace=request.workspace, filters=filters, start=begin, end=finish))
    at_step = steps.step_positions(request.workspace.pk, [(row[0], row[3], row[4]) for row in rows])
    return FastJsonResponse(selectors.publication_events(rows, at_step))


def _get_publication_for_member(request, pk) -> Publication:
    try:
        return selectors.publication_detail(workspace=request.workspace, pk=pk)
    except Publication.DoesNotExist:
        raise Http404 from None


DONE_STATUSES = frozenset({Publication.Status.PUBLISHED, Publication.Status.SENDING, Publication.Status.UNKNOWN})
SENT_BACK_ACTIONS = frozenset({"changes_requested", "client_changes_requested", "review_expired"})


@area_required("publishing", "view")
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _get_publication_for_member(request, pk)
    services.with_approval_refusals([publication], membership=request.membership)

    in_review = publication.status == Publication.Status.IN_REVIEW
    progress = steps.progress_of(publication, in_review=in_review)
    may_approve = services.may_approve(membership=request.membership)
    events = list(publication.events.all())
    # Why a draft came back: the reviewer's reason, shown above all (its author is told it too).
    sent_back = events[-1] if publication.status == Publication.Status.DRAFT and events else None
    if sent_back is not None and sent_back.action not in SENT_BACK_ACTIONS:
        sent_back = None

    first_comment, thread = selectors.follow_ups_of(publication)
    return render(
        request,
        "calendar_app/publication_detail.html",
        {
            "publication": publication,
            "first_comment": first_comment,
            "thread": thread,
            # What would keep it from review: nothing to say once it is out, or on its way.
            "problems": [] if publication.status in DONE_STATUSES else services.review_problems(publication),
            "can_edit": can(request.membership.role, "publishing", "edit"),
            "may_approve": may_approve,
            # With steps, the roles of the step it has reached answer it (approve or send back), no one else.
            "may_request_changes": may_approve
            and (progress is None or request.membership.role in progress.current.roles),
            "progress": progress if progress and (in_review or any(line.approval for line in progress.lines)) else None,
            "sent_back": sent_back,
            "has_steps": progress is not None,
            "changes_form": RequestChangesForm(),
            "published_form": MarkPublishedForm(),
            "reschedule_form": RescheduleForm(),
            "comment_form": PublicationCommentForm(),
            "can_comment": can(request.membership.role, "publishing", "comment"),
            "now": timezone.now(),
        },
    )


@area_required("publishing", "edit")
def publication_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = _get_publication_for_member(request, pk) if pk else None
    initial = {}
    templates = [] if instance else list(PublicationTemplate.objects.filter(workspace=request.workspace))
    if instance is None and request.GET.get("content_item", "").isdigit():
        initial["content_item"] = int(request.GET["content_item"])
    chosen = next((t for t in templates if str(t.pk) == request.GET.get("template")), None)
    if chosen is not None:  # "Start from a template": its copy, first comment, media, account and tags
        initial |= {"copy": chosen.copy, "first_comment": chosen.first_comment, "thread": chosen.thread,
                    "media": "\n".join(chosen.media_urls), "profile": chosen.profile_id}  # fmt: skip
        initial["tags"] = ", ".join(tag.name for tag in chosen.tags.all())
    form = PublicationForm(request.POST or None, instance=instance, workspace=request.workspace, initial=initial)
    if request.method == "POST" and form.is_valid():
        save = queue.publication_save_queued if form.cleaned_data.get("add_to_queue") else services.publication_save
        try:
            with transaction.atomic():  # the post and its media library files, or neither
                publication = save(publication=form.instance, by=request.user)
                save_library_media(form, publication=publication, by=request.user, new=instance is None)
                tags.publication_tags_set(publication=publication, names=form.cleaned_data["tags"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            for warning in form.warnings:
                messages.warning(request, warning)
            messages.success(request, "Publication saved.")
            return redirect("calendar_app:publication_detail", pk=publication.pk)
    context = {"form": form, "publication": instance, "templates": templates, "template": chosen}
    return render(request, "calendar_app/publication_form.html", context)


@area_required("publishing", "edit")
def composer(request: HttpRequest) -> HttpResponse:
    """One post for several accounts, previewed per network while it is typed (calendar_app/composer.py)."""
    form = ComposerForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        drafts = [
            composer_service.Draft(
                a,
                form.variant(a) or data["copy"],
                form.own_time(a),
                form.media_of(a),
                form.first_comment_of(a),
                form.thread_of(a),
            )
            for a in data["accounts"]
        ]
        try:
            composer_service.compose(
                workspace=request.workspace, content_item=data["content_item"], drafts=drafts, shared_copy=data["copy"],
                scheduled_at=data["scheduled_at"], queue=data["add_to_queue"], media=data["media"], by=request.user,
                library_media=data["library_media"], tags=data["tags"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"{len(drafts)} drafts written, one per account: send them for review from the list."
            )
            return redirect(f"{reverse('calendar_app:publishing')}?status=draft")
    # How each network counts (limit, link weight, graphemes, a mention's domain): voice.counting, the one rule.
    accounts = [
        {"id": a.pk, "name": account_name(a.platform, a.handle), "platform": a.platform, "handle": a.handle,
         "network": label_of(a.platform), **counting(a.platform), "links_clickable": a.platform != Platform.INSTAGRAM,
         "comment_limit": COMMENT_LIMITS.get(a.platform) or COPY_LIMITS.get(a.platform)}
        for a in form.accounts
    ]  # fmt: skip
    ticked = {int(pk) for pk in form["accounts"].value() or [] if str(pk).isdigit()}
    # Each ticked account's own text, time and media are drawn by composer.js from a <template> (a row per ticked
    # account, not 300 rows of fields on every page); what was given comes back through `given`.
    given = {}
    for account in form.accounts:
        if account.pk in ticked:
            given[account.pk] = form.typed(account) | {"errors": form.account_errors.get(account.pk, [])}
    context = {
        "form": form,
        "accounts": [{"pk": str(a["id"]), "name": a["name"], "ticked": a["id"] in ticked} for a in accounts],
        "preview": {
            "accounts": accounts,
            "avoid": words_to_avoid(workspace=request.workspace),
            "patterns": PATTERNS,
            "link_card_url": reverse("calendar_app:link_card"),
            "media_check_url": reverse("calendar_app:media_check"),
            "media": form.library_preview,
            "frames": {platform: rules.frame for platform, rules in MEDIA_RULES.items()},
            "given": given,
        },
    }
    return render(request, "calendar_app/composer.html", context, status=400 if form.errors else 200)


SEARCH_QUERY_MAX = 80  # characters of a type-ahead's query that are searched


@never_cache
@area_required("publishing", "edit")
def content_item_search(request: HttpRequest) -> JsonResponse:
    """The workspace's content items whose title holds `q`, the nearest due first, for the type-ahead of a post's
    content item (common.widgets.SearchSelect); `more` says more match than are given."""
    q = request.GET.get("q", "").strip()[:SEARCH_QUERY_MAX]
    rows, more = selectors.content_item_choices(workspace=request.workspace, q=q)
    return JsonResponse(
        {"results": [{"id": pk, "label": item_label(title, due)} for pk, title, due in rows], "more": more}
    )


@never_cache
@area_required("publishing", "edit")
def media_check(request: HttpRequest) -> JsonResponse:
    """What each ticked network would refuse of the chosen library files and typed addresses (media_rules, the one
    place of the rules), for the composer's preview: {network: [problems]}."""
    ids = [int(v) for v in request.GET.getlist("file") if v.isdigit() and len(v) < 12][:50]
    networks = [n for n in request.GET.getlist("network") if n in MEDIA_RULES][:10]
    raw = request.GET.get("addresses", "")
    addresses = min(int(raw), 50) if raw.isdigit() and len(raw) < 4 else 0
    files = {f.pk: f for f in MediaFile.objects.filter(workspace=request.workspace, pk__in=ids)}
    chosen = [files[pk] for pk in ids if pk in files]
    return JsonResponse({n: media_problems(n, chosen, addresses=addresses) for n in networks})


@never_cache
@area_required("publishing", "edit")
def link_card(request: HttpRequest) -> JsonResponse:
    """The card a link in the composer's text shows on the networks (calendar_app/link_cards.py), for the preview."""
    url = request.GET.get("url", "").strip()
    if not url or len(url) > 2000:
        return JsonResponse({"ok": False, "error": "Give one http or https link."}, status=400)
    card = link_cards.link_card(workspace=request.workspace, url=url)
    if card.error:
        return JsonResponse({"ok": False, "url": url, "error": card.error})
    domain = urlsplit(card.final_url or url).hostname or ""
    fields = {"title": card.title, "description": card.description, "site_name": card.site_name}
    return JsonResponse({"ok": True, "url": url, "domain": domain.removeprefix("www."), **fields})


@require_POST
@area_required("publishing", "edit")
def template_save(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _get_publication_for_member(request, pk)
    try:
        template = bulk.template_save(publication=publication, name=request.POST.get("name", ""), by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, f"Saved as the template “{template}”: “New publication” can start from it.")
    return redirect("calendar_app:publication_detail", pk=pk)


@require_POST
@area_required("publishing", "edit")
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    deleted, _ = PublicationTemplate.objects.filter(workspace=request.workspace, pk=pk).delete()
    messages.success(request, "Template deleted.") if deleted else messages.info(request, "That template was gone.")
    return redirect("calendar_app:publication_new")


def _approver_only(request, publication):
    """Sending or rescheduling a post held after a pause lets it out without another review: an approval, under the
    same rules (the role, four eyes). Asked first here; the publisher asks again under the row's lock."""
    services.approval_check(publication=publication, membership=request.membership)


def _submit(request, publication):
    services.publication_submit(publication=publication, by=request.user)
    return "Sent for review."


def _approve(request, publication):
    seen = request.POST.get("step", "")
    services.publication_approve(
        publication=publication,
        membership=request.membership,
        comment=request.POST.get("comment", ""),
        step=int(seen) if seen.isdigit() else None,
    )
    if publication.status == Publication.Status.IN_REVIEW:
        progress = steps.progress_of(publication, in_review=True)
        if progress is not None:
            done = progress.current.position - 1
            return (
                f"Step {done} of {progress.total} approved: it waits for step {progress.current.position} "
                f"({progress.current.name})."
            )
        return "First approval recorded: it waits for the final approval by an admin or the strategy lead."
    return f"Approved: {publication.get_status_display().lower()}."


def _request_changes(request, publication):
    services.publication_request_changes(
        publication=publication, membership=request.membership, comment=request.POST.get("comment", "")
    )
    return "Sent back to draft with your comment."


def _mark_published(request, publication):
    form = MarkPublishedForm(request.POST)
    if not form.is_valid():
        raise ValidationError(form.errors["permalink"])
    publisher.publication_mark_published(
        publication=publication, by=request.user, permalink=form.cleaned_data["permalink"]
    )
    return "Recorded as published."


def _send_again(request, publication):
    if publication.status == Publication.Status.HELD:
        _approver_only(request, publication)
    publisher.publication_send_again(publication=publication, by=request.user)
    return "It goes out within a minute."


def _reschedule(request, publication):
    _approver_only(request, publication)
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        raise ValidationError(form.errors["scheduled_at"])
    publication = publisher.held_publication_reschedule(
        publication=publication, by=request.user, scheduled_at=form.cleaned_data["scheduled_at"]
    )
    return f"Rescheduled for {timezone.localtime(publication.scheduled_at):%a %d %b, %H:%M}."


def _back_to_review(request, publication):
    publisher.held_publication_back_to_review(
        publication=publication, by=request.user, comment=request.POST.get("comment", "")
    )
    return "Sent back to review."


def _pause(request, publication):
    services.publication_pause(publication=publication, by=request.user)
    return "Paused: it will not go out until someone resumes it."


def _resume(request, publication):
    publication = services.publication_resume(publication=publication, by=request.user)
    if publication.status == Publication.Status.PAUSED:
        return "A crisis pause is on: it goes out once the pause ends."
    if publication.status == Publication.Status.HELD:
        return "Its time passed while it was paused: send it, reschedule it or send it back to review."
    return f"Resumed: {publication.status_display.lower()}."


def _follow_up(request, publication):
    """The follow-up the form names by its position (0: the first comment; 1..n: the thread's parts)."""

    position = request.POST.get("position", "0")
    found = publication.follow_ups.filter(position=int(position)).first() if position.isdigit() else None
    if found is None:
        raise ValidationError("This post has no such first comment or thread part on its way.")
    return found


def _follow_up_again(request, publication):
    follow_up = follow_ups.follow_up_post_again(comment=_follow_up(request, publication), by=request.user)
    return (
        f"{'The first comment' if follow_up.is_first_comment else 'That part of the thread'} is posted within a minute."
    )


def _follow_up_posted(request, publication):
    follow_up = follow_ups.follow_up_mark_posted(comment=_follow_up(request, publication), by=request.user)
    return f"Recorded: {'the first comment' if follow_up.is_first_comment else 'that part of the thread'} is out."


PUBLICATION_ACTIONS = {
    "follow_up_again": _follow_up_again,
    "follow_up_posted": _follow_up_posted,
    "submit": _submit,
    "pause": _pause,
    "resume": _resume,
    "approve": _approve,
    "request_changes": _request_changes,
    "mark_published": _mark_published,
    "send_again": _send_again,
    "reschedule": _reschedule,
    "back_to_review": _back_to_review,
}


@require_POST
@area_required("publishing", "edit")
def publication_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    handler = PUBLICATION_ACTIONS.get(action)
    if handler is None:
        raise Http404
    publication = _get_publication_for_member(request, pk)
    # A refusal (PermissionDenied: the role, four eyes) is not caught: it answers with the 403 page.
    try:
        messages.success(request, handler(request, publication))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect(safe_next(request, reverse("calendar_app:publication_detail", args=[publication.pk])))


@area_required("publishing", "edit")
def publications_import(request: HttpRequest) -> HttpResponse:
    """Drafts from a CSV file (calendar_app/csv_import.py): all the rows, or none and every problem listed."""
    form = PublicationImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = csv_import.import_publications(
            workspace=request.workspace, uploaded=form.cleaned_data["file"], by=request.user
        )
        if result.ok:
            n = result.items_created
            items = f", and {n} new content item{'s' if n > 1 else ''}" if n else ""
            messages.success(request, f"Imported {result.created} drafts{items}: send them for review from the list.")
            return redirect(f"{reverse('calendar_app:publishing')}?status=draft")
    failed = form.errors or (result is not None and not result.ok)
    context = {"form": form, "result": result, "columns": csv_import.COLUMNS, "max_rows": csv_import.MAX_ROWS}
    return render(request, "calendar_app/import.html", context, status=400 if failed else 200)


@area_required("publishing", "edit")
def publications_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="publications-template.csv"'
    csv_import.csv_template(response)
    return response


@require_POST
@area_required("publishing", "comment")
def publication_comment(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _get_publication_for_member(request, pk)
    form = PublicationCommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write the comment first.")
        return redirect(f"{reverse('calendar_app:publication_detail', args=[pk])}#comments")
    try:
        comment = services.publication_comment(
            publication=publication,
            author=request.user,
            body=form.cleaned_data["body"],
            visibility=form.cleaned_data["visibility"],
            parent_id=request.POST.get("parent") or None,
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(f"{reverse('calendar_app:publication_detail', args=[pk])}#comments")
    return redirect(f"{reverse('calendar_app:publication_detail', args=[pk])}#comment-{comment.pk}")


@require_POST
@area_required("publishing", "edit")
def publications_bulk(request: HttpRequest) -> HttpResponse:
    """The publishing list's selection: one action on each selected post (calendar_app/bulk.py), then back to the
    list as it was (its filters and page)."""
    ids = [int(pk) for pk in request.POST.getlist("ids") if pk.isdigit()]
    days = request.POST.get("days", "").strip()
    back = safe_next(request, reverse("calendar_app:publishing"))
    if not ids:
        messages.error(request, "Select the posts first: tick them in the list.")
        return redirect(back)
    if request.POST.get("action") == "share":  # one review link for the whole selection
        try:
            review = external_review.review_share(
                workspace=request.workspace, publication_ids=ids[: bulk.BULK_LIMIT],
                reviewer=request.POST.get("reviewer", ""), by=request.user,
            )  # fmt: skip
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            url = request.build_absolute_uri(reverse("calendar_app:review_page", args=[review.token]))
            count = review.publications.count()
            messages.success(request, f"Send {review.reviewer} this link to review {count} posts (valid 7 days): {url}")
        return redirect(back)
    try:
        outcome = bulk.bulk_apply(
            workspace=request.workspace,
            membership=request.membership,
            action=request.POST.get("action", ""),
            ids=ids,
            account_id=request.POST.get("account") or None,
            days=int(days) if days.lstrip("-").isdigit() else None,
            tag_name=request.POST.get("tag", ""),
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(back)
    (messages.warning if outcome.refused else messages.success)(request, outcome.summary)
    return redirect(back)


@require_POST
@area_required("publishing", "edit")
def publication_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft copy of the publication, opened in its form to change what differs."""
    copy = bulk.publication_duplicate(publication=_get_publication_for_member(request, pk), by=request.user)
    messages.success(request, "Duplicated as a draft: change what differs, then save.")
    return redirect("calendar_app:publication_edit", copy.pk)


@require_POST
@area_required("publishing", "edit")
def publication_move(request: HttpRequest, pk: int) -> JsonResponse:
    publication = _get_publication_for_member(request, pk)
    zone = ZoneInfo(request.workspace.time_zone)
    try:
        local = datetime.fromisoformat(request.POST.get("start", "").removesuffix("Z")[:19])
        scheduled = timezone.make_aware(local.replace(tzinfo=None), zone)
        services.publication_move(publication=publication, scheduled_at=scheduled, by=request.user)
    except ValueError:
        return JsonResponse({"ok": False, "error": "Give the new time as YYYY-MM-DDTHH:MM."}, status=400)
    except ValidationError as error:
        return JsonResponse({"ok": False, "error": _error_text(error)}, status=400)
    return JsonResponse({"ok": True, "status": publication.get_status_display()})


def _steps_form(request, network: str, data=None) -> ApprovalStepsForm:
    """The approval steps form for one network, filled with its steps (those it has of its own)."""
    current = steps.steps_by_network(request.workspace.pk).get(network, [])
    initial = {"network": network}
    for step in current:
        initial[f"name_{step.position}"], initial[f"roles_{step.position}"] = step.name, step.roles
    return ApprovalStepsForm(data, initial=initial)


def _settings_page(request, *, form, steps_form) -> HttpResponse:
    by_network = steps.steps_by_network(request.workspace.pk)
    labels = dict(NETWORK_STEP_CHOICES)
    defined = [(labels.get(network, network), rows) for network, rows in by_network.items()]
    return render(
        request,
        "calendar_app/settings.html",
        {
            "form": form,
            "steps_form": steps_form,
            "defined_steps": defined,
            "network_choices": NETWORK_STEP_CHOICES,
            "words_to_avoid": words_to_avoid(workspace=request.workspace),
            "may_edit_voice": can(request.membership.role, "strategy", "edit"),
        },
    )


@require_POST
@area_required("publishing", "approve")
def approval_steps(request: HttpRequest) -> HttpResponse:
    network = request.POST.get("network", "")
    if network not in dict(NETWORK_STEP_CHOICES):
        raise Http404
    steps_form = _steps_form(request, network, data=request.POST)
    if steps_form.is_valid():
        saved = steps.approval_steps_set(
            workspace=request.workspace, network=network, steps=steps_form.cleaned_data["steps"]
        )
        where = dict(NETWORK_STEP_CHOICES)[network].lower() if network else "every network"
        messages.success(
            request,
            f"Approval steps for {where} saved ({len(saved)})." if saved else f"No approval steps for {where} now.",
        )
        return redirect(f"{reverse('calendar_app:settings')}?network={network}#steps")
    return _settings_page(request, form=_approval_settings_form(request), steps_form=steps_form)


def _approval_settings_form(request, data=None) -> ApprovalSettingsForm:
    rules = services.approval_settings_for(request.workspace)
    return ApprovalSettingsForm(
        data,
        initial={
            "approver_roles": rules.approver_roles,
            "final_approval_required": rules.final_approval_required,
            "four_eyes": rules.four_eyes,
            "review_expires_after_days": rules.review_expires_after_days,
            **{f"target_{p}": n for p, n in target_posts_per_week(workspace=request.workspace).items()},
        },
    )


@area_required("publishing", "approve")
def calendar_settings(request: HttpRequest) -> HttpResponse:
    form = _approval_settings_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.calendar_settings_update(
            workspace=request.workspace,
            approver_roles=form.cleaned_data["approver_roles"],
            final_approval_required=form.cleaned_data["final_approval_required"],
            four_eyes=form.cleaned_data["four_eyes"],
            review_expires_after_days=form.cleaned_data["review_expires_after_days"],
            targets=form.targets(),
        )
        messages.success(request, "Settings saved.")
        return redirect("calendar_app:publishing")
    network = request.GET.get("network", "")
    if network not in dict(NETWORK_STEP_CHOICES):
        network = ""
    return _settings_page(request, form=form, steps_form=_steps_form(request, network))


# ---- crisis -----------------------------------------------------------------------------------------------------


@area_required("publishing", "view")
def crisis(request: HttpRequest) -> HttpResponse:
    may_toggle = can(request.membership.role, "crisis", "toggle")
    active = CrisisPause.objects.filter(workspace=request.workspace, ended_at__isnull=True).first()
    form = CrisisForm(request.POST or None)
    if request.method == "POST":
        if not may_toggle:
            raise PermissionDenied("Your role may not use the crisis switch.")
        try:
            if active:
                pause = services.crisis_pause_end(workspace=request.workspace, by=request.user)
                messages.success(request, _resumed_text(pause))
                return redirect("calendar_app:crisis")
            if form.is_valid():
                pause = services.crisis_pause_start(
                    workspace=request.workspace, by=request.user, reason=form.cleaned_data["reason"]
                )
                messages.warning(request, _paused_text(pause))
                return redirect("calendar_app:crisis")
        except ValidationError as error:
            messages.error(request, _error_text(error))
    log = CrisisPause.objects.filter(workspace=request.workspace).select_related("started_by", "ended_by")[:50]
    return render(
        request,
        "calendar_app/crisis.html",
        {
            "active": active,
            "form": form,
            "log": log,
            "may_toggle": may_toggle,
            "decisions": services.with_approval_refusals(
                selectors.publications_awaiting_decision(workspace=request.workspace), membership=request.membership
            ),
            "can_edit": can(request.membership.role, "publishing", "edit"),
            "may_approve": services.may_approve(membership=request.membership),
            "reschedule_form": RescheduleForm(),
            "comment_form": PublicationCommentForm(),
            "can_comment": can(request.membership.role, "publishing", "comment"),
            "now": timezone.now(),
        },
    )


def _paused_text(pause) -> str:
    text = f"Crisis pause on: nothing more is sent. {pause.paused_count} publications are paused."
    if pause.sending_count:
        text += (
            f" {pause.sending_count} were already on their way to the platform when you switched and may still go "
            "out: check them on the publishing calendar in a minute."
        )
    return text


def _resumed_text(pause) -> str:
    text = f"Resumed: {pause.resumed_count} publications are back where they were."
    if pause.held_count:
        text += f" {pause.held_count} fell due during the pause and wait for your decision below."
    return text


# ---- meeting ----------------------------------------------------------------------------------------------------


# FullCalendar's views that the publishing calendar offers (calendar_app/static/calendar_app/calendar.js).
CALENDAR_VIEWS = ("dayGridMonth", "timeGridWeek", "timeGridDay", "listWeek", "listDay", "listMonth")


def _day_from_request(request) -> date | None:
    """The `date` the address asks for (a day to open: the meeting's week, the publishing calendar's day)."""
    try:
        return date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return None


@area_required("meeting", "view")
def meeting(request: HttpRequest) -> HttpResponse:
    day = _day_from_request(request) or timezone.localdate()
    agenda = weekly_agenda(workspace=request.workspace, day=day, role=request.membership.role)
    return render(request, "calendar_app/meeting.html", agenda)


@area_required("meeting", "view")
@area_required("strategy", "view")
def meeting_objectives(request: HttpRequest) -> HttpResponse:
    """The meeting's objectives, fetched by its page once it shows (the figures come after what is to discuss)."""
    day = _day_from_request(request) or timezone.localdate()
    readings = objectives_recalled(workspace=request.workspace, day=day)
    return render(request, "strategy/_objectives.html", {"readings": readings})


# ---- feeds and exports ------------------------------------------------------------------------------------------


def _my_feed(request, kind):
    return CalendarFeed.objects.filter(
        workspace=request.workspace, user=request.user, kind=kind, revoked_at__isnull=True
    ).first()


@require_POST
@area_required("editorial", "view")
def feed_create(request: HttpRequest, kind: str) -> HttpResponse:
    area = "publishing" if kind == CalendarFeed.Kind.PUBLISHING else "editorial"
    if kind not in CalendarFeed.Kind.values or not can(request.membership.role, area, "view"):
        raise Http404
    existing = _my_feed(request, kind)
    if existing:
        services.calendar_feed_revoke(feed=existing)
    services.calendar_feed_create(workspace=request.workspace, user=request.user, kind=kind)
    messages.success(request, "Your private calendar address is ready; any previous one stopped working.")
    return redirect(f"calendar_app:{area}")


@require_POST
@area_required("editorial", "view")
def feed_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    feed = get_object_or_404(CalendarFeed, pk=pk, workspace=request.workspace, user=request.user)
    services.calendar_feed_revoke(feed=feed)
    messages.info(request, "That calendar address no longer works.")
    return redirect(
        "calendar_app:publishing" if feed.kind == CalendarFeed.Kind.PUBLISHING else "calendar_app:editorial"
    )


@login_not_required
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = (
        CalendarFeed.objects.select_related("workspace", "user")
        .filter(token=token, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404
    # The feed's owner must still be allowed to read that calendar.
    membership = feed.user.memberships.filter(workspace=feed.workspace).first()
    area = "publishing" if feed.kind == CalendarFeed.Kind.PUBLISHING else "editorial"
    if membership is None or not can(membership.role, area, "view"):
        raise Http404
    body = build_calendar(feed=feed)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{feed.kind}.ics"'
    return response


@area_required("editorial", "view")
def editorial_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="editorial-calendar.csv"'
    writer = SafeWriter(response)
    writer.writerow(["due_date", "title", "stage", "format", "pillar", "audience_segment", "owner", "seo_keywords"])
    for item in selectors.content_items(workspace=request.workspace).iterator(chunk_size=500):
        writer.writerow(
            [
                item.due_date,
                item.title,
                item.get_stage_display(),
                item.get_format_display(),
                item.pillar,
                item.audience_segment,
                item.owner or "",
                item.seo_keywords,
            ]
        )
    return response


@area_required("publishing", "view")
def publishing_csv(request: HttpRequest) -> HttpResponse:
    zone = ZoneInfo(request.workspace.time_zone)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="publishing-calendar.csv"'
    writer = SafeWriter(response)
    writer.writerow(
        ["scheduled_at", "time_zone", "network", "account", "content", "status", "copy", "permalink", "tags"]
    )
    filters = PublicationFilters.from_query(request.GET)  # the calendar's filters, as its CSV link carries them
    rows = selectors.publications(workspace=request.workspace, filters=filters).prefetch_related(tags.by_name())
    for p in rows.iterator(chunk_size=500):  # the tags in one more query per 500 rows
        when = p.scheduled_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if p.scheduled_at else ""
        writer.writerow(
            [
                when,
                request.workspace.time_zone,
                p.profile.get_platform_display(),
                p.profile.handle,
                p.content_item.title,
                p.get_status_display(),
                p.copy,
                p.permalink,
                "; ".join(tag.name for tag in p.tags.all()),  # as the import reads them
            ]
        )
    return response
