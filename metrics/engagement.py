"""The one definition of engagement used everywhere (pages, benchmark, reports).

Per post, by followers: (likes + comments + shares or reposts) / followers on the day of posting.
It is the only rate public data allows, so it is the one that compares the brand with competitors.
For a period: the mean of its posts' rates. Posting frequency: posts per week.
By impressions (own accounts, where the platform gives views): interactions / views.
"""

DENOMINATOR_LABEL = "interactions per post ÷ followers on the day of posting"


def interactions(likes: int, comments: int, shares: int) -> int:
    """Likes + comments + shares (reposts, retweets and quotes on X)."""
    return (likes or 0) + (comments or 0) + (shares or 0)


def engagement_rate(interactions: int, followers: int | None) -> float | None:
    """Interactions divided by followers; None when the follower count is unknown or zero."""
    if not followers:
        return None
    return interactions / followers


def engagement_rate_by_views(interactions: int, views: int | None) -> float | None:
    if not views:
        return None
    return interactions / views


def posts_per_week(posts: int, days: int) -> float:
    return posts * 7 / days if days > 0 else 0.0
