"""What goes out under a published post: its first comment and its thread, each posted once, after its post, on its
own claim and retries.

A post can carry a first comment (`Publication.first_comment`: the link kept out of an Instagram caption, the
hashtags, a question to start the conversation) and, on X, Bluesky and Mastodon, a thread (`Publication.thread`,
calendar_app/threads.py). When the post is recorded published, a `FollowUp` is queued for each in the same
transaction: the first comment and the thread's first part due at once, the thread's later parts held until the part
before is posted (each replies to the one before, so it needs that one's id). Each then goes the way a post does
(calendar_app/publisher.py), on its own row, so that a follow-up that fails never sends its post again and a post never
waits for its follow-ups:

1. Claim, in a short transaction: the crisis switch's lock, then the comment's (skipping one another worker holds).
   While the switch is on nothing is claimed: the comment waits and goes once the pause is lifted.
2. Send: one last read of the switch, then the platform call (a reply on X, a comment on Facebook and Instagram),
   with no transaction or lock held.
3. Record, only if the comment is still this attempt's: posted with its id (and the thread's next part released, in
   the same transaction); a passing fault or a rate limit retried later (a few times, waiting longer each time); any
   other refusal failed, its reason kept and people told. The parts after a stopped one stay held.
4. No answer (a timeout, a gateway page), or a worker that died mid-call: the comment may be there, and no platform
   lets us look a comment up reliably, so it is never posted again by itself. Its outcome is "unknown" and a person
   checks, then posts it again or marks it posted (the post's page).

"Comment" below is any follow-up: a first comment or a thread's part.
"""

import logging
import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from metrics.connectors.base import ConnectorError, RateLimited, Refused, TransientError
from notifications.services import notify

from .models import CrisisSwitch, FollowUp, PublicationEvent
from .services import crisis_switch_locked
from .threads import MAX_PARTS, thread_parts

log = logging.getLogger(__name__)
C = FollowUp.Status

MAX_ATTEMPTS = 5
RETRY_BACKOFF_SECONDS = 120  # then 4, 8, 16 minutes


def follow_ups_queue(publication) -> list[FollowUp]:
    """In the transaction that records the post published: its first comment and its thread's parts, the first comment
    and the thread's first part to be posted now, the later parts after the part before ([] without any)."""
    if FollowUp.objects.filter(publication=publication).exists():
        return []
    texts = {FollowUp.FIRST_COMMENT: (publication.first_comment or "").strip()}
    texts |= dict(enumerate(thread_parts(publication.thread), start=1))
    now = timezone.now()
    follow_ups = []
    for position, text in texts.items():
        if not text:
            continue
        follow_up = FollowUp(publication=publication, position=position, text=text)
        if not publication.external_id:
            # Marked published by a person: the post's id on the platform is unknown, so nothing can reply to it.
            follow_up.status = C.FAILED
            follow_up.failure_reason = "The post's id on the platform is unknown (it was marked published by hand): "
            follow_up.failure_reason += "add it there by hand."
        elif position > 1:
            follow_up.status = C.HELD
        else:
            follow_up.next_attempt_at = now
        follow_ups.append(follow_up)
    return FollowUp.objects.bulk_create(follow_ups)


def _reply_to(comment) -> str:
    """The id the follow-up answers: the post (its first comment, the thread's first part) or the thread's part before."""
    if comment.position <= 1:
        return comment.publication.external_id
    before = FollowUp.objects.filter(publication_id=comment.publication_id, position=comment.position - 1)
    return before.values_list("external_id", flat=True).first() or ""


def _release_next(comment) -> None:
    """The thread's part after this one, held until now: due at once (in the transaction recording this one posted)."""
    if comment.is_first_comment:
        return
    FollowUp.objects.filter(publication_id=comment.publication_id, position=comment.position + 1, status=C.HELD).update(
        status=C.WAITING, next_attempt_at=timezone.now(), updated_at=timezone.now()
    )


# ---- what is due ------------------------------------------------------------------------------------------------


def due_ids(*, now=None, limit: int = 500) -> list[int]:
    """Follow-ups waiting whose time has come, outside paused workspaces."""
    now = now or timezone.now()
    return list(
        FollowUp.objects.filter(status=C.WAITING, next_attempt_at__lte=now)
        .exclude(publication__workspace__in=CrisisSwitch.objects.filter(is_on=True).values("workspace"))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def stranded_ids(*, now=None, limit: int = 500) -> list[int]:
    """Follow-ups left `sending` past their time: their worker died, or the platform never answered."""
    now = now or timezone.now()
    return list(
        FollowUp.objects.filter(status=C.SENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


# ---- claim, send, record ----------------------------------------------------------------------------------------


def _noun(comment, *, its: bool = True) -> str:
    """How the texts name it: "its first comment", "part 3 of its thread"."""
    if comment.is_first_comment:
        return "its first comment" if its else "first comment"
    return f"part {comment.position + 1} of {'its' if its else 'the'} thread"


def _action(comment, what: str) -> str:
    """A history line's action: first_comment_posted, thread_part_failed, ..."""
    return f"{'first_comment' if comment.is_first_comment else 'thread_part'}_{what}"


def _event(comment, *, action: str, text: str = "", actor=None) -> None:
    status = comment.publication.status
    PublicationEvent.objects.create(
        publication=comment.publication, actor=actor, action=action, from_status=status, to_status=status,
        comment=text[:2000],
    )  # fmt: skip


def _claim(comment_id: int, now) -> FollowUp | None:
    workspace_id = FollowUp.objects.filter(pk=comment_id).values_list("publication__workspace_id", flat=True).first()
    if workspace_id is None:
        return None
    from .publisher import sending_timeout

    with transaction.atomic():
        switch = crisis_switch_locked(workspace_id=workspace_id)  # the one lock order: the switch, then the row
        comment = (
            FollowUp.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("publication__profile", "publication__workspace", "publication__content_item")
            .filter(pk=comment_id, status=C.WAITING, next_attempt_at__lte=now)
            .first()
        )
        if comment is None or switch.is_on:
            return None
        comment.status, comment.attempt_id = C.SENDING, str(uuid.uuid4())
        comment.attempts += 1
        comment.next_attempt_at = timezone.now() + sending_timeout()
        comment.save(update_fields=["status", "attempt_id", "attempts", "next_attempt_at", "updated_at"])
    return comment


def _still_mine(comment) -> FollowUp | None:
    return (
        FollowUp.objects.select_for_update()
        .select_related("publication__workspace", "publication__content_item", "publication__profile")
        .filter(pk=comment.pk, status=C.SENDING, attempt_id=comment.attempt_id)
        .first()
    )


def _stopped_by_the_switch(comment) -> bool:
    """The last read of the switch before the call: a pause committed after the claim still holds the comment."""
    if not CrisisSwitch.objects.filter(workspace_id=comment.publication.workspace_id, is_on=True).exists():
        return False
    with transaction.atomic():
        current = _still_mine(comment)
        if current is not None:
            current.status, current.attempts = C.WAITING, current.attempts - 1  # it was not sent
            current.next_attempt_at = timezone.now()
            current.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
    return True


def follow_up_send(*, comment_id: int, now=None) -> FollowUp | None:
    """Post one due follow-up, once; None when there was nothing for this worker to post."""
    from metrics.connectors import connector_for

    comment = _claim(comment_id, now or timezone.now())
    if comment is None or _stopped_by_the_switch(comment):
        return None
    publication, reply_to = comment.publication, _reply_to(comment)
    try:
        if not reply_to:
            raise Refused("What it answers has no id on the platform: post it there by hand.")
        external_id = connector_for(publication.profile).comment(post_id=reply_to, text=comment.text)
    except ConnectorError as error:
        _record_refusal(comment, error)
    except Exception as error:  # a bug or a reply nobody expected: the comment may be there
        log.exception("Posting the follow-up %s raised an unexpected error", comment.pk)
        _record_unknown(comment, f"{type(error).__name__}: {error}")
    else:
        _record_posted(comment, external_id)
    comment.refresh_from_db(fields=["status"])
    return comment


def _record_posted(comment, external_id: str) -> None:
    with transaction.atomic():
        current = _still_mine(comment)
        if current is None:
            return
        current.status, current.external_id, current.failure_reason = C.POSTED, external_id, ""
        current.posted_at, current.next_attempt_at = timezone.now(), None
        current.save(update_fields=["status", "external_id", "failure_reason", "posted_at", "next_attempt_at",
                                    "updated_at"])  # fmt: skip
        _event(current, action=_action(current, "posted"), text=current.text)
        _release_next(current)


def _record_refusal(comment, error: ConnectorError) -> None:
    reason = f"{error.kind}: {error}"
    if error.may_have_happened:
        _record_unknown(comment, reason)
        return
    with transaction.atomic():
        current = _still_mine(comment)
        if current is None:
            return
        if isinstance(error, RateLimited | TransientError) and current.attempts < MAX_ATTEMPTS:
            wait = error.retry_after or RETRY_BACKOFF_SECONDS * 2 ** (current.attempts - 1)
            current.status, current.failure_reason = C.WAITING, reason[:2000]
            current.next_attempt_at = timezone.now() + timedelta(seconds=wait)
            current.save(update_fields=["status", "failure_reason", "next_attempt_at", "updated_at"])
            return
        if isinstance(error, RateLimited | TransientError):
            reason = f"{reason} (gave up after {MAX_ATTEMPTS} attempts)"
        _stop(current, C.FAILED, reason, what="could not be posted")


def _record_unknown(comment, reason: str) -> None:
    with transaction.atomic():
        current = _still_mine(comment)
        if current is not None:
            text = f"No answer from the platform ({reason}): check whether {_noun(current)} is under the post."
            _stop(current, C.UNKNOWN, text, what="may or may not have been posted: check under the post")


def follow_up_stranded(*, comment_id: int, now=None) -> FollowUp | None:
    """A comment still `sending` past its time (its worker died mid-call): never posted again blindly, a person is
    asked."""
    now = now or timezone.now()
    with transaction.atomic():
        current = (
            FollowUp.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("publication__workspace", "publication__content_item", "publication__profile")
            .filter(pk=comment_id, status=C.SENDING, next_attempt_at__lte=now)
            .first()
        )
        if current is None:
            return None
        text = f"Its worker stopped during the call to the platform: check whether {_noun(current)} is under the post."
        _stop(current, C.UNKNOWN, text, what="may or may not have been posted: check under the post")
    return current


def _stop(comment, status, reason: str, *, what: str) -> None:
    comment.status, comment.failure_reason, comment.next_attempt_at = status, reason[:2000], None
    comment.save(update_fields=["status", "failure_reason", "next_attempt_at", "updated_at"])
    _event(comment, action=_action(comment, status), text=reason)
    _tell_people(comment, what=what)


def _tell_people(comment, *, what: str) -> None:
    """The post's owner, the admins and the approvers, as for the post itself (publisher._tell_people)."""
    from accounts.models import Membership
    from accounts.roles import Role

    from .services import approval_settings_for

    publication = comment.publication
    approvers = [Role.ADMIN, *approval_settings_for(publication.workspace).approver_roles]
    team = Membership.objects.filter(workspace_id=publication.workspace_id, role__in=approvers).values_list(
        "user_id", flat=True
    )
    notify(
        workspace=publication.workspace, kind="publication_failed", recipients=[publication.owner_id, *team],
        title=f"{_noun(comment, its=False).capitalize()} {what.split(':')[0]}: {publication.content_item.title} on "
        f"{publication.profile}",
        body=f"The post is out; {_noun(comment)} {what}.\n\nReason: {comment.failure_reason}",
        link=reverse("calendar_app:publication_detail", args=[publication.pk]),
        dedupe_key=f"first-comment:{comment.pk}:{comment.status}:{comment.attempt_id}",
    )  # fmt: skip


# ---- a person decides -------------------------------------------------------------------------------------------


def _locked(comment, *statuses) -> FollowUp:
    current = FollowUp.objects.select_for_update().select_related("publication").filter(pk=comment.pk).first()
    if current is None or current.status not in statuses:
        raise ValidationError(f"{_noun(comment, its=False).capitalize()} changed meanwhile: reload the page.")
    return current


def follow_up_post_again(*, comment, by) -> FollowUp:
    """A person checked: the comment is not under the post (or failed for a reason now fixed). It is posted at the
    next tick."""
    with transaction.atomic():
        current = _locked(comment, C.FAILED, C.UNKNOWN)
        if not current.publication.external_id:
            raise ValidationError(f"The post's id on the platform is unknown: add {_noun(current)} there by hand.")
        if not _reply_to(current):
            raise ValidationError("The thread's part before has no id on the platform: post the rest there by hand.")
        current.status, current.attempts, current.failure_reason = C.WAITING, 0, ""
        current.next_attempt_at = timezone.now()
        current.save(update_fields=["status", "attempts", "failure_reason", "next_attempt_at", "updated_at"])
        _event(current, action=_action(current, "post_again"), actor=by)
    return current


def follow_up_mark_posted(*, comment, by) -> FollowUp:
    """A person saw the comment under the post (or added it by hand). Its id on the platform stays unknown, so the
    thread's later parts cannot reply to it: they are left to be posted by hand, and said so."""
    with transaction.atomic():
        current = _locked(comment, C.FAILED, C.UNKNOWN)
        current.status, current.failure_reason, current.posted_at = C.POSTED, "", timezone.now()
        current.save(update_fields=["status", "failure_reason", "posted_at", "updated_at"])
        _event(current, action=_action(current, "marked_posted"), actor=by)
        if not current.is_first_comment:
            later = FollowUp.objects.filter(
                publication_id=current.publication_id, position__gt=current.position, status=C.HELD
            )
            reason = f"Part {current.position + 1} was marked posted by hand, so its id on the platform is unknown and "
            reason += "this part cannot reply to it: post the rest of the thread there by hand."
            later.update(status=C.FAILED, failure_reason=reason, updated_at=timezone.now())
    return current


# ---- inline (tests, commands) -----------------------------------------------------------------------------------


def follow_ups_post_due(*, now=None, limit: int = 200) -> int:
    """Ask about every stranded comment and post every due one, in this process, a thread's parts one after the
    other (each posted part releases the next); returns how many were posted."""
    now = now or timezone.now()
    for comment_id in stranded_ids(now=now, limit=limit):
        follow_up_stranded(comment_id=comment_id, now=now)
    posted, tried = 0, set()
    for _round in range(MAX_PARTS + 1):
        due = [pk for pk in due_ids(now=max(now, timezone.now()), limit=limit) if pk not in tried]
        for comment_id in due:
            comment = follow_up_send(comment_id=comment_id, now=max(now, timezone.now()))
            posted += comment is not None and comment.status == C.POSTED
        tried.update(due)
        if not due:
            break
    return posted
