"""@mentions: "@" followed by a member's name or the local part of their e-mail address ("@Ann Lee", "@ann.lee")."""

import re

from accounts.models import Membership


def _pattern(name: str) -> re.Pattern:
    # Not inside a word or an address before it ("ann@x"), and the whole name after it: "@ann" is not "@anna".
    return re.compile(rf"(?<![\w@])@{re.escape(name.strip())}(?![\w-]|\.\w)", re.IGNORECASE)


def mentioned_user_ids(*, workspace, text: str) -> set[int]:
    """The workspace's members that `text` mentions (one query, none when the text has no "@").

    Where two members' names both fit after one "@" ("@Ann Lee" fits "Ann" too), the longer name is meant.
    """
    if not text or "@" not in text:
        return set()
    longest: dict[int, tuple[int, set[int]]] = {}  # where an "@" is -> (where the longest name ends, whose)
    for user_id, full_name, email in Membership.objects.filter(workspace=workspace).values_list(
        "user_id", "user__full_name", "user__email"
    ):
        for name in {n.strip() for n in (full_name, email.split("@")[0]) if n and n.strip()}:
            for match in _pattern(name).finditer(text):
                end, whose = longest.get(match.start(), (-1, set()))
                if match.end() > end:
                    longest[match.start()] = (match.end(), {user_id})
                elif match.end() == end:
                    whose.add(user_id)
    return {user_id for _, whose in longest.values() for user_id in whose}
