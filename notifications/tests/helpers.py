"""What the notifications tests share: a notification written through notify(), and the mails of a test."""

from django.core import mail

from notifications.models import Notification
from notifications.services import notify


def tell(workspace, recipients, *, kind="comment", key="event:1", title="Something happened", **extra) -> int:
    defaults = {"body": "Details.", "link": "/ideas/"}
    return notify(
        workspace=workspace, kind=kind, recipients=recipients, title=title, dedupe_key=key, **{**defaults, **extra}
    )


def of(membership):
    return list(Notification.objects.filter(recipient=membership))


def mails_to(email: str):
    return [m for m in mail.outbox if m.to == [email]]
