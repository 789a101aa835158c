"""Reads the stakeholder pages and panels share, each in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import Workspace, display_name

from .models import Ambassador, AmbassadorNetwork, Contact, Department, ExampleText, FollowUp, Level, Meeting, Relay


@dataclass
class ContactFilters:
    q: str = ""
    department: int | None = None
    tag: str = ""
    met: bool | None = None
    influence: int | None = None
    interest: int | None = None
    brings: str = ""  # "content", "expertise" or "events"


def contacts_for_directory(*, workspace: Workspace, filters: ContactFilters | None = None) -> QuerySet[Contact]:
    """The workspace's contacts matching the search, with what the table shows loaded up front."""
    filters = filters or ContactFilters()
    contacts = Contact.objects.filter(workspace=workspace).select_related("department").prefetch_related("tags")
    if filters.q:
        for word in filters.q.split():
            contacts = contacts.filter(
                Q(full_name__icontains=word)
                | Q(job_title__icontains=word)
                | Q(email__icontains=word)
                | Q(department__name__icontains=word)
                | Q(expectations__icontains=word)
                | Q(can_bring__icontains=word)
                | Q(tags__name__icontains=word)
            )
        contacts = contacts.distinct()
    if filters.department:
        contacts = contacts.filter(department_id=filters.department)
    if filters.tag:
        contacts = contacts.filter(tags__name=filters.tag.strip().lower())
    if filters.met is not None:
        contacts = contacts.filter(is_met=filters.met)
    if filters.influence:
        contacts = contacts.filter(influence=filters.influence)
    if filters.interest:
        contacts = contacts.filter(interest=filters.interest)
    if filters.brings in ("content", "expertise", "events"):
        contacts = contacts.filter(**{f"brings_{filters.brings}": True})
    return contacts


# What the directory table shows of a contact: plain values, no model instances (a page is 50 rows).
DIRECTORY_ROW_FIELDS = (
    "pk",
    "full_name",
    "job_title",
    "department__name",
    "brings_content",
    "brings_expertise",
    "brings_events",
    "influence",
    "interest",
    "is_met",
)


def directory_rows(*, contacts: QuerySet[Contact]) -> QuerySet[dict]:
    """The directory's rows as dicts, in the directory's order; slice it (paginate) before reading."""
    return contacts.prefetch_related(None).select_related(None).values(*DIRECTORY_ROW_FIELDS)


def tags_by_contact(*, contact_ids: list[int]) -> dict[int, list[str]]:
    """contact id -> its tag names in alphabetical order, for a page of contacts; one query."""
    names: dict[int, list[str]] = {}
    links = (
        Contact.tags.through.objects.filter(contact_id__in=contact_ids)
        .order_by("tag__name")
        .values_list("contact_id", "tag__name")
    )
    for contact_id, name in links:
        names.setdefault(contact_id, []).append(name)
    return names


@dataclass
class DirectoryCounts:
    departments: list[Department]  # by name, each with contact_count and met_count
    totals: dict  # total, met, not_met


def directory_counts(*, workspace: Workspace) -> DirectoryCounts:
    """The sidebar's departments and the page's totals from one grouped query over the contacts (and the names)."""
    groups = {
        row["department_id"]: row
        for row in Contact.objects.filter(workspace=workspace)
        .order_by()
        .values("department_id")
        .annotate(total=Count("pk"), met=Count("pk", filter=Q(is_met=True)))
    }
    departments = list(Department.objects.filter(workspace=workspace).only("pk", "name").order_by("name"))
    for department in departments:
        group = groups.get(department.pk, {})
        department.contact_count, department.met_count = group.get("total", 0), group.get("met", 0)
    total, met = sum(g["total"] for g in groups.values()), sum(g["met"] for g in groups.values())
    return DirectoryCounts(departments, {"total": total, "met": met, "not_met": total - met})


def directory_totals(*, workspace: Workspace) -> dict:
    """How many contacts the workspace has, met and not met.

    COUNT(*) and COUNT(is_met), not COUNT(id): with no other column to read, PostgreSQL counts from the index on
    (workspace, is_met) alone, where counting the ids read every contact's row (5,000 at scale 10: 0.9 ms against
    0.35). `is_met` is never null, so counting it counts the contacts.
    """
    return Contact.objects.filter(workspace=workspace).aggregate(
        total=Count("*"), met=Count("is_met", filter=Q(is_met=True)), not_met=Count("is_met", filter=Q(is_met=False))
    )


def contact_detail(*, workspace: Workspace, pk: int) -> Contact | None:
    """One contact of the workspace with its meetings and their follow-ups, or None."""
    meetings = Meeting.objects.select_related("created_by").prefetch_related(
        Prefetch("follow_ups", queryset=FollowUp.objects.select_related("owner"))
    )
    return (
        Contact.objects.filter(workspace=workspace, pk=pk)
        .select_related("department")
        .prefetch_related("tags", Prefetch("meetings", queryset=meetings))
        .first()
    )


@dataclass
class MapCell:
    influence: int
    interest: int
    label: str  # the quadrant's name: what the team does with the people in it
    quadrant: str  # the quadrant's slug, for its colour
    hint: str
    names_quadrant: bool = False  # the first cell of its quadrant (reading order) carries the name, once
    contacts: list = field(default_factory=list)

    @property
    def influence_label(self) -> str:
        return Level(self.influence).label

    @property
    def interest_label(self) -> str:
        return Level(self.interest).label


# Mendelow's power/interest matrix: two halves on each axis, "high" meaning the top of the scale.
QUADRANTS = {
    (True, True): ("manage-closely", "Manage closely"),
    (True, False): ("keep-satisfied", "Keep satisfied"),
    (False, True): ("keep-informed", "Keep informed"),
    (False, False): ("monitor", "Monitor"),
}

# Within its quadrant, what each cell of the three-step scales calls for.
_HINTS = {
    (Level.HIGH, Level.HIGH): "Meet regularly; involve them in plans.",
    (Level.HIGH, Level.MEDIUM): "Consult them before changes that touch them.",
    (Level.HIGH, Level.LOW): "Brief and to the point; no surprises.",
    (Level.MEDIUM, Level.HIGH): "Ask for content and feedback.",
    (Level.MEDIUM, Level.MEDIUM): "A monthly update is enough.",
    (Level.MEDIUM, Level.LOW): "Keep them on the newsletter.",
    (Level.LOW, Level.HIGH): "Great ambassadors: invite them.",
    (Level.LOW, Level.MEDIUM): "Share the results now and then.",
    (Level.LOW, Level.LOW): "Minimal effort.",
}


def quadrant(*, influence: int, interest: int) -> tuple[str, str]:
    """(slug, name) of the Mendelow quadrant a contact of this influence and interest falls in."""
    return QUADRANTS[(influence == Level.HIGH, interest == Level.HIGH)]


def influence_interest_grid(*, workspace: Workspace) -> list[list[MapCell]]:
    """Rows from high to low influence, columns from low to high interest; one query."""
    cells, named = {}, set()
    for inf in sorted(Level.values, reverse=True):
        for intr in sorted(Level.values):
            slug, name = quadrant(influence=inf, interest=intr)
            cells[(inf, intr)] = MapCell(inf, intr, name, slug, _HINTS[(Level(inf), Level(intr))], slug not in named)
            named.add(slug)
    contacts = (
        Contact.objects.filter(workspace=workspace)
        .select_related("department")
        .only("pk", "full_name", "influence", "interest", "is_met", "department__name")
    )
    for contact in contacts:
        cells[(contact.influence, contact.interest)].contacts.append(contact)
    return [[cells[(inf, intr)] for intr in sorted(Level.values)] for inf in sorted(Level.values, reverse=True)]


def contacts_not_met(*, workspace: Workspace, limit: int | None = None) -> QuerySet[Contact]:
    """Who a newcomer should meet first: not met yet, most influential and most interested first."""
    contacts = (
        Contact.objects.filter(workspace=workspace, is_met=False)
        .select_related("department")
        .order_by("-influence", "-interest", "full_name")
    )
    # The dashboard's nudge reads its few names through the index that holds this order.
    return contacts[:limit] if limit else contacts


def follow_ups_due(*, workspace: Workspace, within_days: int = 7, today: date | None = None) -> QuerySet[FollowUp]:
    """Open follow-ups due within the coming days, overdue ones first."""
    today = today or timezone.localdate()
    return follow_ups_open_until(workspace=workspace, until=today + timedelta(days=within_days))


def follow_ups_open_until(*, workspace: Workspace, until: date) -> QuerySet[FollowUp]:
    """Open follow-ups due on or before `until` (the overdue ones included), with their owner and contact."""
    return (
        FollowUp.objects.filter(workspace=workspace, done_at=None, due_on__lte=until)
        .select_related("owner", "meeting__contact")
        .order_by("due_on", "pk")
    )


def _follow_up_rows(follow_ups: QuerySet[FollowUp], limit: int | None = None) -> list[dict]:
    """Follow-ups as rows of the columns a list prints (no model instances: a page pays for what it shows): `pk`,
    `description`, `due_on`, `contact_id`, `contact_name`, and `owner`, the owner's name as `User.get_full_name`
    gives it ("" without one).

    The contact is read by the meeting's key, row by row: as a join, PostgreSQL hashed every meeting of the workspace
    (7,500 at scale 10) for the few dozen open follow-ups, and a list of the first few then sorted them all."""
    meeting = Meeting.objects.filter(pk=OuterRef("meeting_id")).order_by()
    rows = follow_ups.values(
        "pk",
        "description",
        "due_on",
        "owner__full_name",
        "owner__email",
        contact_id=Subquery(meeting.values("contact_id")),
        contact_name=Subquery(meeting.values("contact__full_name")),
    )
    rows = list(rows if limit is None else rows[:limit])
    for row in rows:
        full_name, email = row.pop("owner__full_name"), row.pop("owner__email")
        row["owner"] = display_name(full_name=full_name, email=email) if email else ""
    return rows


def follow_ups_due_rows(*, workspace: Workspace, today: date, limit: int) -> list[dict]:
    """The home's glance at `follow_ups_due`: the first `limit`, as `_follow_up_rows`."""
    return _follow_up_rows(follow_ups_due(workspace=workspace, today=today), limit=limit)


def follow_up_rows_open_until(*, workspace: Workspace, until: date) -> list[dict]:
    """`follow_ups_open_until` (the meeting's list), as `_follow_up_rows`."""
    return _follow_up_rows(follow_ups_open_until(workspace=workspace, until=until))


def contacts_not_met_rows(*, workspace: Workspace, limit: int) -> list[dict]:
    """The home's glance at `contacts_not_met`: the first `limit`, as rows of the columns it prints."""
    return list(
        contacts_not_met(workspace=workspace).values(
            "pk", "full_name", "job_title", department_name=F("department__name")
        )[:limit]
    )


def ambassadors_for_team(*, workspace: Workspace, month_start: date) -> QuerySet[Ambassador]:
    """Every ambassador with their networks and what they relayed that month: who relays what."""
    month_relays = Relay.objects.filter(example_text__month=month_start).select_related("example_text")
    return (
        Ambassador.objects.filter(workspace=workspace)
        .select_related("department", "user")
        .prefetch_related(
            Prefetch("networks", queryset=AmbassadorNetwork.objects.order_by("platform")),
            Prefetch("relays", queryset=month_relays, to_attr="month_relays"),
        )
        .order_by("-is_active", "full_name")
    )


def ambassador_of(*, workspace: Workspace, user) -> Ambassador | None:
    return (
        Ambassador.objects.filter(workspace=workspace, user=user)
        .select_related("department")
        .prefetch_related("networks")
        .first()
    )


def ambassador_network_counts(*, workspace: Workspace) -> list[dict]:
    """How many active ambassadors relay on each network, most first."""
    return list(
        AmbassadorNetwork.objects.filter(ambassador__workspace=workspace, ambassador__is_active=True)
        .values("platform")
        .annotate(count=Count("pk"))
        .order_by("-count", "platform")
    )


def example_texts_for_month(*, workspace: Workspace, month_start: date) -> QuerySet[ExampleText]:
    """The month's example texts, each with the ambassadors who said they shared it."""
    relays = Relay.objects.select_related("ambassador").order_by("ambassador__full_name")
    return ExampleText.objects.filter(workspace=workspace, month=month_start.replace(day=1)).prefetch_related(
        Prefetch("relays", queryset=relays)
    )
