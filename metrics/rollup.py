"""The daily roll-up (ProfileDay): each touched local day recomputed from the raw snapshots and posts.

One module for the pull (metrics/services.py, in the transaction that writes the snapshots and posts) and for
`manage.py rollup_rebuild`. Days are recomputed, never adjusted by deltas: a refreshed post's new figures come
through the same upsert as a new post's, and the day is summed again from its rows.

The pull writes each half of a day's row where its raw rows change, two statements whatever the number of days:
a page of posts the post figures of its days (`rollup_posts`), the snapshot step the follower counts and changes
of the days it wrote and of the next known day (`rollup_snapshots`). Each keeps the other half of an existing
row; a row it creates has nothing for the other half, which holds while every writer of posts or snapshots rolls
up its own days (the pull does, in the same transaction; other writers call `rollup_days` or `rollup_profile`).
"""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, ExpressionWrapper, F, FloatField, Q, Sum
from django.db.models.functions import TruncDate

from .models import DailySnapshot, Post, ProfileDay, TrackedProfile
from .network_days import network_days_touch
from .post_upsert import upsert_rows

_NOTHING = {
    "posts": 0,
    "interactions": 0,
    "impressions": None,
    "rated_posts": 0,
    "rate_sum": 0.0,
    "viewed_posts": 0,
    "view_rate_sum": 0.0,
}
UPDATED_FIELDS = [
    "followers",
    "follower_change",
    "posts",
    "interactions",
    "impressions",
    "reach",
    "rated_posts",
    "rate_sum",
    "viewed_posts",
    "view_rate_sum",
]
COLUMNS = ["profile_id", "date", *UPDATED_FIELDS]
UNIQUE = ("profile_id", "date")
FOLLOWER_FIELDS = UPDATED_FIELDS[:2]
POST_FIELDS = UPDATED_FIELDS[2:]


def local_bounds(zone: ZoneInfo, first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00, the day after last 00:00) in the zone: the instants of the local days first..last."""
    return datetime.combine(first, time.min, tzinfo=zone), datetime.combine(
        last + timedelta(days=1), time.min, tzinfo=zone
    )


def _zone(profile: TrackedProfile) -> ZoneInfo:
    return ZoneInfo(profile.workspace.time_zone)


def post_days(profile: TrackedProfile, instants: Iterable[datetime]) -> set[date]:
    """The local days of these publication times."""
    zone = _zone(profile)
    return {instant.astimezone(zone).date() for instant in instants}


def _post_sums(profile, zone, first: date, last: date) -> dict[date, dict]:
    since, until = local_bounds(zone, first, last)
    viewed = Q(views__gt=0)
    rows = (
        Post.objects.filter(profile=profile, published_at__gte=since, published_at__lt=until)
        .annotate(day=TruncDate("published_at", tzinfo=zone))
        .order_by()
        .values("day")
        .annotate(
            # Aliases unlike the columns: an aggregate named `interactions` would hide the column from F().
            day_posts=Count("pk"),
            day_interactions=Sum("interactions"),
            day_impressions=Sum("views"),
            day_rated_posts=Count("engagement_rate"),
            day_rate_sum=Sum("engagement_rate"),
            day_viewed_posts=Count("pk", filter=viewed),
            day_view_rate_sum=Sum(
                ExpressionWrapper(F("interactions") * 1.0 / F("views"), output_field=FloatField()), filter=viewed
            ),
        )
    )
    return {row.pop("day"): {name.removeprefix("day_"): value for name, value in row.items()} for row in rows}


def _snapshots(profile, first: date, last: date) -> tuple[int | None, dict[date, int], tuple[date, int] | None]:
    """(the last count before first, the counts of first..last, the first known day after last), in one query."""
    before = DailySnapshot.objects.filter(profile=profile, date__lt=first).order_by("-date").values("pk")[:1]
    after = DailySnapshot.objects.filter(profile=profile, date__gt=last).order_by("date").values("pk")[:1]
    rows = DailySnapshot.objects.filter(
        Q(date__gte=first, date__lte=last) | Q(pk__in=before) | Q(pk__in=after), profile=profile
    ).values_list("date", "followers")
    previous, counts, following = None, {}, None
    for day, followers in sorted(rows):
        if day < first:
            previous = followers
        elif day > last:
            following = (day, followers)
        else:
            counts[day] = followers
    return previous, counts, following


def _post_values(figures: dict) -> tuple:
    """The POST_FIELDS of a day, in order; reach stays empty: no connector reads one yet."""
    return (
        figures["posts"],
        figures["interactions"] or 0,
        figures["impressions"],
        None,
        figures["rated_posts"],
        figures["rate_sum"] or 0.0,
        figures["viewed_posts"],
        figures["view_rate_sum"] or 0.0,
    )


_NO_POSTS = _post_values(_NOTHING)


def rollup_posts(profile: TrackedProfile, instants: Iterable[datetime]) -> int:
    """A pull's page: the post figures of the local days of these publication times, summed again from the
    profile's posts on them. Two statements whatever the number of days: one grouped aggregate over the
    page's days, one upsert of their rows (their follower figures kept). Returns the rows written."""
    days = post_days(profile, instants)
    if not days:
        return 0
    sums = _post_sums(profile, _zone(profile), min(days), max(days))
    rows = [(profile.pk, day, None, 0, *_post_values(figures)) for day, figures in sorted(sums.items())]
    upsert_rows(ProfileDay, COLUMNS, UNIQUE, POST_FIELDS, rows)
    network_days_touch(profile, [row[1] for row in rows])
    return len(rows)


def rollup_snapshots(profile: TrackedProfile, days: Iterable[date]) -> int:
    """A pull's snapshots: the follower count and change of each known day from the first to the last of these
    days, and the change of the next known day after them. Two statements whatever the number of days (a
    backfill's 400): one read of the snapshots, one upsert (their post figures kept). Returns the rows written."""
    days = sorted(set(days))
    if not days:
        return 0
    previous, counts, following = _snapshots(profile, days[0], days[-1])
    known = sorted(counts.items())
    if following is not None:
        known.append(following)
    rows = []
    for day, followers in known:
        rows.append((profile.pk, day, followers, followers - previous if previous is not None else 0, *_NO_POSTS))
        previous = followers
    upsert_rows(ProfileDay, COLUMNS, UNIQUE, FOLLOWER_FIELDS, rows)
    network_days_touch(profile, [row[1] for row in rows], posts=False)  # no post changed: the hours stay
    return len(rows)


def rollup_days(profile: TrackedProfile, days: Iterable[date], *, prune: bool = False, network: bool = True) -> int:
    """Recompute the profile's roll-up over the local days from the earliest to the latest of `days`, from its
    raw rows; the next known day's follower change follows. Four queries at most; returns the rows written.

    `prune` also deletes the range's rows that have nothing left to roll up (the rebuild; a pull only adds).
    `network` sums the same days of the profile's entity and network again (metrics/network_days.py); the rebuild
    of many profiles leaves it to `network_days_rebuild`, once per group.
    """
    days = sorted(set(days))
    if not days:
        return 0
    first, last = days[0], days[-1]
    zone = _zone(profile)
    sums = _post_sums(profile, zone, first, last)
    previous, counts, following = _snapshots(profile, first, last)
    rows = []
    day = first
    while day <= last:
        followers = counts.get(day)
        figures = sums.get(day) or _NOTHING
        if followers is not None or figures is not _NOTHING:
            change = 0
            if followers is not None:
                change = followers - previous if previous is not None else 0
                previous = followers
            rows.append((profile.pk, day, followers, change, *_post_values(figures)))
        day += timedelta(days=1)
    touched = {row[1] for row in rows}
    if prune:
        stale = ProfileDay.objects.filter(profile=profile, date__gte=first, date__lte=last).exclude(date__in=touched)
        touched.update(stale.values_list("date", flat=True))
        stale.delete()
    # Written out as the posts are (post_upsert): a model instance per day cost more than the statement itself.
    upsert_rows(ProfileDay, COLUMNS, UNIQUE, UPDATED_FIELDS, rows)
    if following is not None:
        next_day, next_followers = following
        change = next_followers - previous if previous is not None else 0
        ProfileDay.objects.filter(profile=profile, date=next_day).update(follower_change=change)
        touched.add(next_day)
    if network:
        network_days_touch(profile, touched)
    return len(rows)


def rollup_profile(profile: TrackedProfile, *, network: bool = True) -> int:
    """Rebuild a profile's whole roll-up from its raw rows (idempotent): every day from its first row to its last
    (and, with `network`, the same days of its entity and network)."""
    zone = _zone(profile)
    first_post = Post.objects.filter(profile=profile).order_by("published_at").values_list("published_at", flat=True)
    last_post = Post.objects.filter(profile=profile).order_by("-published_at").values_list("published_at", flat=True)
    snapshots = DailySnapshot.objects.filter(profile=profile)
    ends = [
        *(p.astimezone(zone).date() for p in (first_post.first(), last_post.first()) if p is not None),
        *(d for d in (snapshots.order_by("date").values_list("date", flat=True).first(),) if d is not None),
        *(d for d in (snapshots.order_by("-date").values_list("date", flat=True).first(),) if d is not None),
    ]
    if not ends:
        gone = ProfileDay.objects.filter(profile=profile)
        days = list(gone.values_list("date", flat=True))
        gone.delete()
        if network:
            network_days_touch(profile, days)
        return 0
    first, last = min(ends), max(ends)
    outside = ProfileDay.objects.filter(profile=profile).exclude(date__gte=first, date__lte=last)
    days = list(outside.values_list("date", flat=True))
    outside.delete()
    if network:
        network_days_touch(profile, days)
    return rollup_days(profile, [first, last], prune=True, network=network)


def rollup_profiles(profiles, *, progress=None) -> int:
    """Rebuild the roll-up of each profile, one transaction per profile (any size); returns the days written.
    `progress()` is called after each profile (the command's progress bar). Their entities' days are left to
    `network_days_rebuild` (once per group, not once per profile)."""
    from django.db import transaction

    rows = 0
    for profile in profiles.select_related("workspace").order_by("pk").iterator(chunk_size=100):
        with transaction.atomic():
            rows += rollup_profile(profile, network=False)
        if progress is not None:
            progress()
    return rows
