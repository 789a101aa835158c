"""Every write of the calendar app: ideas, content items, publications and their workflow, crisis pause, publishing."""

import logging
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from accounts.permissions import can
from notifications.services import notify

from .media_rules import publication_media_problems
from .models import (
    FINAL_APPROVER_ROLES,
    ApprovalSettings,
    CalendarFeed,
    ContentItem,
    CrisisPause,
    CrisisSwitch,
    Idea,
    IdeaComment,
    IdeaVote,
    Publication,
    PublicationApproval,
    PublicationComment,
    PublicationEvent,
)
from .steps import current_step, roles_text, round_of, steps_by_network, steps_for, steps_of
from .voice import copy_problems

log = logging.getLogger(__name__)
S = Publication.Status

# Fields whose change sends an approved publication back to review.
CONTENT_FIELDS = ("copy", "first_comment", "thread", "media_urls", "scheduled_at", "profile_id", "content_item_id")
EDITED_FIELDS = ("copy", "first_comment", "thread", "media_urls", "scheduled_at", "profile", "content_item")
BACK_TO_REVIEW_ON_EDIT = frozenset({S.APPROVED, S.SCHEDULED, S.FAILED, S.HELD})
# Why each of models.UNEDITABLE_STATUSES is not edited.
NOT_EDITABLE = {
    S.PUBLISHED: "A published post cannot be edited.",
    S.SENDING: "This publication is being sent right now; edit it once its outcome shows.",
    S.UNKNOWN: "Say first whether this post went out (below), then edit it.",
    S.PAUSED: "This publication is paused by the crisis switch; edit it after resuming.",
}


# ---- ideas ------------------------------------------------------------------------------------------------------


def idea_submit(*, workspace, author, title, description, networks=(), link="", attachment=None) -> Idea:
    """Record an idea from any member."""
    return Idea.objects.create(
        workspace=workspace,
        author=author,
        title=title,
        description=description,
        networks=list(networks),
        link=link,
        attachment=attachment or "",
    )


def idea_accept(*, idea, by, due_date: date, comment: str = "") -> ContentItem:
    """Accept an idea: it becomes an editorial content item, linked to it."""
    with transaction.atomic():
        idea = Idea.objects.select_for_update().get(pk=idea.pk)
        if idea.content_item_id:
            return idea.content_item
        item = ContentItem.objects.create(
            workspace=idea.workspace, title=idea.title, brief=idea.description, due_date=due_date, owner=by
        )
        idea.status, idea.content_item = Idea.Status.ACCEPTED, item
        idea.decline_reason = ""
        idea.triaged_by, idea.triaged_at = by, timezone.now()
        idea.save()
        _idea_triaged(idea, by=by, decision="accepted", comment=comment)
    return item


def idea_park(*, idea, by, comment: str = "") -> Idea:
    """Park an idea for later."""
    with transaction.atomic():
        idea.status, idea.triaged_by, idea.triaged_at = Idea.Status.PARKED, by, timezone.now()
        idea.save(update_fields=["status", "triaged_by", "triaged_at"])
        _idea_triaged(idea, by=by, decision="parked", comment=comment)
    return idea


def idea_decline(*, idea, by, reason: str) -> Idea:
    """Decline an idea with a reason the submitter reads."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why, so the person who sent it understands."})
    with transaction.atomic():
        idea.status, idea.decline_reason = Idea.Status.DECLINED, reason.strip()
        idea.triaged_by, idea.triaged_at = by, timezone.now()
        idea.save(update_fields=["status", "decline_reason", "triaged_by", "triaged_at"])
        _idea_triaged(idea, by=by, decision="declined", comment=reason, keep_comment=False)
    return idea


def _idea_triaged(idea, *, by, decision: str, comment: str, keep_comment: bool = True) -> None:
    """The submitter is told the decision with the lead's comment, which stays on the idea's page (a decline's
    reason is its own line there)."""
    comment = comment.strip()
    if comment and keep_comment:
        IdeaComment.objects.create(idea=idea, author=by, body=comment)
    notify(
        workspace=idea.workspace, kind="idea_triaged", recipients=[idea.author_id], actor=by,
        title=f"Your idea “{idea.title}” was {decision}", body=comment, mentions=comment,
        link=reverse("calendar_app:idea_detail", args=[idea.pk]),
        dedupe_key=f"idea:{idea.pk}:{decision}:{idea.triaged_at.isoformat()}",
    )  # fmt: skip


def idea_comment(*, idea, author, body: str) -> IdeaComment:
    """Add a team member's comment to an idea; its submitter and the members it @mentions are told."""
    with transaction.atomic():
        comment = IdeaComment.objects.create(idea=idea, author=author, body=body)
        notify(
            workspace=idea.workspace, kind="comment", recipients=[idea.author_id], actor=author,
            title=f"{author} commented on the idea “{idea.title}”", body=body, mentions=body,
            link=reverse("calendar_app:idea_detail", args=[idea.pk]), dedupe_key=f"idea_comment:{comment.pk}",
        )  # fmt: skip
    return comment


def publication_comment(*, publication, author, body: str, visibility: str = "internal", parent_id=None):
    """A comment on a publication, or a reply in one of its threads (a reply to a reply joins the thread); its
    authors, the thread's commenters and the members it @mentions are told."""
    body = body.strip()
    if not body:
        raise ValidationError("Write the comment first.")
    with transaction.atomic():
        parent = None
        if parent_id:
            parent = PublicationComment.objects.filter(publication=publication, pk=parent_id).first()
            if parent is None:
                raise ValidationError("That comment is gone: write a new one.")
            parent = parent.parent or parent  # threads are one level deep
        comment = PublicationComment.objects.create(
            publication=publication, author=author, body=body, visibility=visibility, parent=parent
        )
        recipients = set(publication_authors([publication.pk])[publication.pk])
        if parent is not None:
            thread = PublicationComment.objects.filter(Q(pk=parent.pk) | Q(parent=parent))
            recipients |= set(thread.exclude(author=None).values_list("author_id", flat=True))
        notify(
            workspace=publication.workspace, kind="comment", recipients=recipients, actor=author,
            title=f"{author} commented on “{publication}”", body=body, mentions=body,
            link=reverse("calendar_app:publication_detail", args=[publication.pk]) + f"#comment-{comment.pk}",
            dedupe_key=f"publication_comment:{comment.pk}",
        )  # fmt: skip
    return comment


def idea_vote_toggle(*, idea, voter) -> bool:
    """Vote for an idea, or take the vote back; True when the member now votes for it."""
    deleted, _ = IdeaVote.objects.filter(idea=idea, voter=voter).delete()
    if deleted:
        return False
    IdeaVote.objects.get_or_create(idea=idea, voter=voter)
    return True


# ---- editorial --------------------------------------------------------------------------------------------------


def content_item_save(*, item: ContentItem, contributors=None) -> ContentItem:
    """Create or update a content item from a validated (unsaved) instance, with its contributors."""
    item.full_clean(exclude=["contributors"])
    with transaction.atomic():
        item.save()
        if contributors is not None:
            item.contributors.set(contributors)
    return item


def content_item_move(*, item: ContentItem, due_date: date) -> ContentItem:
    """Move a content item to another due date (drag and drop on the calendar)."""
    item.due_date = due_date
    item.save(update_fields=["due_date", "updated_at"])
    return item


# ---- publications -----------------------------------------------------------------------------------------------


def _event(publication, *, actor, action, from_status="", to_status="", changes=None, comment=""):
    return PublicationEvent.objects.create(
        publication=publication,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status or publication.status,
        changes=changes or {},
        comment=comment,
    )


def _jsonable(value):
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def publication_save(*, publication: Publication, by) -> Publication:
    """Create or edit a publication; editing an approved one sends it back to review, with the change logged."""
    publication.full_clean()
    with transaction.atomic():
        if publication.pk is None:
            publication.owner = publication.owner or by
            publication.save()
            _event(publication, actor=by, action="created", to_status=publication.status)
            return publication
        before = Publication.objects.select_for_update().get(pk=publication.pk)
        changes = {
            field.removesuffix("_id"): [_jsonable(getattr(before, field)), _jsonable(getattr(publication, field))]
            for field in CONTENT_FIELDS
            if getattr(before, field) != getattr(publication, field)
        }
        if not changes:
            return before
        from_status = before.status
        if from_status in NOT_EDITABLE:
            raise ValidationError(NOT_EDITABLE[from_status])
        # The locked row's state, not the form's copy: a worker may have moved it since the form was loaded.
        publication.status, publication.first_approved_by_id = before.status, before.first_approved_by_id
        if from_status in BACK_TO_REVIEW_ON_EDIT or from_status == S.IN_REVIEW:
            # A first approval was of the copy before this edit: the edited one is approved afresh.
            publication.status, publication.first_approved_by = S.IN_REVIEW, None
            round_restart(publication)
        publication.save(update_fields=[*EDITED_FIELDS, "status", "first_approved_by", "updated_at"])
        _event(publication, actor=by, action="edited", from_status=from_status, changes=changes)
    return publication


def publication_move(*, publication: Publication, scheduled_at: datetime, by) -> Publication:
    """Move a publication to another time (drag and drop); an approved one goes back to review."""
    publication.scheduled_at = scheduled_at
    return publication_save(publication=publication, by=by)


def approval_settings_for(workspace) -> ApprovalSettings:
    settings_row, _ = ApprovalSettings.objects.get_or_create(workspace=workspace)
    return settings_row


_KEEP = object()


def approval_settings_update(
    *,
    workspace,
    approver_roles,
    final_approval_required: bool,
    four_eyes: bool | None = None,
    review_expires_after_days=_KEEP,
) -> ApprovalSettings:
    """Set which roles approve, whether a final approver is required, whether authors are kept from approving (four
    eyes; None keeps it as it is) and after how many days an unanswered review expires (None: never; not given:
    as it is)."""
    row = approval_settings_for(workspace)
    row.approver_roles, row.final_approval_required = list(approver_roles), final_approval_required
    if four_eyes is not None:
        row.four_eyes = four_eyes
    if review_expires_after_days is not _KEEP:
        row.review_expires_after_days = review_expires_after_days
    row.save()
    return row


def calendar_settings_update(
    *,
    workspace,
    approver_roles,
    final_approval_required: bool,
    four_eyes: bool | None = None,
    review_expires_after_days=_KEEP,
    targets: dict[str, int],
) -> None:
    """The calendar settings page: approval rules and posting targets, saved together or not at all (the words to
    avoid are the strategy's brand voice)."""
    with transaction.atomic():
        approval_settings_update(
            workspace=workspace,
            approver_roles=approver_roles,
            final_approval_required=final_approval_required,
            four_eyes=four_eyes,
            review_expires_after_days=review_expires_after_days,
        )
        frequency_targets_set(workspace=workspace, targets=targets)


def approvers_of(publication, *, final_only: bool = False) -> list[int]:
    """The user ids of the members who may approve this publication at its next step: the roles of the step it has
    reached (approval steps; the last step's for a post out of review), or those the workspace's settings allow; its
    authors left out under four eyes, and whoever approved already in this round. `final_only` for the final
    approval after a first one (no steps)."""
    rules = approval_settings_for(publication.workspace)
    steps = steps_for(publication)
    approved = round_of([publication.pk])[publication.pk] if steps else {}
    roles = rules.approver_roles
    if steps:
        # In review: the step it has reached. Otherwise (failed, held, unknown) the last step's, who let it out.
        step = current_step(steps, approved) if publication.status == S.IN_REVIEW else steps[-1]
        roles, approved = step.roles, approved if publication.status == S.IN_REVIEW else {}
    roles = [r for r in roles if _role_approves(r)]
    if final_only and not steps:
        roles = [r for r in roles if r in FINAL_APPROVER_ROLES]
    members = Membership.objects.filter(workspace_id=publication.workspace_id, role__in=roles)
    if rules.four_eyes:
        members = members.exclude(user_id__in=publication_authors([publication.pk])[publication.pk])
    already = {a.approved_by_id for a in approved.values()} | {publication.first_approved_by_id}
    return list(members.exclude(user_id__in=already - {None}).values_list("user_id", flat=True))


def _role_approves(role) -> bool:
    return can(role, "publishing", "approve") or can(role, "publishing", "approve_if_allowed")


def round_restart(publication) -> None:
    """A new round of review: the steps approved so far were of another version, or of a review sent back."""
    PublicationApproval.objects.filter(publication_id=publication.pk).delete()


def _tell(publication, event, *, kind: str, recipients, title: str) -> None:
    """One notification of a step of the workflow, with its comment (whose @mentions are told too)."""
    notify(
        workspace=publication.workspace, kind=kind, recipients=recipients, actor=event.actor, title=title,
        body=event.comment or publication.copy[:300], mentions=event.comment,
        link=reverse("calendar_app:publication_detail", args=[publication.pk]),
        dedupe_key=f"publication:{publication.pk}:{kind}:event{event.pk}",
    )  # fmt: skip


def may_approve(*, membership) -> bool:
    """The matrix grants approving; the workspace's settings decide among the roles it allows: its approver roles,
    or a role of one of its approval steps (which step, of which post, is each post's matter: approval_refusal)."""
    role = membership.role
    if not _role_approves(role):
        return False
    if role in approval_settings_for(membership.workspace).approver_roles:
        return True
    return any(role in step.roles for steps in steps_by_network(membership.workspace_id).values() for step in steps)


# Four eyes. The authors of a publication are the people who wrote what is approved or asked for its approval: its
# owner (who created it, unless given to someone else), whoever created it, whoever sent it for review, and whoever
# changed its copy or media. Moving it to another time or account, sending it back, pausing it do not make an author.
AUTHORING_EVENTS = Q(action__in=["created", "submitted"]) | Q(
    action="edited", changes__has_any_keys=["copy", "media_urls", "library_media"]
)
FOUR_EYES_REASON = "Four eyes: someone other than the author approves."
ONCE_PER_STEP_REASON = "You gave the first approval: the final approval comes from another approver."


def publication_authors(publication_ids) -> dict[int, set[int]]:
    """The user ids of each publication's authors (see AUTHORING_EVENTS), in one query."""
    authors: dict[int, set[int]] = {pk: set() for pk in publication_ids}
    rows = Publication.objects.filter(pk__in=authors).values_list("pk", "owner_id")
    events = PublicationEvent.objects.filter(AUTHORING_EVENTS, publication_id__in=authors, actor__isnull=False)
    for pk, user_id in [*rows, *events.values_list("publication_id", "actor_id")]:
        if user_id is not None:
            authors[pk].add(user_id)
    return authors


ROLE_REASON = "Your role may not approve publications in this workspace."


def _refusal(publication, *, membership, rules, authors: set[int], steps, approved) -> Exception | None:
    """Why this member may not approve this publication now (None if they may). `steps` are the approval steps it
    goes through ([]: the approver roles decide), `approved` the steps approved in its round ({position: approval})."""
    user_id = membership.user_id
    if steps:
        # In review: the step it has reached. Held after a pause: sending it is the last step's say.
        step = current_step(steps, approved) if publication.status == S.IN_REVIEW else steps[-1]
        if membership.role not in step.roles:
            return PermissionDenied(
                f"Step {step.position} of {len(steps)} ({step.name}) is approved by {roles_text(step.roles)}."
            )
    elif membership.role not in rules.approver_roles:
        return PermissionDenied(ROLE_REASON)
    if rules.four_eyes and user_id in authors:
        return PermissionDenied(FOUR_EYES_REASON)
    # One person approves at most one step of a round: no one clicks a post through all of them. A matter of the
    # post's state, not of role (a double click lands here too), so a message, not a 403.
    if publication.status == S.IN_REVIEW:
        mine = next((a for a in approved.values() if a.approved_by_id == user_id), None)
        if mine is not None:
            return ValidationError(
                f"You approved step {mine.position} ({mine.step_name}): another person approves this one."
            )
    # An approver counts once: the final approval, when one is required, is a second person's. Not a matter of
    # role but of the publication's state (a double click lands here), so a message, not a 403.
    if publication.status == S.IN_REVIEW and publication.first_approved_by_id == user_id:
        return ValidationError(ONCE_PER_STEP_REASON)
    return None


def refusal_text(error: Exception | None) -> str:
    """What a refusal says, for a message: a ValidationError's messages, a PermissionDenied's reason."""
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error or "")


def _approval_error(*, publication, membership) -> Exception | None:
    if membership.workspace_id != publication.workspace_id or not may_approve(membership=membership):
        return PermissionDenied(ROLE_REASON)
    rules = approval_settings_for(publication.workspace)
    authors = publication_authors([publication.pk])[publication.pk]
    steps = steps_for(publication)
    approved = round_of([publication.pk])[publication.pk] if steps else {}
    return _refusal(publication, membership=membership, rules=rules, authors=authors, steps=steps, approved=approved)


def approval_refusal(*, publication, membership) -> str:
    """Why this member may not approve (or, held after a pause, send or reschedule) this publication; "" if they may."""
    return refusal_text(_approval_error(publication=publication, membership=membership))


def with_approval_refusals(publications, *, membership):
    """The publications, each with `approval_refusal` set for this member (for pages that list held posts)."""
    publications = list(publications)
    if not publications or not may_approve(membership=membership):
        return publications
    rules = approval_settings_for(membership.workspace)
    authors = publication_authors([p.pk for p in publications])
    by_network = steps_by_network(membership.workspace_id)
    rounds = round_of([p.pk for p in publications]) if by_network else {}
    for p in publications:
        steps = steps_of(by_network, p.platform)
        error = _refusal(
            p, membership=membership, rules=rules, authors=authors[p.pk], steps=steps, approved=rounds.get(p.pk, {})
        )
        p.approval_refusal = refusal_text(error)
    return publications


def approval_check(*, publication, membership) -> None:
    """Refuse a member who may not approve this publication: their role or four eyes (PermissionDenied, a 403), or
    an approval they already gave at this step (ValidationError, a message)."""
    error = _approval_error(publication=publication, membership=membership)
    if error is not None:
        raise error


def _locked_in(publication, *, status, error: str) -> Publication:
    """Lock the publication's row for this transaction and reload it in place; refuse unless it is in `status`
    (two clicks, two tabs, or a worker that moved it since the page was shown)."""
    publication.refresh_from_db(from_queryset=Publication.objects.select_for_update())
    if publication.status != status:
        raise ValidationError(f"{error} (this one is {publication.get_status_display().lower()}).")
    return publication


def review_problems(publication) -> list[str]:
    """What keeps a post from going to review: its copy (length, words to avoid) and its media, for its network. The
    post's page lists the same."""
    copy = copy_problems(
        workspace=publication.workspace, platform=publication.platform, copy=publication.copy,
        first_comment=publication.first_comment, thread=publication.thread,
    )  # fmt: skip
    return copy + publication_media_problems(publication)


def publication_submit(*, publication, by) -> Publication:
    """Send a draft for review; over-limit copy, words to avoid and media the network does not take are refused
    here (calendar_app/voice.py, calendar_app/media_rules.py)."""
    with transaction.atomic():
        publication = _locked_in(publication, status=S.DRAFT, error="Only a draft can be sent for review")
        problems = review_problems(publication)
        if problems:
            raise ValidationError(problems)
        publication.status = S.IN_REVIEW
        publication.save(update_fields=["status", "updated_at"])
        event = _event(publication, actor=by, action="submitted", from_status=S.DRAFT)
        _tell(publication, event, kind="review_requested", recipients=approvers_of(publication),
              title=f"{by} asks for your review: {publication}")  # fmt: skip
    return publication


def publication_approve(*, publication, membership, comment: str = "", step: int | None = None) -> Publication:
    """Approve a publication in review. With approval steps, this approves the step it has reached: it waits for the
    next one, and the last one approves it. Without, with a final approver required, a first approval waits for the
    final one.

    Refused (PermissionDenied) to a role that does not approve (at this step), to its author when the workspace keeps
    four eyes; refused (ValidationError) to whoever approved a step of this round already (or the first approval): a
    double click records one approval, never two, and no one approves two steps. `step`, the step the approver saw
    (the page's form), is refused once the post has moved past it: an approval is of the step one looked at.
    """
    if not may_approve(membership=membership):
        raise PermissionDenied(ROLE_REASON)
    by = membership.user
    with transaction.atomic():
        # The switch first, as the pause and the publishing claim take it: a pause switched on meanwhile holds this
        # one too, and the three never deadlock.
        switch = crisis_switch_locked(workspace_id=publication.workspace_id)
        publication = _locked_in(publication, status=S.IN_REVIEW, error="Only a publication in review can be approved")
        steps = steps_for(publication)
        reached = current_step(steps, round_of([publication.pk])[publication.pk]) if steps else None
        if reached is not None and step is not None and step != reached.position:
            # Someone approved the step this member looked at first: theirs would be of another step, unseen.
            raise ValidationError(
                f"It moved on to step {reached.position} ({reached.name}) meanwhile: look at it again before approving."
            )
        # Under the row's lock: a second click waits for the first one's commit, then sees its first approval.
        approval_check(publication=publication, membership=membership)
        rules = approval_settings_for(publication.workspace)
        step_changes = {}
        if reached is not None:
            PublicationApproval.objects.get_or_create(
                publication=publication,
                position=reached.position,
                defaults={"step_name": reached.name, "approved_by": by},
            )
            step_changes = {"step": [reached.position, len(steps), reached.name]}
            if reached is not steps[-1]:
                publication.save(update_fields=["updated_at"])  # something happened: the review's expiry waits
                event = _event(publication, actor=by, action="step_approved", from_status=S.IN_REVIEW,
                               changes=step_changes, comment=comment)  # fmt: skip
                following = current_step(steps, round_of([publication.pk])[publication.pk])
                _tell(publication, event, kind="review_requested", recipients=approvers_of(publication),
                      title=f"Step {reached.position} approved by {by}; step {following.position} ({following.name}) "
                      f"asks for your review: {publication}")  # fmt: skip
                return publication
        elif rules.final_approval_required and membership.role not in FINAL_APPROVER_ROLES:
            publication.first_approved_by = by
            publication.save(update_fields=["first_approved_by", "updated_at"])
            event = _event(publication, actor=by, action="first_approval", from_status=S.IN_REVIEW, comment=comment)
            _tell(publication, event, kind="approved", recipients=approvers_of(publication, final_only=True),
                  title=f"First approval by {by}, your final approval is asked: {publication}")  # fmt: skip
            return publication
        target = S.SCHEDULED if publication.scheduled_at else S.APPROVED
        if switch.is_on:
            publication.status, publication.status_before_pause = S.PAUSED, target
        else:
            publication.status = target
        publication.save(update_fields=["status", "status_before_pause", "updated_at"])
        event = _event(
            publication, actor=by, action="approved", from_status=S.IN_REVIEW, changes=step_changes, comment=comment
        )
        _tell(publication, event, kind="approved", recipients=publication_authors([publication.pk])[publication.pk],
              title=f"Approved by {by}: {publication}")  # fmt: skip
    return publication


def publication_review_expire(*, publication: Publication, days: int, now: datetime) -> bool:
    """Back to draft, if it is still in review with no event for `days` days (calendar_app/review_expiry.py); False
    when it was answered or moved meanwhile."""
    with transaction.atomic():
        try:
            publication = _locked_in(publication, status=S.IN_REVIEW, error="Only a review can expire")
        except ValidationError:
            return False  # answered (or moved) since it was read
        last = publication.events.aggregate(last=Max("created_at"))["last"]
        if last is not None and last > now - timedelta(days=days):
            return False  # something happened since
        publication.status, publication.first_approved_by = S.DRAFT, None
        publication.save(update_fields=["status", "first_approved_by", "updated_at"])
        round_restart(publication)
        event = _event(
            publication,
            actor=None,
            action="review_expired",
            from_status=S.IN_REVIEW,
            comment=f"Nobody answered the review in {days} days.",
        )
        notify(
            workspace=publication.workspace, kind="review_expired",
            recipients=publication_authors([publication.pk])[publication.pk],
            title=f"Nobody reviewed “{publication}” in {days} days: it is a draft again",
            body="Send it for review again, or ask an approver directly.",
            link=reverse("calendar_app:publication_detail", args=[publication.pk]),
            dedupe_key=f"publication:{publication.pk}:review_expired:event{event.pk}",
        )  # fmt: skip
    return True


def publication_request_changes(*, publication, membership, comment: str) -> Publication:
    """Send a publication in review back to draft with the reason, which its authors are told; the steps approved
    in this round are undone (the next review starts at step 1). With approval steps, the step it has reached is
    the one whose roles may send it back."""
    if not may_approve(membership=membership):
        raise PermissionDenied("Your role may not review publications in this workspace.")
    comment = comment.strip()
    if not comment:
        raise ValidationError("Say what should change: the author reads it.")
    with transaction.atomic():
        publication = _locked_in(publication, status=S.IN_REVIEW, error="Only a publication in review can be sent back")
        steps = steps_for(publication)
        at = ""
        if steps:
            step = current_step(steps, round_of([publication.pk])[publication.pk])
            if membership.role not in step.roles:
                raise PermissionDenied(
                    f"Step {step.position} of {len(steps)} ({step.name}) is reviewed by {roles_text(step.roles)}."
                )
            at = f" at step {step.position} ({step.name})"
        publication.status, publication.first_approved_by = S.DRAFT, None
        publication.save(update_fields=["status", "first_approved_by", "updated_at"])
        round_restart(publication)
        event = _event(
            publication, actor=membership.user, action="changes_requested", from_status=S.IN_REVIEW, comment=comment
        )
        _tell(publication, event, kind="changes_requested", recipients=publication_authors([publication.pk])[publication.pk],
              title=f"{membership.user} asks for changes{at}: {publication}")  # fmt: skip
    return publication


# ---- crisis pause -----------------------------------------------------------------------------------------------


def crisis_switch_locked(*, workspace_id) -> CrisisSwitch:
    """The workspace's crisis switch, locked until the transaction ends (created off the first time).

    Whoever changes a publication's fate under it takes this lock first, then the publication's: the pause, the
    publishing claim (calendar_app/publisher.py), an approval. One order, so no two of them deadlock.
    """
    CrisisSwitch.objects.get_or_create(workspace_id=workspace_id)
    return CrisisSwitch.objects.select_for_update().get(workspace_id=workspace_id)


def _set_status(publications: list[tuple[int, str]], *, to_status, before=None, by, action, comment=""):
    """Move many publications at once (a few statements whatever their number), each with its history line."""
    by_previous: dict[str, list[int]] = {}
    for pk, status in publications:
        by_previous.setdefault(status, []).append(pk)
    for status, pks in by_previous.items():
        Publication.objects.filter(pk__in=pks).update(
            status=to_status, status_before_pause=before(status) if before else "", updated_at=timezone.now()
        )
    PublicationEvent.objects.bulk_create(
        PublicationEvent(
            publication_id=pk, actor=by, action=action, from_status=status, to_status=to_status, comment=comment
        )
        for pk, status in publications
    )


def crisis_pause_start(*, workspace, by, reason: str) -> CrisisPause:
    """Switch the crisis pause on: from the commit on, nothing more is sent; approved and scheduled posts wait.

    It waits only for claims in progress (a few milliseconds each, never a platform call): no worker holds a lock
    while it publishes. Posts a worker had already claimed may still go out; the pause counts them.
    """
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the pause; the whole team sees it."})
    with transaction.atomic():
        switch = crisis_switch_locked(workspace_id=workspace.pk)
        if switch.is_on:
            raise ValidationError("A crisis pause is already on.")
        now = timezone.now()
        switch.is_on, switch.changed_at = True, now
        switch.save()
        pause = CrisisPause.objects.create(workspace=workspace, started_by=by, reason=reason.strip(), started_at=now)
        targets = list(
            Publication.objects.select_for_update()
            .filter(workspace=workspace, status__in=[S.APPROVED, S.SCHEDULED])
            .values_list("pk", "status")
        )
        _set_status(targets, to_status=S.PAUSED, before=lambda status: status, by=by, action="paused", comment=reason)
        pause.paused_count = len(targets)
        pause.sending_count = Publication.objects.filter(workspace=workspace, status=S.SENDING).count()
        pause.save(update_fields=["paused_count", "sending_count"])
    return pause


def crisis_pause_end(*, workspace, by) -> CrisisPause:
    """Lift the pause: each paused post goes back to where it was, except those that fell due meanwhile, which are
    held for the team to send, reschedule or review (seed 004: care with scheduled posts during a crisis)."""
    with transaction.atomic():
        switch = crisis_switch_locked(workspace_id=workspace.pk)
        pause = CrisisPause.objects.select_for_update().filter(workspace=workspace, ended_at__isnull=True).first()
        if pause is None or not switch.is_on:
            raise ValidationError("No crisis pause is on.")
        now = timezone.now()
        paused = list(
            Publication.objects.select_for_update()
            .filter(workspace=workspace, status=S.PAUSED, paused_alone=False)  # a post paused on its own stays
            .values_list("pk", "status_before_pause", "scheduled_at")
        )
        fell_due = [(pk, S.PAUSED) for pk, before, at in paused if before == S.SCHEDULED and at and at <= now]
        back = {}
        for pk, before, at in paused:
            if not (before == S.SCHEDULED and at and at <= now):
                back.setdefault(before, []).append((pk, S.PAUSED))
        for before, rows in back.items():
            _set_status(rows, to_status=before, by=by, action="resumed")
        _set_status(
            fell_due,
            to_status=S.HELD,
            by=by,
            action="held",
            comment="It fell due during the crisis pause: send it, reschedule it or send it back to review.",
        )
        switch.is_on, switch.changed_at = False, now
        switch.save()
        pause.ended_at, pause.ended_by = now, by
        pause.resumed_count, pause.held_count = len(paused) - len(fell_due), len(fell_due)
        pause.save(update_fields=["ended_at", "ended_by", "resumed_count", "held_count"])
    return pause


PAUSABLE = (S.APPROVED, S.SCHEDULED)


def publication_pause(*, publication, by, comment: str = "") -> Publication:
    """Hold one approved or scheduled post back until a member resumes it (the bulk bar's "Pause", the post's page):
    it keeps its approval and time, and no worker claims it. A crisis's end leaves it paused."""
    with transaction.atomic():
        crisis_switch_locked(workspace_id=publication.workspace_id)  # the one lock order: the switch, then the row
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        if locked.status not in PAUSABLE:
            raise ValidationError(
                f"It is {locked.status_display.lower()}: only an approved or scheduled post can be paused."
            )
        before = locked.status
        locked.status, locked.status_before_pause, locked.paused_alone = S.PAUSED, before, True
        locked.save(update_fields=["status", "status_before_pause", "paused_alone", "updated_at"])
        _event(locked, actor=by, action="paused", from_status=before, to_status=S.PAUSED, comment=comment)
    publication.status = locked.status
    return locked


def publication_resume(*, publication, by) -> Publication:
    """Let a post paused on its own go again: back to approved or scheduled; held for a person's decision if its time
    passed meanwhile (as after a crisis); under the crisis pause, if one is on, until it ends."""
    with transaction.atomic():
        switch = crisis_switch_locked(workspace_id=publication.workspace_id)
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        if locked.status != S.PAUSED or not locked.paused_alone:
            raise ValidationError("It is not paused on its own: nothing to resume.")
        if switch.is_on:
            locked.paused_alone = False  # the crisis pause holds it now, and its end resumes it with the others
            locked.save(update_fields=["paused_alone", "updated_at"])
            _event(locked, actor=by, action="resumed", comment="A crisis pause is on: it goes when the pause ends.")
            return locked
        before, now = locked.status_before_pause, timezone.now()
        fell_due = before == S.SCHEDULED and locked.scheduled_at and locked.scheduled_at <= now
        locked.status = S.HELD if fell_due else before
        locked.status_before_pause, locked.paused_alone = "", False
        locked.save(update_fields=["status", "status_before_pause", "paused_alone", "updated_at"])
        comment = "It fell due while paused: send it, reschedule it or send it back to review." if fell_due else ""
        _event(locked, actor=by, action="held" if fell_due else "resumed", from_status=S.PAUSED,
               to_status=locked.status, comment=comment)  # fmt: skip
    publication.status = locked.status
    return locked


def crisis_is_on(workspace) -> bool:
    return CrisisSwitch.objects.filter(workspace=workspace, is_on=True).exists()


# ---- feeds ------------------------------------------------------------------------------------------------------


def calendar_feed_create(*, workspace, user, kind) -> CalendarFeed:
    """Give a member a private iCal address for one calendar."""
    return CalendarFeed.objects.create(workspace=workspace, user=user, kind=kind)


def calendar_feed_revoke(*, feed) -> CalendarFeed:
    """Revoke an iCal address: it answers 404 from now on."""
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    return feed


def frequency_targets_set(*, workspace, targets: dict[str, int]) -> None:
    """Replace the workspace's posting targets (platform value -> posts per week)."""
    from .models import FrequencyTarget

    with transaction.atomic():
        FrequencyTarget.objects.filter(workspace=workspace).exclude(platform__in=list(targets)).delete()
        for platform, posts in targets.items():
            FrequencyTarget.objects.update_or_create(
                workspace=workspace, platform=platform, defaults={"posts_per_week": posts}
            )
