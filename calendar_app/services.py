"""Every write of the calendar app: ideas, content items, publications and their workflow, crisis pause, publishing."""

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.permissions import can
from accounts.workspace_cache import mark_changed
from metrics.connectors.base import RateLimited, TransientError

from .models import (
    FINAL_APPROVER_ROLES,
    ApprovalSettings,
    CalendarFeed,
    ContentItem,
    CrisisPause,
    Idea,
    IdeaComment,
    IdeaVote,
    Publication,
    PublicationEvent,
)
from .voice import copy_problems

log = logging.getLogger(__name__)
S = Publication.Status
MAX_PUBLISH_ATTEMPTS = 5
RETRY_BACKOFF_SECONDS = 120  # then 4, 8, 16 minutes

# Fields whose change sends an approved publication back to review.
CONTENT_FIELDS = ("copy", "media_urls", "scheduled_at", "profile_id", "content_item_id")


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


def idea_accept(*, idea, by, due_date: date) -> ContentItem:
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
    return item


def idea_park(*, idea, by) -> Idea:
    """Park an idea for later."""
    idea.status, idea.triaged_by, idea.triaged_at = Idea.Status.PARKED, by, timezone.now()
    idea.save(update_fields=["status", "triaged_by", "triaged_at"])
    return idea


def idea_decline(*, idea, by, reason: str) -> Idea:
    """Decline an idea with a reason the submitter reads."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why, so the person who sent it understands."})
    idea.status, idea.decline_reason = Idea.Status.DECLINED, reason.strip()
    idea.triaged_by, idea.triaged_at = by, timezone.now()
    idea.save(update_fields=["status", "decline_reason", "triaged_by", "triaged_at"])
    return idea


def idea_comment(*, idea, author, body: str) -> IdeaComment:
    """Add a team member's comment to an idea."""
    return IdeaComment.objects.create(idea=idea, author=author, body=body)


def idea_vote_toggle(*, idea, voter) -> bool:
    """Vote for an idea, or take the vote back; True when the member now votes for it."""
    deleted, _ = IdeaVote.objects.filter(idea=idea, voter=voter).delete()
    if deleted:
        return False
    IdeaVote.objects.get_or_create(idea=idea, voter=voter)
    return True


# ---- editorial --------------------------------------------------------------------------------------------------


def content_item_save(*, item: ContentItem, contributors=None) -> ContentItem:
    """Create or update a content item from a validated (unsaved) instance."""
    item.full_clean(exclude=["contributors"])
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
    PublicationEvent.objects.create(
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
    creating = publication.pk is None
    with transaction.atomic():
        if creating:
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
            return publication
        from_status = before.status
        if from_status in (S.APPROVED, S.SCHEDULED, S.FAILED):
            publication.status = S.IN_REVIEW
            publication.first_approved_by = None
        if from_status == S.PUBLISHED:
            raise ValidationError("A published post cannot be edited.")
        if from_status == S.PAUSED:
            raise ValidationError("This publication is paused by the crisis switch; edit it after resuming.")
        publication.save()
        _event(publication, actor=by, action="edited", from_status=from_status, changes=changes)
    return publication


def publication_move(*, publication: Publication, scheduled_at: datetime, by) -> Publication:
    """Move a publication to another time (drag and drop); an approved one goes back to review."""
    publication.scheduled_at = scheduled_at
    return publication_save(publication=publication, by=by)


def approval_settings_for(workspace) -> ApprovalSettings:
    settings_row, _ = ApprovalSettings.objects.get_or_create(workspace=workspace)
    return settings_row


def approval_settings_update(*, workspace, approver_roles, final_approval_required: bool) -> ApprovalSettings:
    """Set which roles approve and whether a final approver is required."""
    row = approval_settings_for(workspace)
    row.approver_roles, row.final_approval_required = list(approver_roles), final_approval_required
    row.save()
    return row


def may_approve(*, membership) -> bool:
    """The matrix grants approving; the workspace's settings decide among the roles it allows."""
    role = membership.role
    if not (can(role, "publishing", "approve") or can(role, "publishing", "approve_if_allowed")):
        return False
    return role in approval_settings_for(membership.workspace).approver_roles


def _active_pause(workspace):
    return CrisisPause.objects.filter(workspace=workspace, ended_at__isnull=True).first()


def publication_submit(*, publication, by) -> Publication:
    """Send a draft for review; over-limit copy and words to avoid are refused here."""
    if publication.status != S.DRAFT:
        raise ValidationError(f"Only a draft can be sent for review (this one is {publication.get_status_display()}).")
    problems = copy_problems(workspace=publication.workspace, platform=publication.platform, copy=publication.copy)
    if problems:
        raise ValidationError(problems)
    publication.status = S.IN_REVIEW
    publication.save(update_fields=["status", "updated_at"])
    _event(publication, actor=by, action="submitted", from_status=S.DRAFT)
    return publication


def publication_approve(*, publication, membership, comment: str = "") -> Publication:
    """Approve a publication in review; with a final approver required, a first approval waits for the final one."""
    if not may_approve(membership=membership):
        raise PermissionDenied("Your role may not approve publications in this workspace.")
    if publication.status != S.IN_REVIEW:
        raise ValidationError("Only a publication in review can be approved.")
    by = membership.user
    with transaction.atomic():
        rules = approval_settings_for(publication.workspace)
        if rules.final_approval_required and membership.role not in FINAL_APPROVER_ROLES:
            publication.first_approved_by = by
            publication.save(update_fields=["first_approved_by", "updated_at"])
            _event(publication, actor=by, action="first_approval", from_status=S.IN_REVIEW, comment=comment)
            return publication
        target = S.SCHEDULED if publication.scheduled_at else S.APPROVED
        if _active_pause(publication.workspace):
            publication.status, publication.status_before_pause = S.PAUSED, target
        else:
            publication.status = target
        publication.save(update_fields=["status", "status_before_pause", "updated_at"])
        _event(publication, actor=by, action="approved", from_status=S.IN_REVIEW, comment=comment)
    return publication


def publication_request_changes(*, publication, membership, comment: str) -> Publication:
    """Send a publication in review back to its author with a comment."""
    if not may_approve(membership=membership):
        raise PermissionDenied("Your role may not review publications in this workspace.")
    if publication.status != S.IN_REVIEW:
        raise ValidationError("Only a publication in review can be sent back.")
    if not comment.strip():
        raise ValidationError("Say what should change.")
    publication.status, publication.first_approved_by = S.DRAFT, None
    publication.save(update_fields=["status", "first_approved_by", "updated_at"])
    _event(publication, actor=membership.user, action="changes_requested", from_status=S.IN_REVIEW, comment=comment)
    return publication


# ---- crisis pause -----------------------------------------------------------------------------------------------


def crisis_pause_start(*, workspace, by, reason: str) -> CrisisPause:
    """Pause every approved or scheduled publication of the workspace at once."""
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the pause; the whole team sees it."})
    with transaction.atomic():
        if _active_pause(workspace):
            raise ValidationError("A crisis pause is already on.")
        now = timezone.now()
        pause = CrisisPause.objects.create(workspace=workspace, started_by=by, reason=reason.strip(), started_at=now)
        # Locking the rows waits for a publication being sent right now; it is then published, not paused.
        targets = list(
            Publication.objects.select_for_update()
            .filter(workspace=workspace, status__in=[S.APPROVED, S.SCHEDULED])
            .order_by("pk")
        )
        for publication in targets:
            before = publication.status
            publication.status_before_pause, publication.status = before, S.PAUSED
            publication.save(update_fields=["status", "status_before_pause", "updated_at"])
            _event(publication, actor=by, action="paused", from_status=before, comment=reason)
        pause.paused_count = len(targets)
        pause.save(update_fields=["paused_count"])
    return pause


def crisis_pause_end(*, workspace, by) -> CrisisPause:
    """Resume: each paused publication goes back to the state it had."""
    with transaction.atomic():
        pause = CrisisPause.objects.select_for_update().filter(workspace=workspace, ended_at__isnull=True).first()
        if pause is None:
            raise ValidationError("No crisis pause is on.")
        paused = list(Publication.objects.select_for_update().filter(workspace=workspace, status=S.PAUSED))
        for publication in paused:
            publication.status, publication.status_before_pause = publication.status_before_pause, ""
            publication.save(update_fields=["status", "status_before_pause", "updated_at"])
            _event(publication, actor=by, action="resumed", from_status=S.PAUSED)
        pause.ended_at, pause.ended_by, pause.resumed_count = timezone.now(), by, len(paused)
        pause.save(update_fields=["ended_at", "ended_by", "resumed_count"])
    return pause


# ---- publishing -------------------------------------------------------------------------------------------------


def _claim_next_due(now):
    """Lock one due, scheduled publication of a workspace that is not paused, or return None."""
    return (
        Publication.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("profile", "workspace", "owner", "content_item")
        .filter(status=S.SCHEDULED, scheduled_at__lte=now)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .exclude(workspace__in=CrisisPause.objects.filter(ended_at__isnull=True).values("workspace"))
        .order_by("scheduled_at", "pk")
        .first()
    )


def publication_publish_next(*, now=None) -> Publication | None:
    """Publish the next due publication through its account's connector; None when nothing is due.

    The claim, the pause check and the outcome share one transaction, and the row stays locked while the
    platform is called: a second worker skips it, a retry after success finds it published.
    """
    publication = _publish_next(now=now or timezone.now())
    if publication is not None:
        mark_changed(publication.workspace_id)  # published, failed or put back for a retry
    return publication


def _publish_next(*, now) -> Publication | None:
    from metrics.connectors import connector_for

    with transaction.atomic():
        publication = _claim_next_due(now)
        if publication is None:
            return None
        if _active_pause(publication.workspace):  # the pause won the race: leave it for the resume
            return None
        try:
            result = connector_for(publication.profile).publish(
                text=publication.copy, media_urls=list(publication.media_urls)
            )
        except (RateLimited, TransientError) as error:
            if publication.publish_attempts + 1 < MAX_PUBLISH_ATTEMPTS:
                return _publication_retry_later(publication, error, now=now)
            reason = f"{error.kind}: {error} (gave up after {MAX_PUBLISH_ATTEMPTS} attempts)"
            return _publication_fail(publication, reason)
        except Exception as error:
            return _publication_fail(publication, f"{getattr(error, 'kind', type(error).__name__)}: {error}")
        publication.status, publication.failure_reason = S.PUBLISHED, ""
        publication.external_id, publication.permalink = result.external_id, result.permalink
        publication.published_at = timezone.now()
        publication.save(
            update_fields=["status", "failure_reason", "external_id", "permalink", "published_at", "updated_at"]
        )
        _event(publication, actor=None, action="published", from_status=S.SCHEDULED)
    return publication


def _publication_fail(publication, reason: str):
    """Mark it failed with the reason; its owner is told once the transaction commits."""
    publication.status, publication.failure_reason, publication.next_attempt_at = S.FAILED, reason[:2000], None
    publication.save(update_fields=["status", "failure_reason", "next_attempt_at", "updated_at"])
    _event(publication, actor=None, action="failed", from_status=S.SCHEDULED, comment=reason)
    transaction.on_commit(lambda: _notify_failure(publication))
    return publication


def _publication_retry_later(publication, error, *, now):
    """Keep it scheduled and try again after the platform's reset time, or after a growing pause."""
    publication.publish_attempts += 1
    wait = error.retry_after or RETRY_BACKOFF_SECONDS * 2 ** (publication.publish_attempts - 1)
    publication.next_attempt_at = now + timedelta(seconds=wait)
    publication.failure_reason = f"{error.kind}: {error}"[:2000]
    publication.save(update_fields=["publish_attempts", "next_attempt_at", "failure_reason", "updated_at"])
    _event(publication, actor=None, action="retry", from_status=S.SCHEDULED, comment=publication.failure_reason)
    return publication


def publications_publish_due(*, now=None, limit: int = 200) -> int:
    """Publish every due publication, one transaction each; returns how many were handled."""
    done = 0
    while done < limit and publication_publish_next(now=now) is not None:
        done += 1
    return done


def _notify_failure(publication):
    owner = publication.owner
    if owner is None or not owner.email:
        return
    send_mail(
        subject=f"Publication failed: {publication.content_item.title} on {publication.profile}",
        message=(
            f"The publication scheduled for {publication.scheduled_at:%Y-%m-%d %H:%M} UTC could not be sent.\n\n"
            f"Reason: {publication.failure_reason}\n\n"
            f"Open it: {settings.SITE_URL}/calendar/publishing/{publication.pk}/"
        ),
        from_email=None,
        recipient_list=[owner.email],
        fail_silently=True,
    )


# ---- feeds ------------------------------------------------------------------------------------------------------


def calendar_feed_create(*, workspace, user, kind) -> CalendarFeed:
    """Give a member a private iCal address for one calendar."""
    return CalendarFeed.objects.create(workspace=workspace, user=user, kind=kind)


def calendar_feed_revoke(*, feed) -> CalendarFeed:
    """Revoke an iCal address: it answers 404 from now on."""
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    return feed


def words_to_avoid_set(*, workspace, words) -> None:
    """Replace the workspace's own list of words to avoid."""
    from .models import WordToAvoid

    with transaction.atomic():
        WordToAvoid.objects.filter(workspace=workspace).exclude(word__in=words).delete()
        for word in words:
            WordToAvoid.objects.get_or_create(workspace=workspace, word=word)


def frequency_targets_set(*, workspace, targets: dict[str, int]) -> None:
    """Replace the workspace's posting targets (platform value -> posts per week)."""
    from .models import FrequencyTarget

    with transaction.atomic():
        FrequencyTarget.objects.filter(workspace=workspace).exclude(platform__in=list(targets)).delete()
        for platform, posts in targets.items():
            FrequencyTarget.objects.update_or_create(
                workspace=workspace, platform=platform, defaults={"posts_per_week": posts}
            )
