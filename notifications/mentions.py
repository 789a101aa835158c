"""@mentions: "@" followed by a member's name or the local part of their e-mail address ("@Ann Lee", "@ann.lee")."""

import re

from accounts.models import Membership


def _pattern(name: str) -> str:
    # Not inside a word or an address before it ("ann@x"), and the whole name: "@ann" is not "@anna".
    return rf"(?<![\w@])@{re.escape(name.strip())}(?![\w-]|\.\w)"


def mentioned_user_ids(*, workspace, text: str) -> set[int]:
    """The workspace's members that `text` mentions (one query, none when the text has no "@")."""
    if not text or "@" not in text:
        return set()
    found = set()
    for user_id, full_name, email in Membership.objects.filter(workspace=workspace).values_list(
        "user_id", "user__full_name", "user__email"
    ):
        names = [n for n in (full_name, email.split("@")[0]) if n and n.strip()]
        if any(re.search(_pattern(name), text, re.IGNORECASE) for name in names):
            found.add(user_id)
    return found
