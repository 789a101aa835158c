"""When to pull again: how often a post's figures are refreshed, how long a failed pull waits, and when a run
whose worker went quiet counts as abandoned.

Figures move fast in a post's first hours and barely at all after a month, so the platforms'
rate limits go to what still changes.
"""

import random
from datetime import datetime, timedelta

from django.conf import settings

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

# Retries (see retry_wait for the rule).
MIN_RETRY_WAIT = timedelta(seconds=60)
DEFAULT_RATE_LIMIT_WAIT = timedelta(minutes=15)  # a rate limit that names no reset: most windows are 15 minutes
BACKOFF_BASE = 60  # seconds
BACKOFF_CAP = 300  # seconds: a short blip is retried within minutes, a longer outage waits for the schedule
QUICK_RETRIES = 3  # transient failures in a row retried on the backoff; after that, the normal schedule
# The longest wait a task may spend in the broker as a Celery countdown. Redis redelivers an unacknowledged
# message after its visibility timeout (1 hour): a countdown near it would run twice, so longer waits are
# kept in the database (the profile's next_pull_at) and picked up by the beat fan-out.
MAX_COUNTDOWN = timedelta(minutes=5)


def next_refresh_at(published_at: datetime, now: datetime) -> datetime | None:
    """When this post should be refreshed next, or None once it is too old to change."""
    age = now - published_at
    for limit, step in SCHEDULE:
        if age < limit:
            return now + step
    return None


def rate_limit_wait(retry_after: float | None) -> timedelta:
    """How long a rate-limited pull waits: the platform's reset, but never less than MIN_RETRY_WAIT.

    A reset already past or only a second away usually means that our clock and the platform's differ;
    asking again at once would be refused again and spend what is left of the budget.
    """
    if retry_after is None:
        return DEFAULT_RATE_LIMIT_WAIT
    return max(MIN_RETRY_WAIT, timedelta(seconds=retry_after))


def transient_backoff(failures: int) -> timedelta | None:
    """The wait before retrying after the `failures`-th transient failure in a row, or None once the quick
    retries are spent (the profile then waits for its normal schedule).

    Full jitter between half the base and an exponentially growing cap (60 s, 120 s, 240 s, at most
    BACKOFF_CAP), so that the retries of many workers hit a recovering platform spread out.
    """
    if failures < 1 or failures > QUICK_RETRIES:
        return None
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (failures - 1))
    return timedelta(seconds=random.uniform(BACKOFF_BASE / 2, ceiling))


def heartbeat_stale_after() -> timedelta:
    """How long a running pull may go without a heartbeat before it counts as abandoned (its worker died).

    A live worker moves the heartbeat after every platform call it commits: the profile, then each page.
    One call can take the connect timeout plus the read timeout (2 x PLATFORM_HTTP_TIMEOUT); twice that, plus
    a minute for a slow database or a busy machine, is more than any live worker needs (2 minutes at 15 s).
    """
    return timedelta(seconds=4 * settings.PLATFORM_HTTP_TIMEOUT + 60)
