"""Writes of notifications: notify (called by every app's services), reading, preferences, and the e-mails.

`notify` is called inside the caller's transaction: its rows, and the outbox's row for the e-mail, are written in
that transaction and vanish with it if it rolls back; the e-mail is handed to the task queue once it commits
(outbox.services.action_queue), so a broker that is down delays it and loses nothing. Each e-mail is claimed
before it is sent (`emailed_at` set by a conditional UPDATE): a task run twice, or a digest run racing
another, sends it once. A mail server that fails gives the claim back, for the next try.
"""

import contextlib
import logging
from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, User
from outbox.services import action_queue

from . import emails
from .kinds import KINDS, Email
from .kinds import kind as kind_info
from .mentions import mentioned_user_ids
from .models import Notification, Preference

logger = logging.getLogger(__name__)

EMAIL_ACTION = "notifications.email"  # outbox.registry
MENTION = "mention"
# Seconds an SMTP call may take (connecting included) before it counts as failed, unless EMAIL_TIMEOUT says.
SMTP_TIMEOUT = 30


def _user_id(recipient) -> int | None:
    if recipient is None:
        return None
    if isinstance(recipient, Membership):
        return recipient.user_id
    if isinstance(recipient, User):
        return recipient.pk
    return int(recipient)


def email_choices(*, membership_ids, kinds) -> dict[tuple[int, str], str]:
    """{(membership id, kind): e-mail choice} for these members and kinds, defaults included (one query)."""
    chosen = {
        (m, k): e
        for m, k, e in Preference.objects.filter(membership_id__in=membership_ids, kind__in=kinds).values_list(
            "membership_id", "kind", "email"
        )
    }
    return {(m, k): chosen.get((m, k), KINDS[k].email) for m in membership_ids for k in kinds}


def notify(
    *, workspace, kind: str, recipients, title: str, body: str = "", link: str = "", actor=None, dedupe_key: str,
    mentions: str = "",
) -> int:  # fmt: skip
    """Tell `recipients` (users or memberships; those not members of `workspace` are left out) about one event.

    Call it inside the service's transaction. `dedupe_key` names the event ("publication:42:approved:event7"): a
    member is never told of the same event twice. The actor is not told of their own action. The members that
    `mentions` (a comment's text) @mentions are told too, as a mention. Returns how many members are addressed.
    """
    kind_info(kind)  # an unknown kind fails here, in the service that names it
    user_ids = {uid for uid in map(_user_id, recipients) if uid is not None}
    mentioned = mentioned_user_ids(workspace=workspace, text=mentions) - user_ids
    actor_id = _user_id(actor)
    members = list(
        Membership.objects.filter(workspace=workspace, user_id__in=user_ids | mentioned, user__is_active=True)
        .exclude(user_id=actor_id)
        .only("pk", "user_id")
    )
    if not members:
        return 0
    kind_of = {m.pk: kind if m.user_id in user_ids else MENTION for m in members}
    choices = email_choices(membership_ids=list(kind_of), kinds=sorted(set(kind_of.values())))
    title = title.strip()[:200]
    Notification.objects.bulk_create(
        [
            Notification(
                workspace=workspace,
                recipient_id=m.pk,
                kind=kind_of[m.pk],
                title=title if kind_of[m.pk] == kind else f"You were mentioned: {title}"[:200],
                body=body.strip(),
                link=link,
                actor_id=actor_id,
                dedupe_key=dedupe_key[:200],
                email=choices[(m.pk, kind_of[m.pk])],
            )
            for m in members
        ],
        ignore_conflicts=True,  # the same event again: the notification it made stays, once
    )
    immediate = list(
        Notification.objects.filter(
            recipient__in=list(kind_of), dedupe_key=dedupe_key[:200], email=Email.IMMEDIATE, emailed_at=None
        ).values_list("pk", flat=True)
    )
    if immediate:
        action_queue(
            workspace=workspace,
            name=EMAIL_ACTION,
            arguments={"notification_ids": sorted(immediate)},
            requested_by=actor,
        )
    return len(members)


# ---- reading ----------------------------------------------------------------------------------------------------


def notification_open(*, membership, pk: int) -> Notification | None:
    """The member's notification, marked read; None when it is not theirs (another member's, another workspace's)."""
    notification = Notification.objects.filter(recipient=membership, pk=pk).first()
    if notification is not None and notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=pk, read_at=None).update(read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, membership) -> int:
    return Notification.objects.filter(recipient=membership, read_at=None).update(read_at=timezone.now())


# ---- preferences ------------------------------------------------------------------------------------------------


def preferences_set(*, membership, choices: dict[str, str]) -> dict[str, str]:
    """Set the member's e-mail choice for each kind given; returns the choices they had before.

    A change applies to what comes next. Turning a kind's e-mail off also stops its e-mails still waiting (the
    digest's, an immediate one not sent yet); turning it on does not e-mail what came before.
    """
    previous = email_choices(membership_ids=[membership.pk], kinds=list(choices))
    with transaction.atomic():
        for kind, email in choices.items():
            kind_info(kind)
            if email not in Email.values:
                raise ValueError(f"{email!r} is not an e-mail choice")
            Preference.objects.update_or_create(membership=membership, kind=kind, defaults={"email": email})
            if email == Email.OFF:
                Notification.objects.filter(recipient=membership, kind=kind, emailed_at=None).exclude(
                    email=Email.OFF
                ).update(email=Email.OFF)
    return {kind: previous[(membership.pk, kind)] for kind in choices}


def unsubscribe(*, membership, kinds) -> dict[str, str]:
    """The e-mail's one click: no more e-mail of these kinds. Returns the choices before, for the undo."""
    return preferences_set(membership=membership, choices=dict.fromkeys(kinds, Email.OFF))


def unsubscribe_undo(*, membership, previous: dict[str, str]) -> None:
    """Put back the choices the unsubscribe replaced; a kind that was already off gets its default, or the digest."""
    restored = {}
    for kind, email in previous.items():
        if kind not in KINDS:
            continue
        if email not in Email.values or email == Email.OFF:
            email = KINDS[kind].email if KINDS[kind].email != Email.OFF else Email.DIGEST
        restored[kind] = email
    preferences_set(membership=membership, choices=restored)


# ---- e-mails ----------------------------------------------------------------------------------------------------


def _connection():
    return get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or SMTP_TIMEOUT)


def _claim(notification_ids, *, email: str, at: datetime) -> list[int]:
    """Take each notification for this run with a conditional UPDATE: a row another run took is left to it."""
    return [
        pk
        for pk in notification_ids
        if Notification.objects.filter(pk=pk, email=email, emailed_at=None).update(emailed_at=at)
    ]


def _give_back(notification_ids, *, at: datetime) -> None:
    Notification.objects.filter(pk__in=notification_ids, emailed_at=at).update(emailed_at=None)


def emails_send_immediate(*, notification_ids) -> tuple[int, int]:
    """E-mail each of these notifications that is still to be e-mailed at once; returns (sent, failed).

    Call it outside any transaction: each claim commits before its mail is sent, and a failed send gives it back.
    """
    rows = Notification.objects.filter(
        pk__in=notification_ids, email=Email.IMMEDIATE, emailed_at=None, recipient__user__is_active=True
    )
    rows = rows.select_related("workspace", "recipient__user", "actor").order_by("pk")
    sent = failed = 0
    connection = None
    try:
        for notification in rows:
            at = timezone.now()
            if not _claim([notification.pk], email=Email.IMMEDIATE, at=at):
                continue  # another run sends it, or sent it
            connection = connection or _connection()
            try:
                emails.immediate_message(notification, connection=connection).send()
            except Exception as error:
                logger.warning("Notification %s not e-mailed: %s", notification.pk, error)
                _give_back([notification.pk], at=at)
                failed += 1
            else:
                sent += 1
    finally:
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.close()
    return sent, failed


def last_digest_moment(*, workspace, now: datetime) -> datetime:
    """The latest time of day NOTIFICATIONS_DIGEST_HOUR, in the workspace's zone, at or before `now`."""
    zone = ZoneInfo(workspace.time_zone)
    local = now.astimezone(zone)
    moment = datetime.combine(local.date(), time(settings.NOTIFICATIONS_DIGEST_HOUR), tzinfo=zone)
    return moment if moment <= local else moment - timedelta(days=1)


def digests_send(*, now: datetime | None = None) -> int:
    """The daily digest (beat, hourly): each member gets one e-mail with their notifications waiting for it.

    A workspace's digest holds what came before the digest hour of its own time zone, so members get it once a
    day at that hour; a run missed (the workers were down) is caught up by the next one. Returns mails sent.
    """
    now = now or timezone.now()
    waiting = Notification.objects.filter(email=Email.DIGEST, emailed_at=None, recipient__user__is_active=True)
    waiting = waiting.select_related("workspace", "actor")
    by_member: dict[int, list[Notification]] = defaultdict(list)
    moments: dict[int, datetime] = {}
    for notification in waiting.order_by("created_at", "pk"):
        workspace = notification.workspace
        if workspace.pk not in moments:
            moments[workspace.pk] = last_digest_moment(workspace=workspace, now=now)
        if notification.created_at < moments[workspace.pk]:
            by_member[notification.recipient_id].append(notification)
    sent = 0
    connection = None
    try:
        for membership_id, notifications in by_member.items():
            at = timezone.now()
            claimed = set(_claim([n.pk for n in notifications], email=Email.DIGEST, at=at))
            mine = [n for n in notifications if n.pk in claimed]
            if not mine:
                continue
            membership = Membership.objects.select_related("user", "workspace").get(pk=membership_id)
            connection = connection or _connection()
            try:
                emails.digest_message(membership, mine, connection=connection).send()
            except Exception as error:
                logger.warning("Digest of membership %s not e-mailed: %s", membership_id, error)
                _give_back(claimed, at=at)
            else:
                sent += 1
    finally:
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.close()
    return sent
