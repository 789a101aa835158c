"""Publishing exactly once, or flagged for a person: claim, send, record; look up what a crash left open.

1. Claim, in a short transaction: lock the workspace's crisis switch, then the publication (skipping one another
   worker holds); if the switch is on the publication is paused, not sent; otherwise it becomes `sending` with a
   new attempt id and a look-up time, and that commits before anything is sent.
2. Send: one last read of the switch, then the platform call, with no transaction or lock held.
3. Record, in a short transaction, only if the publication is still this attempt's: published with its id and
   link; a definite refusal retried later (rate limit, passing fault) or failed; no answer at all (a timeout, a
   gateway error: the post may exist) left `sending` to be looked up soon.
4. Look up: a publication still `sending` at its look-up time (the platform did not answer, or the worker died
   mid-call and nobody recorded anything) is looked for on the platform: found, it is published; surely absent, it
   is sent again; when the platform cannot tell, its outcome is "unknown" and a person checks and decides. It is
   never sent again blindly.

Why the crisis switch wins: claims and the switch take the same row lock, so once switching it on has committed
no claim succeeds, and a claim that committed just before is stopped by the read of the switch right before its
call. The publications on their way at that instant are counted on the pause ("already being sent").
"""

import logging
import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from accounts.roles import Role
from metrics.connectors.base import ConnectorError, LookupNotPossible, RateLimited, TransientError
from notifications.services import notify

from .follow_ups import follow_ups_post_due, follow_ups_queue
from .models import CrisisSwitch, Publication, PublicationEvent
from .services import approval_check, approval_settings_for, crisis_switch_locked, round_restart

log = logging.getLogger(__name__)
S = Publication.Status

MAX_PUBLISH_ATTEMPTS = 5
RETRY_BACKOFF_SECONDS = 120  # then 4, 8, 16 minutes
# Unanswered sends are looked up after this much time (the platform may take a moment to show a new post), then
# at growing intervals, a few times, before a person is asked.
LOOKUP_DELAY_SECONDS = 60
MAX_LOOKUPS = 4
# A look-up searches posts created from a little before the send began: the platform's clock may differ.
CLOCK_SKEW = timedelta(minutes=2)


def sending_timeout() -> timedelta:
    """How long a send may take before its worker is presumed dead and it is looked up instead.

    Longer than any healthy publish: a few platform calls, each bounded by PLATFORM_HTTP_TIMEOUT. A send that is
    still running past it would race its own look-up, so it must not be set lower than that.
    """
    return timedelta(seconds=settings.PUBLISH_SENDING_TIMEOUT)


# ---- what is due ------------------------------------------------------------------------------------------------


def due_publication_ids(*, now=None, limit: int = 500) -> list[int]:
    """Scheduled publications whose time (and retry time) has come, oldest first, outside paused workspaces."""
    now = now or timezone.now()
    return list(
        Publication.objects.filter(status=S.SCHEDULED, scheduled_at__lte=now)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .exclude(workspace__in=CrisisSwitch.objects.filter(is_on=True).values("workspace"))
        .order_by("scheduled_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def lookups_due_ids(*, now=None, limit: int = 500) -> list[int]:
    """Publications left `sending` whose look-up time has come."""
    now = now or timezone.now()
    return list(
        Publication.objects.filter(status=S.SENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


# ---- claim, send, record ----------------------------------------------------------------------------------------


def _event(publication, *, action, from_status, to_status, comment="", actor=None):
    PublicationEvent.objects.create(
        publication=publication,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment[:2000],
    )


def _claim(publication_id: int, now) -> Publication | None:
    """Commit `sending` for one due publication, unless another worker has it, it is not due, or the switch is on."""
    workspace_id = Publication.objects.filter(pk=publication_id).values_list("workspace_id", flat=True).first()
    if workspace_id is None:
        return None
    with transaction.atomic():
        switch = crisis_switch_locked(
            workspace_id=workspace_id
        )  # first, as the crisis switch does: one lock order, no deadlock
        publication = (
            Publication.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("profile", "workspace", "owner", "content_item")
            .filter(pk=publication_id, status=S.SCHEDULED, scheduled_at__lte=now)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .first()
        )
        if publication is None:
            return None
        if switch.is_on:  # scheduled after the pause held the others (an approval racing it): hold it too
            _hold_for_pause(publication, comment="The crisis switch is on.")
            return None
        publication.status = S.SENDING
        publication.attempt_id = str(uuid.uuid4())
        publication.sending_started_at = timezone.now()
        publication.next_attempt_at = publication.sending_started_at + sending_timeout()
        publication.publish_attempts += 1
        publication.lookups = 0
        publication.save(
            update_fields=[
                "status",
                "attempt_id",
                "sending_started_at",
                "next_attempt_at",
                "publish_attempts",
                "lookups",
                "updated_at",
            ]
        )
        _event(
            publication,
            action="sending",
            from_status=S.SCHEDULED,
            to_status=S.SENDING,
            comment=f"Attempt {publication.publish_attempts}",
        )
    return publication


def _hold_for_pause(publication, *, comment: str) -> None:
    before = publication.status
    publication.status, publication.status_before_pause = S.PAUSED, S.SCHEDULED
    publication.next_attempt_at = None
    publication.save(update_fields=["status", "status_before_pause", "next_attempt_at", "updated_at"])
    _event(publication, action="paused", from_status=before, to_status=S.PAUSED, comment=comment)


def _still_mine(publication) -> Publication | None:
    """The publication locked, if it is still `sending` for this attempt (a look-up or a person may have moved it)."""
    return (
        Publication.objects.select_for_update()
        .filter(pk=publication.pk, status=S.SENDING, attempt_id=publication.attempt_id)
        .first()
    )


def _stopped_by_the_switch(publication) -> bool:
    """The last read of the switch before the call: a pause committed after this claim still stops it."""
    if not CrisisSwitch.objects.filter(workspace_id=publication.workspace_id, is_on=True).exists():
        return False
    with transaction.atomic():
        current = _still_mine(publication)
        if current is not None:
            current.publish_attempts -= 1  # it was not sent
            current.save(update_fields=["publish_attempts"])
            _hold_for_pause(current, comment="The crisis switch went on before it was sent.")
    return True


def publication_send(*, publication_id: int, now=None) -> Publication | None:
    """Send one due publication exactly once; None when there was nothing for this worker to send."""
    from media_library.signed import publication_media_addresses, publication_media_sources
    from metrics.connectors import connector_for

    publication = _claim(publication_id, now or timezone.now())
    if publication is None:
        return None
    if _stopped_by_the_switch(publication):
        return None
    try:
        result = connector_for(publication.profile).publish(
            text=publication.copy,
            media_urls=publication_media_addresses(publication),
            media=publication_media_sources(publication),
            attempt_id=publication.attempt_id,
        )
    except ConnectorError as error:
        _record_refusal(publication, error)
    except Exception as error:  # a bug or a reply nobody expected: the post may exist, so look before sending again
        log.exception("Publishing %s raised an unexpected error", publication.pk)
        _record_no_answer(publication, f"{type(error).__name__}: {error}")
    else:
        _record_published(publication, result, how="published")
    return publication


def _record_published(publication, result, *, how: str, comment: str = "") -> None:
    with transaction.atomic():
        current = (
            Publication.objects.select_for_update()
            .filter(pk=publication.pk)
            .exclude(status=S.PUBLISHED)
            .filter(attempt_id=publication.attempt_id)
            .first()
        )
        if current is None:
            return  # already recorded (a look-up found it first)
        before = current.status
        current.status, current.failure_reason, current.next_attempt_at = S.PUBLISHED, "", None
        current.external_id, current.permalink = result.external_id, result.permalink
        current.published_at = timezone.now()
        current.save(
            update_fields=[
                "status",
                "failure_reason",
                "next_attempt_at",
                "external_id",
                "permalink",
                "published_at",
                "updated_at",
            ]
        )
        _event(current, action=how, from_status=before, to_status=S.PUBLISHED, comment=comment)
        follow_ups_queue(current)  # with the post's record: a post out always has its comment on the way
    publication.status = S.PUBLISHED


def _record_refusal(publication, error: ConnectorError) -> None:
    """The platform refused or failed: retry later, look it up (when it may have gone out), or fail it."""
    reason = f"{error.kind}: {error}"
    if error.may_have_happened:
        _record_no_answer(publication, reason)
        return
    with transaction.atomic():
        current = _still_mine(publication)
        if current is None:
            return
        if isinstance(error, RateLimited | TransientError) and current.publish_attempts < MAX_PUBLISH_ATTEMPTS:
            wait = error.retry_after or RETRY_BACKOFF_SECONDS * 2 ** (current.publish_attempts - 1)
            current.status, current.failure_reason = S.SCHEDULED, reason[:2000]
            current.next_attempt_at = timezone.now() + timedelta(seconds=wait)
            current.save(update_fields=["status", "failure_reason", "next_attempt_at", "updated_at"])
            _event(current, action="retry", from_status=S.SENDING, to_status=S.SCHEDULED, comment=reason)
        else:
            if isinstance(error, RateLimited | TransientError):
                reason = f"{reason} (gave up after {MAX_PUBLISH_ATTEMPTS} attempts)"
            _fail(current, reason)
    publication.status = current.status


def _record_no_answer(publication, reason: str) -> None:
    """No answer: the post may exist. It stays `sending` and is looked up shortly, never sent again blindly."""
    with transaction.atomic():
        current = _still_mine(publication)
        if current is None:
            return
        current.failure_reason = f"No answer from the platform ({reason}); looking it up."[:2000]
        current.next_attempt_at = timezone.now() + timedelta(seconds=LOOKUP_DELAY_SECONDS)
        current.save(update_fields=["failure_reason", "next_attempt_at", "updated_at"])
        _event(current, action="no_answer", from_status=S.SENDING, to_status=S.SENDING, comment=reason)


def _fail(publication, reason: str) -> None:
    """Mark it failed with the reason; its owner and the workspace's admins and approvers are told."""
    before = publication.status
    publication.status, publication.failure_reason, publication.next_attempt_at = S.FAILED, reason[:2000], None
    publication.save(update_fields=["status", "failure_reason", "next_attempt_at", "updated_at"])
    _event(publication, action="failed", from_status=before, to_status=S.FAILED, comment=reason)
    _tell_people(publication, what="could not be sent")


# ---- look up ----------------------------------------------------------------------------------------------------


def _claim_lookup(publication_id: int, now) -> Publication | None:
    """Take one due look-up: it moves the next look-up time on, so no other worker takes it meanwhile."""
    with transaction.atomic():
        publication = (
            Publication.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("profile", "workspace", "owner", "content_item")
            .filter(pk=publication_id, status=S.SENDING, next_attempt_at__lte=now)
            .first()
        )
        if publication is None:
            return None
        publication.lookups += 1
        publication.next_attempt_at = timezone.now() + sending_timeout()
        publication.save(update_fields=["lookups", "next_attempt_at", "updated_at"])
    return publication


def publication_look_up(*, publication_id: int, now=None) -> Publication | None:
    """Find out on the platform whether a send left without an outcome went out; act on what it says."""
    from metrics.connectors import connector_for

    publication = _claim_lookup(publication_id, now or timezone.now())
    if publication is None:
        return None
    try:
        found = connector_for(publication.profile).find_published(
            text=publication.copy,
            since=publication.sending_started_at - CLOCK_SKEW,
            attempt_id=publication.attempt_id,
        )
    except (RateLimited, TransientError) as error:
        if publication.lookups < MAX_LOOKUPS:
            _look_again_later(publication, error)
        else:
            _outcome_unknown(publication, f"The platform could not be asked ({error.kind}: {error}).")
    except LookupNotPossible as error:
        _outcome_unknown(publication, str(error))
    except Exception as error:  # a failed look-up never decides anything by itself
        log.exception("Looking up publication %s failed", publication.pk)
        _outcome_unknown(publication, f"The look-up failed ({type(error).__name__}: {error}).")
    else:
        if found is not None:
            _record_published(
                publication, found, how="found_on_platform", comment="Found on the platform after the send."
            )
        else:
            _send_again(publication)
    return publication


def _look_again_later(publication, error) -> None:
    with transaction.atomic():
        current = _still_mine(publication)
        if current is not None:
            wait = max(error.retry_after or 0, LOOKUP_DELAY_SECONDS * 2**current.lookups)
            current.next_attempt_at = timezone.now() + timedelta(seconds=wait)
            current.save(update_fields=["next_attempt_at", "updated_at"])


def _send_again(publication) -> None:
    """The platform shows no such post: the send never went out, so it is scheduled again (or held by a pause)."""
    with transaction.atomic():
        switch = crisis_switch_locked(workspace_id=publication.workspace_id)
        current = _still_mine(publication)
        if current is None:
            return
        if current.publish_attempts >= MAX_PUBLISH_ATTEMPTS:
            _fail(current, f"Not on the platform after {MAX_PUBLISH_ATTEMPTS} attempts.")
            return
        current.status, current.next_attempt_at, current.failure_reason = S.SCHEDULED, None, ""
        current.save(update_fields=["status", "next_attempt_at", "failure_reason", "updated_at"])
        _event(
            current,
            action="not_on_platform",
            from_status=S.SENDING,
            to_status=S.SCHEDULED,
            comment="The platform shows no such post: it is sent again.",
        )
        if switch.is_on:
            _hold_for_pause(current, comment="The crisis switch is on.")


def _outcome_unknown(publication, reason: str) -> None:
    with transaction.atomic():
        current = _still_mine(publication)
        if current is None:
            return
        text = f"Outcome unknown: check on the platform whether it went out. {reason}"
        current.status, current.failure_reason, current.next_attempt_at = S.UNKNOWN, text[:2000], None
        current.save(update_fields=["status", "failure_reason", "next_attempt_at", "updated_at"])
        _event(current, action="outcome_unknown", from_status=S.SENDING, to_status=S.UNKNOWN, comment=reason)
        _tell_people(current, what="may or may not have gone out: check on the platform")


# ---- a person decides -------------------------------------------------------------------------------------------


def _locked(publication, *, status) -> Publication:
    current = Publication.objects.select_for_update().filter(pk=publication.pk).first()
    if current is None or current.status != status:
        raise ValidationError("This publication changed meanwhile: reload the page.")
    return current


def _an_approver_decides(publication, *, by) -> None:
    """A post held after a pause goes out (sent now or rescheduled) on an approver's decision: an approval, under the
    same rules (the role, four eyes; services.approval_check)."""
    membership = Membership.objects.filter(user=by, workspace_id=publication.workspace_id).first() if by else None
    if membership is None:
        raise PermissionDenied("Only an approver decides whether a held post goes out.")
    approval_check(publication=publication, membership=membership)


def publication_mark_published(*, publication, by, permalink: str = "") -> Publication:
    """A person saw the post on the platform: record it as published (with its link, when given)."""
    with transaction.atomic():
        current = _locked(publication, status=S.UNKNOWN)
        current.status, current.failure_reason, current.permalink = S.PUBLISHED, "", permalink
        current.published_at = current.sending_started_at or timezone.now()
        current.save(update_fields=["status", "failure_reason", "permalink", "published_at", "updated_at"])
        _event(current, action="marked_published", from_status=S.UNKNOWN, to_status=S.PUBLISHED, actor=by)
        follow_ups_queue(current)
    return current


def publication_send_again(*, publication, by) -> Publication:
    """A person checked: it did not go out. It is sent at the next minute (or held, if the switch is on)."""
    with transaction.atomic():
        switch = crisis_switch_locked(workspace_id=publication.workspace_id)
        current = _locked(publication, status=publication.status)
        if current.status not in (S.UNKNOWN, S.HELD):
            raise ValidationError("Only a publication whose outcome is unknown, or held after a pause, is sent here.")
        if current.status == S.HELD:
            _an_approver_decides(current, by=by)
        if switch.is_on:
            raise ValidationError("The crisis switch is on: nothing is sent until it is lifted.")
        before = current.status
        current.status, current.failure_reason, current.next_attempt_at = S.SCHEDULED, "", None
        current.scheduled_at, current.publish_attempts = min(current.scheduled_at or timezone.now(), timezone.now()), 0
        current.save(
            update_fields=[
                "status",
                "failure_reason",
                "next_attempt_at",
                "scheduled_at",
                "publish_attempts",
                "updated_at",
            ]
        )
        _event(current, action="send_now", from_status=before, to_status=S.SCHEDULED, actor=by)
    return current


def held_publication_reschedule(*, publication, by, scheduled_at) -> Publication:
    """A post held after a pause goes out later, at a new time, still approved."""
    if scheduled_at <= timezone.now():
        raise ValidationError({"scheduled_at": "Pick a time in the future, or send it now."})
    with transaction.atomic():
        current = _locked(publication, status=S.HELD)
        _an_approver_decides(current, by=by)
        current.status, current.scheduled_at, current.next_attempt_at = S.SCHEDULED, scheduled_at, None
        current.publish_attempts = 0
        current.save(update_fields=["status", "scheduled_at", "next_attempt_at", "publish_attempts", "updated_at"])
        _event(
            current,
            action="rescheduled",
            from_status=S.HELD,
            to_status=S.SCHEDULED,
            actor=by,
            comment=f"New time: {timezone.localtime(scheduled_at):%Y-%m-%d %H:%M}",
        )
    return current


def held_publication_back_to_review(*, publication, by, comment: str = "") -> Publication:
    """A post held after a pause needs another look (the crisis changed what it should say)."""
    with transaction.atomic():
        current = _locked(publication, status=S.HELD)
        current.status, current.first_approved_by = S.IN_REVIEW, None
        current.save(update_fields=["status", "first_approved_by", "updated_at"])
        round_restart(current)
        _event(current, action="back_to_review", from_status=S.HELD, to_status=S.IN_REVIEW, actor=by, comment=comment)
    return current


# ---- inline (tests, commands) -----------------------------------------------------------------------------------


def publications_publish_due(*, now=None, limit: int = 200) -> int:
    """Send every due publication and look up every due send, then post the first comments due, in this process;
    returns how many publications were sent."""
    now = now or timezone.now()
    for publication_id in lookups_due_ids(now=now, limit=limit):
        publication_look_up(publication_id=publication_id, now=now)
    sent = 0
    for publication_id in due_publication_ids(now=now, limit=limit):
        if publication_send(publication_id=publication_id, now=now) is not None:
            sent += 1
    follow_ups_post_due(now=max(now, timezone.now()), limit=limit)
    return sent


def _tell_people(publication, *, what: str) -> None:
    """Its owner, the admins and the approvers are told (in the transaction that records it), once per attempt."""
    approvers = [Role.ADMIN, *approval_settings_for(publication.workspace).approver_roles]
    team = Membership.objects.filter(workspace_id=publication.workspace_id, role__in=approvers).values_list(
        "user_id", flat=True
    )
    when = timezone.localtime(publication.scheduled_at, ZoneInfo(publication.workspace.time_zone))
    notify(
        workspace=publication.workspace, kind="publication_failed", recipients=[publication.owner_id, *team],
        title=f"Publication {what.split(':')[0]}: {publication.content_item.title} on {publication.profile}",
        body=f"The publication scheduled for {when:%Y-%m-%d %H:%M %Z} ({publication.workspace.time_zone}) {what}.\n\n"
        f"Reason: {publication.failure_reason}",
        link=reverse("calendar_app:publication_detail", args=[publication.pk]),
        dedupe_key=f"publication:{publication.pk}:{publication.status}:{publication.attempt_id}",
    )  # fmt: skip
