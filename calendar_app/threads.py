"""A thread: the posts that follow a post on X, Bluesky or Mastodon, each a reply to the one before.

The author writes them under the post (`Publication.thread`), one part after another, separated by a line that holds
only `---`. Each part is checked against the network's limit like the post itself (voice.thread_problem). Once the post is out, its parts go
out one by one (calendar_app/follow_ups.py), each replying to the part before.
"""

import re

from metrics.platforms import Platform

SEPARATOR = "---"
# The networks where a thread is the same account's replies, one under the other.
THREAD_PLATFORMS = (Platform.X, Platform.BLUESKY, Platform.MASTODON)
MAX_PARTS = 25

_SEPARATOR_LINE = re.compile(rf"^[ \t]*{re.escape(SEPARATOR)}[ \t]*$", flags=re.MULTILINE)


def thread_parts(text: str) -> list[str]:
    """The thread's parts, in order, without the empty ones."""
    return [part.strip() for part in _SEPARATOR_LINE.split(text or "") if part.strip()]
