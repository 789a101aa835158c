"""The e-mails: one notification at once, or a member's daily digest. Plain text, times in the workspace's zone,
each with its one-click unsubscribe link and the List-Unsubscribe headers (RFC 2369, RFC 8058)."""

from itertools import groupby
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from common.site import site_url

from .kinds import KINDS, label
from .unsubscribe import unsubscribe_url


def _headers(url: str) -> dict:
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _link(notification) -> str:
    return site_url(notification.link) if notification.link.startswith("/") else notification.link


def _render(template: str, workspace, context: dict) -> str:
    with timezone.override(ZoneInfo(workspace.time_zone)):
        return render_to_string(template, {**context, "workspace": workspace, "zone": workspace.time_zone})


def immediate_message(notification, *, connection=None) -> EmailMessage:
    membership, workspace = notification.recipient, notification.workspace
    url = unsubscribe_url(membership_id=membership.pk, kinds=[notification.kind])
    text = _render(
        "notifications/email_immediate.txt",
        workspace,
        {
            "n": notification,
            "url": _link(notification) if notification.link else "",
            "kind_label": label(notification.kind),
            "unsubscribe_url": url,
            "preferences_url": site_url(reverse("notifications:preferences")),
        },
    )
    return EmailMessage(
        subject=f"[{workspace}] {notification.title}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[membership.user.email],
        headers=_headers(url),
        connection=connection,
    )


def digest_message(membership, notifications, *, connection=None) -> EmailMessage:
    workspace = membership.workspace
    ordered = sorted(notifications, key=lambda n: (list_order(n.kind), n.created_at, n.pk))
    groups = [
        {
            "label": label(kind),
            "items": [{"n": n, "url": _link(n) if n.link else ""} for n in items],
            "unsubscribe_url": unsubscribe_url(membership_id=membership.pk, kinds=[kind]),
        }
        for kind, items in groupby(ordered, key=lambda n: n.kind)
    ]
    every_kind = unsubscribe_url(membership_id=membership.pk, kinds={n.kind for n in notifications})
    count = len(notifications)
    text = _render(
        "notifications/email_digest.txt",
        workspace,
        {
            "groups": groups,
            "count": count,
            "unsubscribe_url": every_kind,
            "list_url": site_url(reverse("notifications:list")),
            "preferences_url": site_url(reverse("notifications:preferences")),
        },
    )
    return EmailMessage(
        subject=f"[{workspace}] Your daily digest: {count} notification{'' if count == 1 else 's'}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[membership.user.email],
        headers=_headers(every_kind),
        connection=connection,
    )


def list_order(kind: str) -> int:
    """Kinds in the order of kinds.KINDS, in the digest as on the preferences page."""
    return list(KINDS).index(kind) if kind in KINDS else len(KINDS)
