"""The signed tokens of the e-mails' unsubscribe links: a membership and the kinds to stop, no login needed.

The token never expires (an old e-mail's link still works); it can only switch off, and undo, the e-mails of
the kinds it names for the membership it names.
"""

from django.core import signing
from django.urls import reverse

from common.site import site_url

from .kinds import KINDS

SALT = "notifications.unsubscribe"


def token_for(*, membership_id: int, kinds) -> str:
    return signing.dumps({"m": membership_id, "k": sorted(set(kinds))}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[int, list[str]] | None:
    """(membership id, kinds), or None for a forged, altered or meaningless token."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("m"), int) or not isinstance(data.get("k"), list):
        return None
    kinds = [k for k in data["k"] if k in KINDS]
    return (data["m"], kinds) if kinds else None


def unsubscribe_url(*, membership_id: int, kinds) -> str:
    return site_url(reverse("notifications:unsubscribe", args=[token_for(membership_id=membership_id, kinds=kinds)]))
