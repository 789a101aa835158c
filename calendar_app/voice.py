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


def words_to_avoid(*, workspace) -> list[str]:
    """The brand voice's words to avoid: one list, kept in the strategy (its "Brand voice" section)."""
    return strategy_selectors.words_to_avoid(workspace=workspace)


def copy_problems(*, workspace, platform: str, copy: str, avoid: list[str] | None = None) -> list[str]:
    """What is wrong with this copy for this network: over the limit, or using a word to avoid."""
    problems = []
    limit = COPY_LIMITS.get(platform)
    if limit and len(copy) > limit:
        problems.append(f"The copy is {len(copy)} characters; {Platform(platform).label} allows {limit}.")
    words = words_to_avoid(workspace=workspace) if avoid is None else avoid
    found = [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", copy, flags=re.IGNORECASE)]
    if found:
        problems.append("Words the brand avoids: " + ", ".join(found) + ".")
    return problems
