"""Reads of notifications: always of one membership, so a member sees only their own, in the current workspace."""

from django.core.paginator import Page, Paginator

from .kinds import KINDS
from .models import Notification
from .services import email_choices

PAGE_SIZE = 25


def unread_count(*, membership) -> int:
    """The bell's figure: one COUNT on the partial index of unread rows."""
    if membership is None:
        return 0
    return Notification.objects.filter(recipient=membership, read_at=None).count()


def notifications_page(*, membership, page: str | int | None) -> Page:
    """The member's notifications, newest first, a page at a time (an out-of-range page gives the last one)."""
    rows = Notification.objects.filter(recipient=membership).select_related("actor").order_by("-created_at", "-pk")
    return Paginator(rows, PAGE_SIZE).get_page(page)


def preferences_of(*, membership) -> dict[str, str]:
    """{kind: e-mail choice} for every kind, in the order of kinds.KINDS."""
    choices = email_choices(membership_ids=[membership.pk], kinds=list(KINDS))
    return {kind: choices[(membership.pk, kind)] for kind in KINDS}
