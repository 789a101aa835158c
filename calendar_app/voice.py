"""Brand voice checks on copy: words to avoid and each network's length limit."""

import re

from metrics.platforms import Platform
from strategy import selectors as strategy_selectors

# Characters a post may hold on each network (X counts 280; the others their own documented limits).
COPY_LIMITS = {
    Platform.X: 280,
    Platform.FACEBOOK: 63206,
    Platform.INSTAGRAM: 2200,
    Platform.LINKEDIN: 3000,
    Platform.YOUTUBE: 5000,
    Platform.TIKTOK: 2200,
    Platform.PINTEREST: 500,
    Platform.OTHER: 5000,
}


# X counts every link as 23 characters, whatever its length (it wraps them in t.co): docs.x.com "Counting characters".
LINK_WEIGHT = {Platform.X: 23}
LINK = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


def copy_length(platform: str, copy: str) -> int:
    """The copy's length as the network counts it: its characters, each link counted as the network weighs it (the
    composer's preview counts the same way, calendar_app/static/calendar_app/composer.js)."""
    weight = LINK_WEIGHT.get(platform)
    if weight is None:
        return len(copy)
    return len(LINK.sub("", copy)) + weight * len(LINK.findall(copy))


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


def words_to_avoid(*, workspace) -> list[str]:
    """The brand voice's words to avoid: one list, kept in the strategy (its "Brand voice" section)."""
    return strategy_selectors.words_to_avoid(workspace=workspace)


def copy_problems(
    *, workspace, platform: str, copy: str, avoid: list[str] | None = None, first_comment: str = ""
) -> list[str]:
    """What is wrong with this copy (and its first comment) for this network: over the limit, or a word to avoid."""
    problems = []
    if too_long := length_problem(platform, copy):
        problems.append(too_long)
    if too_long := first_comment_problem(platform, first_comment):
        problems.append(too_long)
    words = words_to_avoid(workspace=workspace) if avoid is None else avoid
    said = f"{copy}\n{first_comment}"
    found = [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", said, flags=re.IGNORECASE)]
    if found:
        problems.append("Words the brand avoids: " + ", ".join(found) + ".")
    return problems
