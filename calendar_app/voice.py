"""Brand voice checks on copy: words to avoid and each network's length limit."""

import re

import regex

from metrics.platforms import Platform
from strategy import selectors as strategy_selectors

from .threads import MAX_PARTS, THREAD_PLATFORMS, thread_parts

# Characters a post may hold on each network (X counts 280; the others their own documented limits).
COPY_LIMITS = {
    Platform.X: 280,
    Platform.FACEBOOK: 63206,
    Platform.INSTAGRAM: 2200,
    Platform.LINKEDIN: 3000,
    Platform.YOUTUBE: 5000,
    Platform.TIKTOK: 2200,
    Platform.PINTEREST: 500,
    # Bluesky: a post's text is at most 300 graphemes (lexicon app.bsky.feed.post, `text.maxGraphemes`; docs.bsky.app
    # "Posts"). A link counts as the whole text it is written with: the record keeps it as typed.
    Platform.BLUESKY: 300,
    # Mastodon: 500 by default (docs.joinmastodon.org "Posting to your profile"); a server may set its own, and
    # mastodon.social keeps 500 (its /api/v2/instance `configuration.statuses.max_characters`).
    Platform.MASTODON: 500,
    Platform.OTHER: 5000,
}


# X counts every link as 23 characters, whatever its length (it wraps them in t.co): docs.x.com "Counting characters".
# Mastodon too: "All links are counted as 23 characters, no matter how long" (docs.joinmastodon.org "Posting to your
# profile"; `configuration.statuses.characters_reserved_per_url` of /api/v2/instance).
LINK_WEIGHT = {Platform.X: 23, Platform.MASTODON: 23}
# Networks that count user-perceived characters (Unicode extended grapheme clusters, UAX #29): a family emoji of
# seven code points, a flag of two, "é" written as e + a combining accent, each count 1. Bluesky by its lexicon
# (maxGraphemes); Mastodon's StatusLengthValidator counts `each_grapheme_cluster` too. The others count code points.
GRAPHEME_COUNTED = frozenset({Platform.BLUESKY, Platform.MASTODON})
# Mastodon counts a mention of another server's account, @alice@example.com, as @alice only ("the domain is not
# counted", docs.joinmastodon.org "Posting to your profile").
MENTION_WITHOUT_DOMAIN = frozenset({Platform.MASTODON})

LINK = regex.compile("https?://[^\\s<>\"']+", regex.IGNORECASE)  # no backslash before a quote: JavaScript reads it
# A mention with its server, as Mastodon reads one (its Account::MENTION_RE): a username of letters, digits and
# underscores (dots and hyphens inside), then @ and a domain. Group 1 is what counts: "@" and the username.
REMOTE_MENTION_PATTERN = r"(?<![=/\p{L}\p{N}_])(@[A-Za-z0-9_]+(?:[.\-]+[A-Za-z0-9_]+)*)@[\p{L}\p{N}_.\-]*[\p{L}\p{N}_]"
# A link, else a mention with its server, whichever comes first: one pass, as Mastodon extracts both.
LINK_OR_MENTION = regex.compile(f"({LINK.pattern})|{REMOTE_MENTION_PATTERN}", regex.IGNORECASE)
GRAPHEME = regex.compile(r"\X")


def counting(platform: str) -> dict:
    """How the network counts a post, for the composer's preview (calendar_app/static/calendar_app/composer.js counts
    with it, so the page and the server agree): its limit, a link's weight (None: its own length), whether it counts
    graphemes and whether a mention's domain is free."""
    return {
        "limit": COPY_LIMITS.get(platform),
        "link_weight": LINK_WEIGHT.get(platform),
        "graphemes": platform in GRAPHEME_COUNTED,
        "mentions_without_domain": platform in MENTION_WITHOUT_DOMAIN,
    }


# The patterns the preview counts with, the same as copy_length's (JavaScript reads them with the flags "giu").
PATTERNS = {"link": LINK.pattern, "link_or_mention": LINK_OR_MENTION.pattern}


def _characters(text: str, graphemes: bool) -> int:
    return len(GRAPHEME.findall(text)) if graphemes else len(text)


def copy_length(platform: str, copy: str) -> int:
    """The copy's length as the network counts it: its characters (or graphemes), each link counted as the network
    weighs it, a mention's domain left out where the network leaves it out (the composer's preview counts the same
    way, calendar_app/static/calendar_app/composer.js)."""
    weight = LINK_WEIGHT.get(platform)
    graphemes = platform in GRAPHEME_COUNTED
    pattern = LINK_OR_MENTION if platform in MENTION_WITHOUT_DOMAIN else LINK
    length, at = 0, 0
    for match in pattern.finditer(copy):
        length += _characters(copy[at : match.start()], graphemes)
        if pattern is LINK or match.group(1) is not None:  # a link
            length += weight if weight is not None else _characters(match.group(0), graphemes)
        else:  # @user@domain counts as @user
            length += _characters(match.group(2), graphemes)
        at = match.end()
    return length + _characters(copy[at:], graphemes)


def length_problem(platform: str, copy: str) -> str | None:
    """The one rule for a post too long for its network: what to tell the author, or None."""
    limit = COPY_LIMITS.get(platform)
    length = copy_length(platform, copy)
    if limit and length > limit:
        return f"{length} characters: {Platform(platform).label} allows {limit}."
    return None


# A first comment's own limit where the network sets one below the post's (its help pages: a Facebook comment takes
# 8,000 characters, a LinkedIn comment 1,250); on X it is a reply, a post like any other.
COMMENT_LIMITS = {Platform.FACEBOOK: 8000, Platform.LINKEDIN: 1250}


def first_comment_problem(platform: str, text: str) -> str | None:
    """The one rule for a first comment too long for its network: what to tell the author, or None."""
    limit = COMMENT_LIMITS.get(platform) or COPY_LIMITS.get(platform)
    length = copy_length(platform, text)
    if text and limit and length > limit:
        return f"First comment: {length} characters: a comment on {Platform(platform).label} takes {limit}."
    return None


def thread_problem(platform: str, text: str) -> str | None:
    """The one rule for a thread (calendar_app/threads.py): what to tell the author, or None."""
    parts = thread_parts(text)
    if not parts:
        return None
    if platform not in THREAD_PLATFORMS:
        label = Platform(platform).label
        return f"Threads go out on X, Bluesky and Mastodon only: {label} has no thread of the same account's posts."
    if len(parts) > MAX_PARTS:
        return f"Thread: {len(parts)} parts; a thread takes at most {MAX_PARTS}."
    for number, part in enumerate(parts, start=2):
        if too_long := length_problem(platform, part):
            return f"Thread, part {number}: {too_long}"
    return None


def words_to_avoid(*, workspace) -> list[str]:
    """The brand voice's words to avoid: one list, kept in the strategy (its "Brand voice" section)."""
    return strategy_selectors.words_to_avoid(workspace=workspace)


def copy_problems(
    *, workspace, platform: str, copy: str, avoid: list[str] | None = None, first_comment: str = "", thread: str = ""
) -> list[str]:
    """What is wrong with this copy (its first comment, its thread) for this network: over the limit, or a word to
    avoid."""
    problems = []
    if too_long := length_problem(platform, copy):
        problems.append(too_long)
    if too_long := first_comment_problem(platform, first_comment):
        problems.append(too_long)
    if wrong := thread_problem(platform, thread):
        problems.append(wrong)
    words = words_to_avoid(workspace=workspace) if avoid is None else avoid
    said = f"{copy}\n{first_comment}\n{thread}"
    found = [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", said, flags=re.IGNORECASE)]
    if found:
        problems.append("Words the brand avoids: " + ", ".join(found) + ".")
    return problems
