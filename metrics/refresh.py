"""How often a post's figures are refreshed: often while young, less as it ages, never after 90 days.

Figures move fast in a post's first hours and barely at all after a month, so the platforms'
rate limits go to what still changes.
"""

from datetime import datetime, timedelta

# (age below which the step applies, time until the next refresh)
SCHEDULE = [
    (timedelta(days=1), timedelta(hours=1)),
    (timedelta(days=7), timedelta(hours=6)),
    (timedelta(days=30), timedelta(days=1)),
    (timedelta(days=90), timedelta(days=7)),
]
REFRESH_HORIZON = SCHEDULE[-1][0]
# A profile is pulled at least this often, for its daily snapshot and its new posts.
PROFILE_PULL_INTERVAL = timedelta(hours=6)


def next_refresh_at(published_at: datetime, now: datetime) -> datetime | None:
    """When this post should be refreshed next, or None once it is too old to change."""
    age = now - published_at
    for limit, step in SCHEDULE:
        if age < limit:
            return now + step
    return None
