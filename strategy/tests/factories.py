from datetime import UTC, date, datetime, time

from metrics.models import DailySnapshot, Post, TrackedProfile
from metrics.rollup import post_days, rollup_days


def own_profile(workspace, platform="instagram", handle="brand"):
    return TrackedProfile.objects.create(workspace=workspace, platform=platform, handle=handle, is_own=True)


def snapshot(profile, day: date, followers: int):
    """A day's follower count, rolled up as the pull does (metrics/rollup.py)."""
    created = DailySnapshot.objects.create(profile=profile, date=day, followers=followers)
    rollup_days(profile, [day])
    return created


def post(profile, day: date, *, likes=0, comments=0, shares=0, followers=1000, text="A post", external_id=None):
    interactions = likes + comments + shares
    created = Post.objects.create(
        profile=profile,
        external_id=external_id or f"{profile.pk}-{day.isoformat()}-{text}",
        published_at=datetime.combine(day, time(12), tzinfo=UTC),
        text=text,
        likes=likes,
        comments=comments,
        shares=shares,
        interactions=interactions,
        followers_at_posting=followers,
        engagement_rate=interactions / followers,
    )
    rollup_days(profile, post_days(profile, [created.published_at]))
    return created
