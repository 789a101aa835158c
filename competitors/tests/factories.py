from datetime import UTC, datetime

import factory

from metrics.engagement import engagement_rate, interactions
from metrics.models import DailySnapshot, Post, TrackedProfile
from metrics.rollup import post_days, rollup_days


class TrackedProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrackedProfile

    platform = "x"
    handle = factory.Sequence(lambda n: f"brand{n}")
    is_own = True


def snapshot(profile, day, followers):
    """A day's follower count, rolled up as the pull does (metrics/rollup.py)."""
    created = DailySnapshot.objects.create(profile=profile, date=day, followers=followers)
    rollup_days(profile, [day])
    return created


def post(profile, when: datetime | str, *, likes=0, comments=0, shares=0, followers=None, text="A post"):
    """A post whose interactions and engagement rate follow metrics/engagement.py, as the pull stores them."""
    if isinstance(when, str):
        when = datetime.fromisoformat(when).replace(tzinfo=UTC)
    total = interactions(likes, comments, shares)
    created = Post.objects.create(
        profile=profile,
        external_id=f"{profile.handle}-{when.timestamp():.0f}-{Post.objects.count()}",
        published_at=when,
        text=text,
        likes=likes,
        comments=comments,
        shares=shares,
        interactions=total,
        followers_at_posting=followers,
        engagement_rate=engagement_rate(total, followers),
    )
    rollup_days(profile, post_days(profile, [created.published_at]))
    return created
