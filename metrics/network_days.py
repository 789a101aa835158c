"""The roll-up per entity and network (metrics.NetworkDay), summed from the profiles' days (metrics.ProfileDay).

Written with the profiles' days, in their transaction (metrics/rollup.py calls `network_days_touch`), again when a
profile changes group (`network_days_regroup`: it stops, resumes or is linked to a competitor), and by
`manage.py rollup_rebuild` (`network_days_rebuild`). A group is an entity's profiles on one network, active or
stopped (metrics.EntityNetwork); its days are recomputed, never adjusted by deltas:

1. the group's row is inserted if new (ON CONFLICT DO NOTHING) and locked (SELECT ... FOR UPDATE), several
   groups in key order: one order, no deadlock. A pull first locks its profile's row (FOR NO KEY UPDATE), as a
   change of group does by updating it, so the group it rolls up into is the committed one;
2. then, in statements that start after the lock (READ COMMITTED: each sees what committed before it), the
   touched days are summed again from ProfileDay, and the running followers of every later day of the group are
   carried on from the day before the first touched one, as the last committed writer left it;
3. where posts may have changed (not a snapshot step), the touched days' hours (metrics.NetworkHour) are summed
   again from the group's posts (metrics/network_hours.py).

Pulls of different profiles of one network wait for each other only for these few statements; no lock is held
across a platform call (the pull commits before each call).
"""

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from functools import reduce
from operator import or_
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Sum

from accounts.models import Workspace

from .models import EntityNetwork, NetworkDay, ProfileDay, TrackedProfile, entity_competitor_id, entity_key
from .network_hours import hour_sums, hours_rewrite
from .post_upsert import upsert_rows

GroupKey = tuple[str, str, bool]  # (entity, platform, active)
DAY_FIELDS = [
    "followers_first",
    "profiles_first",
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
UPDATED_FIELDS = ["followers", "profiles_counted", *DAY_FIELDS]
COLUMNS = ["entity_network_id", "date", *UPDATED_FIELDS]
# Up to this many days a sum reads the days themselves; more (a backfill, the rebuild), the range between them.
LISTED_DAYS = 62


def entity_of(*, is_own: bool, competitor_id: int | None) -> str | None:
    """The benchmark's key of a profile's entity: "brand", "c<competitor pk>", or None (followed for no one)."""
    if is_own:
        return EntityNetwork.BRAND
    return None if competitor_id is None else entity_key(competitor_id)


def entities_filter(entities: Iterable[str], prefix: str = "") -> Q:
    """The groups (EntityNetwork rows, or rows `prefix`ed to them) of these entity keys."""
    keys = set(entities)
    chosen = Q(**{f"{prefix}competitor_id__in": [entity_competitor_id(k) for k in keys if k != EntityNetwork.BRAND]})
    if EntityNetwork.BRAND in keys:
        chosen |= Q(**{f"{prefix}competitor__isnull": True})
    return chosen


def _order(key: GroupKey) -> tuple:
    """The lock order of the groups, as the database sorts them (the brand first, then by competitor)."""
    entity, platform, active = key
    return (entity_competitor_id(entity) or 0, platform, active)


def profile_groups(ids: Iterable[int], *, lock: bool = False) -> dict[int, tuple[int, GroupKey] | None]:
    """Each profile's (workspace id, group key), None when it belongs to no entity; `lock` takes the profiles' rows
    (FOR NO KEY UPDATE: a change of group waits, the inserts of their days do not)."""
    rows = TrackedProfile.objects.filter(pk__in=list(ids)).order_by("pk")
    if lock:
        rows = rows.select_for_update(no_key=True, of=("self",))
    fields = ("pk", "workspace_id", "is_own", "platform", "is_active", "competitor_link__competitor_id")
    groups = {}
    for pk, workspace_id, is_own, platform, active, competitor_id in rows.values_list(*fields):
        entity = entity_of(is_own=is_own, competitor_id=competitor_id)
        groups[pk] = None if entity is None else (workspace_id, (entity, platform, active))
    return groups


def _members(workspace_id: int, key: GroupKey) -> Q:
    """The ProfileDay rows of the group's profiles."""
    entity, platform, active = key
    members = Q(profile__workspace_id=workspace_id, profile__platform=platform, profile__is_active=active)
    if entity == EntityNetwork.BRAND:
        return members & Q(profile__is_own=True)
    return members & Q(profile__is_own=False, profile__competitor_link__competitor_id=int(entity.removeprefix("c")))


def _day_sums(workspace_id: int, key: GroupKey, days: set[date]) -> dict[date, tuple]:
    """The DAY_FIELDS of each of `days` that has profile days, summed over the group's profiles, in one query."""
    in_days = Q(date__in=sorted(days)) if len(days) <= LISTED_DAYS else Q(date__gte=min(days), date__lte=max(days))
    earlier = ProfileDay.objects.filter(profile=OuterRef("profile"), date__lt=OuterRef("date"), followers__isnull=False)
    first = Q(followers__isnull=False, counted_before=False)  # the profile's first known count
    rows = (
        ProfileDay.objects.filter(_members(workspace_id, key), in_days)
        .alias(counted_before=Exists(earlier))
        .order_by()
        .values("date")
        .annotate(
            # Aliases unlike the columns (an aggregate named as a column would hide it), in DAY_FIELDS' order.
            day_followers_first=Sum("followers", filter=first),
            day_profiles_first=Count("pk", filter=first),
            day_follower_change=Sum("follower_change"),
            day_posts=Sum("posts"),
            day_interactions=Sum("interactions"),
            day_impressions=Sum("impressions"),
            day_reach=Sum("reach"),
            day_rated_posts=Sum("rated_posts"),
            day_rate_sum=Sum("rate_sum"),
            day_viewed_posts=Sum("viewed_posts"),
            day_view_rate_sum=Sum("view_rate_sum"),
        )
    )
    sums = {}
    for row in rows:
        if row["date"] in days:
            values = [row[f"day_{name}"] for name in DAY_FIELDS]
            values[0] = values[0] or 0  # no first count that day
            sums[row["date"]] = tuple(values)
    return sums


def _rewrite(group: EntityNetwork, days: set[date], sums: dict[date, tuple]) -> int:
    """The group's rows from the first of `days` on: `days` from `sums` (a day without profile days goes), the
    later days as they are, every running total carried on from the day before. Writes only the rows that change;
    returns how many."""
    first = min(days)
    before = (
        NetworkDay.objects.filter(entity_network=group, date__lt=first)
        .order_by("-date")
        .values_list("followers", "profiles_counted")
        .first()
    )
    followers, counted = (before[0] or 0, before[1]) if before else (0, 0)
    stored = {
        row[0]: row[1:]
        for row in NetworkDay.objects.filter(entity_network=group, date__gte=first).values_list("date", *UPDATED_FIELDS)
    }
    rows, gone = [], []
    for day in sorted(set(stored) | set(sums)):
        figures = sums.get(day) if day in days else stored[day][2:]
        if figures is None:
            gone.append(day)
            continue
        followers += figures[0] + figures[2]  # the first counts and the changes
        counted += figures[1]
        row = (followers if counted else None, counted, *figures)
        if stored.get(day) != row:
            rows.append((group.pk, day, *row))
    if gone:
        NetworkDay.objects.filter(entity_network=group, date__in=gone).delete()
    upsert_rows(NetworkDay, COLUMNS, ("entity_network_id", "date"), UPDATED_FIELDS, rows)
    return len(rows) + len(gone)


def _locked_groups(workspace_id: int, keys: Iterable[GroupKey]) -> dict[GroupKey, EntityNetwork]:
    """The groups' rows, inserted if new, then locked in key order (the brand, the competitors; network; active)."""
    keys = sorted(set(keys), key=_order)
    EntityNetwork.objects.bulk_create(
        [
            EntityNetwork(workspace_id=workspace_id, competitor_id=entity_competitor_id(e), platform=p, active=a)
            for e, p, a in keys
        ],
        ignore_conflicts=True,
    )
    chosen = reduce(or_, (entities_filter([e]) & Q(platform=p, active=a) for e, p, a in keys))
    locked = (
        EntityNetwork.objects.select_for_update()
        .filter(chosen, workspace_id=workspace_id)
        .order_by(F("competitor_id").asc(nulls_first=True), "platform", "active")
    )
    return {(g.entity, g.platform, g.active): g for g in locked}


def _recompute(workspace_id: int, days_by_group: dict[GroupKey, set[date]], *, posts: bool = True, zone=None) -> int:
    """Lock the groups, then sum their days again and carry their running totals on; with `posts` (their posts may
    have changed), their hours too (metrics/network_hours.py, in the workspace's `zone`). Returns the rows written."""
    days_by_group = {key: days for key, days in days_by_group.items() if days}
    if not days_by_group:
        return 0
    if posts and zone is None:
        zone = ZoneInfo(Workspace.objects.values_list("time_zone", flat=True).get(pk=workspace_id))
    written = 0
    with transaction.atomic():
        groups = _locked_groups(workspace_id, days_by_group)
        for key in sorted(days_by_group, key=_order):
            days = days_by_group[key]
            written += _rewrite(groups[key], days, _day_sums(workspace_id, key, days))
            if posts:
                written += hours_rewrite(groups[key], days, hour_sums(_members(workspace_id, key), zone, days))
    return written


def network_days_touch(profile: TrackedProfile, days: Iterable[date], *, posts: bool = True) -> int:
    """A profile's days were written (a pull, rollup_days): its group's same days summed again, under its lock;
    `posts=False` when only its snapshots changed (its group's hours stay as they are)."""
    days = set(days)
    if not days:
        return 0
    with transaction.atomic():
        group = profile_groups([profile.pk], lock=True).get(profile.pk)
        if group is None:
            return 0
        workspace_id, key = group
        zone = ZoneInfo(profile.workspace.time_zone) if posts else None  # a pull has its profile's workspace at hand
        return _recompute(workspace_id, {key: days}, posts=posts, zone=zone)


def network_days_regroup(*, before: dict[int, tuple[int, GroupKey] | None]) -> int:
    """Profiles may have changed group (stopped, resumed, linked): `before` is `profile_groups` of them before the
    change, in the transaction that made it. Their days leave the old group and join the new one."""
    after = profile_groups(before)
    moved = [pk for pk in before if before[pk] != after.get(pk)]
    if not moved:
        return 0
    days_of: dict[int, set[date]] = {}
    for pk, day in ProfileDay.objects.filter(profile_id__in=moved).values_list("profile_id", "date"):
        days_of.setdefault(pk, set()).add(day)
    by_workspace: dict[int, dict[GroupKey, set[date]]] = {}
    for pk in moved:
        for group in (before[pk], after.get(pk)):
            if group is not None:
                workspace_id, key = group
                by_workspace.setdefault(workspace_id, {}).setdefault(key, set()).update(days_of.get(pk, ()))
    return sum(_recompute(workspace_id, groups) for workspace_id, groups in sorted(by_workspace.items()))


def _every_day(first: date, last: date) -> set[date]:
    return {first + timedelta(days=n) for n in range((last - first).days + 1)}


def network_groups(*, workspace_ids: Iterable[int] | None = None) -> list[tuple[int, GroupKey, date, date]]:
    """Every group to rebuild with the span of its days: those its profiles' days cover, and those it holds."""
    profile_days = ProfileDay.objects.all()
    stored = NetworkDay.objects.all()
    if workspace_ids is not None:
        profile_days = profile_days.filter(profile__workspace_id__in=list(workspace_ids))
        stored = stored.filter(entity_network__workspace_id__in=list(workspace_ids))
    spans: dict[tuple[int, GroupKey], tuple[date, date]] = {}

    def widen(workspace_id, key, first, last):
        old = spans.get((workspace_id, key))
        spans[(workspace_id, key)] = (min(first, old[0]), max(last, old[1])) if old else (first, last)

    fields = ("profile__workspace_id", "profile__is_own", "profile__competitor_link__competitor_id")
    fields += ("profile__platform", "profile__is_active")
    for workspace_id, is_own, competitor_id, platform, active, first, last in (
        profile_days.order_by().values_list(*fields).annotate(first=Min("date"), last=Max("date"))
    ):
        entity = entity_of(is_own=is_own, competitor_id=competitor_id)
        if entity is not None:
            widen(workspace_id, (entity, platform, active), first, last)
    group_fields = ("entity_network__workspace_id", "entity_network__competitor_id", "entity_network__platform")
    for workspace_id, competitor_id, platform, active, first, last in (
        stored.order_by()
        .values_list(*group_fields, "entity_network__active")
        .annotate(first=Min("date"), last=Max("date"))
    ):
        widen(workspace_id, (entity_key(competitor_id), platform, active), first, last)
    ordered = sorted(spans.items(), key=lambda item: (item[0][0], _order(item[0][1])))
    return [(workspace_id, key, *span) for (workspace_id, key), span in ordered]


def network_days_rebuild(*, workspace_ids: Iterable[int] | None = None, progress: Callable | None = None) -> int:
    """Rebuild every group's days from the profiles' days (idempotent), one transaction per group; returns the rows
    written. `progress()` is called after each group (the command's progress bar)."""
    written = 0
    for workspace_id, key, first, last in network_groups(workspace_ids=workspace_ids):
        written += _recompute(workspace_id, {key: _every_day(first, last)})
        if progress is not None:
            progress()
    return written
