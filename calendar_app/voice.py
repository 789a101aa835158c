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


def words_to_avoid(*, workspace) -> list[str]:
    """The brand voice's words to avoid: one list, kept in the strategy (its "Brand voice" section)."""
    return strategy_selectors.words_to_avoid(workspace=workspace)


def copy_problems(*, workspace, platform: str, copy: str, avoid: list[str] | None = None) -> list[str]:
    """What is wrong with this copy for this network: over the limit, or using a word to avoid."""
    problems = []
    if too_long := length_problem(platform, copy):
        problems.append(too_long)
    words = words_to_avoid(workspace=workspace) if avoid is None else avoid
    found = [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", copy, flags=re.IGNORECASE)]
    if found:
        problems.append("Words the brand avoids: " + ", ".join(found) + ".")
    return problems
