"""Each own account's queue: its posting slots (times of the week) and the next one no publication takes yet.

"Add to queue" on the publication form and in the composer schedules the post at the account's next free slot, as
Buffer and Hootsuite do. The slot is chosen and taken in one transaction holding the account's row
(`lock_queues`): two members adding to the same queue at once get two slots, never the same one. A slot is a wall-clock time of the workspace's zone: its instant moves with summer time,
a slot that does not exist on a day (the hour skipped in spring) is passed over, and one that happens twice (the
hour repeated in autumn) is its first. Any publication of the account at a slot's instant takes it, whatever its
state. The queue page (`queue_views.py`) lists the slots with each account's next free one, beside the best times
to post from the workspace's own history (metrics/best_time.py).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.utils import timezone

from metrics.models import TrackedProfile
from metrics.platforms import account_name

from .models import PostingSlot, Publication

QUEUE_WEEKS = 8  # how far ahead "Add to queue" looks for a free slot
QUEUE_MARGIN = timedelta(minutes=15)  # a slot closer than this is too soon to review and send


def _instant(day: date, at: time, zone: ZoneInfo) -> datetime | None:
    """The instant of a wall-clock time on a local day; None when that time does not exist that day."""
    local = datetime.combine(day, at, tzinfo=zone)  # fold=0: the first of a repeated hour
    if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return local


def upcoming_slots(*, slots, zone: ZoneInfo, start: datetime, weeks: int = QUEUE_WEEKS):
    """The instants of the weekly `slots` ((weekday, time) pairs) from `start` on, in order, for `weeks` weeks."""
    by_weekday: dict[int, list[time]] = {}
    for weekday, at in slots:
        by_weekday.setdefault(weekday, []).append(at)
    first = start.astimezone(zone).date()
    for offset in range(weeks * 7 + 1):
        day = first + timedelta(days=offset)
        for at in sorted(by_weekday.get(day.weekday(), ())):
            instant = _instant(day, at, zone)
            if instant is not None and instant >= start:
                yield instant


def first_free(*, slots, zone: ZoneInfo, start: datetime, taken) -> datetime | None:
    """The first instant of the weekly `slots` from `start` that `taken` (instants) does not hold, within QUEUE_WEEKS."""
    return next((i for i in upcoming_slots(slots=slots, zone=zone, start=start) if i not in taken), None)


def next_free_slot(*, profile: TrackedProfile, now: datetime | None = None, excluding: int | None = None):
    """The account's next slot that no publication of it takes, at least QUEUE_MARGIN from now; None when it has
    no slot or every slot of the next QUEUE_WEEKS weeks is taken. Two queries. `excluding`: the publication being
    rescheduled (its own time does not take a slot from it)."""
    slots = list(PostingSlot.objects.filter(profile=profile).values_list("weekday", "time"))
    if not slots:
        return None
    start = (now or timezone.now()) + QUEUE_MARGIN
    end = start + timedelta(weeks=QUEUE_WEEKS, days=1)
    taken = Publication.objects.filter(profile=profile, scheduled_at__gte=start, scheduled_at__lt=end)
    if excluding:
        taken = taken.exclude(pk=excluding)
    taken_at = set(taken.values_list("scheduled_at", flat=True))
    return first_free(slots=slots, zone=ZoneInfo(profile.workspace.time_zone), start=start, taken=taken_at)


def lock_queues(profile_ids) -> None:
    """Holds the accounts' rows until the transaction ends, in the order of their ids (two composers for the same
    accounts wait for each other, never deadlock): whoever takes a slot of these queues next reads what this one
    wrote. Call inside transaction.atomic() before next_free_slot."""
    list(
        TrackedProfile.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk__in=list(profile_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def no_free_slot(profile) -> str:
    return (
        f"{account_name(profile.platform, profile.handle)} has no free posting slot in the next {QUEUE_WEEKS} weeks: "
        "add slots on the queue page, or choose a time."
    )


def publication_save_queued(*, publication: Publication, by) -> Publication:
    """Saves the publication at its account's next free slot, chosen while holding the account's queue (a
    ValidationError when it has none). The service of "Add to queue"."""
    from . import services

    with transaction.atomic():
        lock_queues([publication.profile_id])
        slot = next_free_slot(profile=publication.profile, excluding=publication.pk)
        if slot is None:
            raise ValidationError(no_free_slot(publication.profile))
        publication.scheduled_at = slot
        return services.publication_save(publication=publication, by=by)


@dataclass
class AccountQueue:
    profile_id: int
    name: str  # "@handle on Network"
    platform: str
    days: list[list[dict]]  # Monday first: each day's slots, {"pk", "time"}, by time
    next_free: datetime | None = None

    @property
    def slot_count(self) -> int:
        return sum(len(day) for day in self.days)


ACCOUNTS_PER_PAGE = 25


def account_queues(*, workspace, page=None, now: datetime | None = None):
    """One page of the brand's active accounts (ACCOUNTS_PER_PAGE, by network and handle) with their slots by
    weekday and their next free slot: (the Paginator's page, its AccountQueues). Four queries whatever the number of
    accounts (their count, the page's accounts, their slots, their publications of the coming weeks)."""
    accounts = TrackedProfile.objects.filter(workspace=workspace, is_own=True, is_active=True).order_by(
        "platform", "handle"
    )
    shown = Paginator(accounts.values_list("pk", "platform", "handle"), ACCOUNTS_PER_PAGE).get_page(page)
    queues = {
        pk: AccountQueue(pk, account_name(platform, handle), platform, [[] for _ in range(7)])
        for pk, platform, handle in shown.object_list
    }
    slots = PostingSlot.objects.filter(workspace=workspace, profile_id__in=list(queues)).order_by("weekday", "time")
    for pk, profile_id, weekday, at in slots.values_list("pk", "profile_id", "weekday", "time"):
        queues[profile_id].days[weekday].append({"pk": pk, "time": at})
    start = (now or timezone.now()) + QUEUE_MARGIN
    end = start + timedelta(weeks=QUEUE_WEEKS, days=1)
    taken: dict[int, set] = {pk: set() for pk in queues}
    with_slots = [pk for pk, queue in queues.items() if queue.slot_count]
    if with_slots:
        rows = Publication.objects.filter(profile_id__in=with_slots, scheduled_at__gte=start, scheduled_at__lt=end)
        for profile_id, at in rows.values_list("profile_id", "scheduled_at"):
            taken[profile_id].add(at)
    zone = ZoneInfo(workspace.time_zone)
    for pk in with_slots:
        queue = queues[pk]
        pairs = [(weekday, slot["time"]) for weekday, day in enumerate(queue.days) for slot in day]
        queue.next_free = first_free(slots=pairs, zone=zone, start=start, taken=taken[pk])
    return shown, list(queues.values())


# ---- the slots' edits (services) ---------------------------------------------------------------------------------


def slot_add(*, workspace, profile: TrackedProfile, weekday: int, at: time) -> PostingSlot:
    """Adds a slot to one of the brand's own accounts; a slot it already has is a ValidationError, not a second."""
    if profile.workspace_id != workspace.pk or not profile.is_own:
        raise ValidationError("Slots are for the brand's own accounts.")
    try:
        with transaction.atomic():
            return PostingSlot.objects.create(
                workspace=workspace, profile=profile, weekday=weekday, time=at.replace(second=0, microsecond=0)
            )
    except IntegrityError:
        label = PostingSlot.Weekday(weekday).label
        raise ValidationError(
            f"{account_name(profile.platform, profile.handle)} already posts on {label} at {at:%H:%M}."
        ) from None


def slot_remove(*, workspace, pk: int) -> bool:
    """Removes one of the workspace's slots; False when it has no such slot (gone already, or another's)."""
    deleted, _ = PostingSlot.objects.filter(workspace=workspace, pk=pk).delete()
    return bool(deleted)
