"""Reads the calendar pages share, with their query counts in mind."""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from accounts.models import User, display_name
from accounts.roles import TEAM_ROLES
from common.lookups import AnyOf
from metrics.models import TrackedProfile
from metrics.platforms import account_name, colour_of, icon_of, label_of

from .filters import PublicationFilters
from .models import UNEDITABLE_STATUSES, ContentItem, FollowUp, Idea, IdeaComment, IdeaVote, Publication
from .steps import step_positions
from .tags import by_name as tags_by_name
from .tags import of_publications
from .threads import thread_parts

NO_FILTERS = PublicationFilters()

IDEAS_PAGE_SIZE = 50


def ideas_for(*, membership, status: str = ""):
    """Ideas a member may see, newest first: the team sees all, a contributor their own.

    Each with its vote and comment counts, as subqueries: paged (Paginator), the database works them out for the
    page's rows only, with no GROUP BY over every idea's votes and comments. By the member's id: its user is not
    loaded, and reading it was a query of its own.
    """
    qs = (
        Idea.objects.filter(workspace=membership.workspace)
        .select_related("author", "content_item")
        .only(*_IDEA_LIST_FIELDS)
    )
    if membership.role == "contributor":
        qs = qs.filter(author_id=membership.user_id)
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(
        vote_count=_count_of(IdeaVote, "idea"),
        comment_count=_count_of(IdeaComment, "idea"),
    ).order_by("-created_at", "-pk")


# What the list prints of an idea, its author and its content item (a content item's row is wide: its brief).
_IDEA_LIST_FIELDS = (
    *("title", "status", "decline_reason", "networks", "created_at", "author_id", "content_item_id"),
    *("author__full_name", "author__email", "content_item__due_date"),
)


def _count_of(model, field: str):
    """How many `model` rows point at the outer row through `field`, as a subquery (0 for none)."""
    return Coalesce(
        Subquery(
            model.objects.filter(**{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )


def idea_comments(*, idea):
    return IdeaComment.objects.filter(idea=idea).select_related("author")


def content_items(*, workspace, stage="", owner=None, start: date | None = None, end: date | None = None):
    qs = (
        ContentItem.objects.filter(workspace=workspace)
        .select_related("owner", "idea")
        .prefetch_related("contributors")
        .annotate(publication_count=Count("publications"))
    )
    if stage:
        qs = qs.filter(stage=stage)
    if owner:
        qs = qs.filter(owner_id=owner)
    if start:
        qs = qs.filter(due_date__gte=start)
    if end:
        qs = qs.filter(due_date__lt=end)
    return qs.order_by("due_date", "pk")


LIST_PAGE_SIZE = 50
OWNER_CHOICES_LIMIT = 100


def owner_choices(*, workspace, selected: int | None = None) -> list[dict]:
    """The editorial list's owner filter: the members who own an item (the first 100 by name), and the chosen one.

    Not every member: a workspace of 1,000 members has a few owners. One probe of the owner index per member
    (EXISTS, no OR: with an OR PostgreSQL rereads the items for each member).
    """
    members = User.objects.filter(memberships__workspace=workspace).order_by("full_name", "email", "pk")
    owners = list(
        members.filter(Exists(ContentItem.objects.filter(workspace=workspace, owner=OuterRef("pk")))).values(
            "pk", "full_name", "email"
        )[:OWNER_CHOICES_LIMIT]
    )
    if selected and all(owner["pk"] != selected for owner in owners):
        owners += list(members.filter(pk=selected).values("pk", "full_name", "email"))
    return owners


def team_choices(*, workspace, selected: int | None = None) -> list[tuple[int, str]]:
    """The publishing calendar's owner filter, (id, name): the team (the roles that plan and publish,
    accounts.roles.TEAM_ROLES) by name, and the chosen member if they are no longer in it; one query on the
    memberships, whatever the number of contributors."""
    team = Q(memberships__workspace=workspace, memberships__role__in=TEAM_ROLES)
    if selected:
        team |= Q(memberships__workspace=workspace, pk=selected)
    rows = User.objects.filter(team).distinct().order_by("full_name", "email", "pk")
    return [
        (pk, display_name(full_name=full_name, email=email))
        for pk, full_name, email in rows.values_list("pk", "full_name", "email")
    ]


CONTENT_ITEM_CHOICES = 20  # the content items a post's form offers before one types, and the most a search answers


def content_item_choices(*, workspace, q: str = "", selected: int | None = None, limit: int = CONTENT_ITEM_CHOICES):
    """The content items a post's field offers, (pk, title, due_date) by due date, and whether more match: the
    `limit` nearest, those due from today on first, then the latest overdue; with `q`, those whose title holds it.
    The chosen one is added.

    Two walks of the index (workspace, due date) from today, one each way, in one query: not a sort of every item
    of the workspace (25,000 at scale 10) by its distance to today.
    """
    today = timezone.localdate()
    items = ContentItem.objects.filter(workspace=workspace)
    if q:
        items = items.filter(title__icontains=q)
    columns = ("pk", "title", "due_date")
    # One more than shown each way: whether more match.
    ahead = items.filter(due_date__gte=today).order_by("due_date", "pk").values_list(*columns)[: limit + 1]
    behind = items.filter(due_date__lt=today).order_by("-due_date", "-pk").values_list(*columns)[: limit + 1]
    if connection.features.supports_slicing_ordering_in_compound:
        rows = list(ahead.union(behind, all=True))
    else:  # SQLite takes no LIMIT inside a UNION
        rows = [*ahead, *behind]
    # Ahead first, soonest first; then behind, latest first; the nearest `limit` shown by due date.
    rows.sort(key=lambda row: (0, row[2], row[0]) if row[2] >= today else (1, today - row[2], -row[0]))
    more = len(rows) > limit
    rows = sorted(rows[:limit], key=lambda row: (row[2], row[0]))
    if selected and all(pk != selected for pk, _, _ in rows):
        rows = [*ContentItem.objects.filter(workspace=workspace, pk=selected).values_list(*columns), *rows]
    return rows, more


def account_choices(*, workspace) -> list[tuple[int, str]]:
    """The publishing calendar's account filter: the brand's own accounts, "@handle on Network", by network."""
    rows = TrackedProfile.objects.filter(workspace=workspace, is_own=True).order_by("platform", "handle")
    return [
        (pk, account_name(platform, handle)) for pk, platform, handle in rows.values_list("pk", "platform", "handle")
    ]


_FORMAT_LABELS = dict(ContentItem.Format.choices)
_STAGE_LABELS = dict(ContentItem.Stage.choices)
COPY_PREVIEW = 80  # characters of a post's copy that the publishing list prints, an ellipsis last if it is longer


def _copy_head(copy: str) -> str:
    """The copy's first COPY_PREVIEW characters as `truncatechars` cuts them (the last one an ellipsis when it is
    longer), by a slice, no Truncator per row. Cut in Python, not by the database: the expression (a CASE on its
    LENGTH, LEFT and a concatenation) cost the list's query more to build than 50 copies cost to read."""
    return copy if len(copy) <= COPY_PREVIEW else f"{copy[: COPY_PREVIEW - 1]}…"


def content_item_rows(*, workspace, stage="", owner=None, start: date | None = None, page: int = 1):
    """One page of the editorial list, and whether another page follows.

    Content items with what the row prints (only()), their owner, their publication count, and `from_idea` set
    from the page's ideas: read by the page's ids, not an EXISTS that PostgreSQL answers by reading every idea.
    """
    qs = ContentItem.objects.filter(workspace=workspace)
    if stage:
        qs = qs.filter(stage=stage)
    if owner:
        qs = qs.filter(owner_id=owner)
    if start:
        qs = qs.filter(due_date__gte=start)
    offset = (page - 1) * LIST_PAGE_SIZE
    items = list(
        qs.order_by("due_date", "pk")
        .select_related("owner")
        .only(
            "title",
            "due_date",
            "format",
            "pillar",
            "audience_segment",
            "stage",
            "owner__full_name",
            "owner__email",
        )
        .annotate(publication_count=_count_of(Publication, "content_item"))[offset : offset + LIST_PAGE_SIZE + 1]
    )
    items, has_more = items[:LIST_PAGE_SIZE], len(items) > LIST_PAGE_SIZE
    from_ideas = set(
        Idea.objects.filter(content_item_id__in=[item.pk for item in items]).values_list("content_item_id", flat=True)
    )
    for item in items:
        item.from_idea = item.pk in from_ideas
    return items, has_more


def publication_rows(*, workspace, filters: PublicationFilters = NO_FILTERS, start=None, page: int = 1):
    """One page of the publishing list (its `filters`), and whether another page follows.

    Rows of what the list prints, as plain values (50 model instances and their accounts and content items cost
    more than the page's queries): the time, the status, the account's network with its label and colour and its
    handle, the content item's title, the head of the copy (`copy_head`, cut as shown), its page's `url` and the tags,
    (id, name) each (`tags`, one more query on the page's ids).
    """
    qs = filters.apply(Publication.objects.filter(workspace=workspace))
    if start:
        qs = qs.filter(scheduled_at__gte=start)
    offset = (page - 1) * LIST_PAGE_SIZE
    rows = list(
        qs.order_by("scheduled_at", "pk").values(
            "pk",
            "scheduled_at",
            "status",
            "copy",
            platform=F("profile__platform"),
            handle=F("profile__handle"),
            title=F("content_item__title"),
        )[offset : offset + LIST_PAGE_SIZE + 1]
    )
    rows, has_more = rows[:LIST_PAGE_SIZE], len(rows) > LIST_PAGE_SIZE
    # "step 2 of 3" for those in review through approval steps (calendar_app/steps.py).
    steps = step_positions(workspace.pk, [(row["pk"], row["status"], row["platform"]) for row in rows])
    tags = of_publications(row["pk"] for row in rows) if rows else {}
    detail = reverse("calendar_app:publication_detail", args=[0]).removesuffix("0/")  # one reverse, not one a row
    for row in rows:
        row["copy_head"] = _copy_head(row.pop("copy"))
        row["tags"] = tags.get(row["pk"], [])
        row["url"] = f"{detail}{row['pk']}/"
        row["platform_label"] = label_of(row["platform"])
        row["colour"] = colour_of(row["platform"])
        row["step"] = steps.get(row["pk"])
    return rows, has_more


def content_item_feed(*, workspace, stage="", start: date, end: date):
    """What the editorial calendar's feed shows: only the fields an event needs."""
    qs = ContentItem.objects.filter(workspace=workspace, due_date__gte=start, due_date__lt=end)
    if stage:
        qs = qs.filter(stage=stage)
    return qs.order_by("due_date", "pk").values_list("pk", "title", "due_date", "stage", "format")


EVENT_MINUTES = 30  # how long a publication shows on the publishing calendar


def _wall_clock(value, *, zone: str, plus_minutes: int = 0):
    """A timestamp as the zone's wall-clock minute, 'YYYY-MM-DDTHH:MI', worked out by PostgreSQL.

    The feed sends a month of events: reading them as text spares making, converting and printing a
    datetime per event in Python.
    """
    local = Func(Value(zone), value, function="timezone", output_field=DateTimeField())
    if plus_minutes:
        local = ExpressionWrapper(local + timedelta(minutes=plus_minutes), output_field=DateTimeField())
    return Func(local, Value('YYYY-MM-DD"T"HH24:MI'), function="to_char", output_field=CharField())


def _of_window(window, column: str):
    """`pk = ANY(ARRAY(SELECT DISTINCT column FROM the window))` (PostgreSQL): the rows a window's events point at,
    probed on their primary key with no parameter per id. `pk IN (SELECT …)` lets the planner hash-join the whole
    table (25,000 content items read for 850 at scale 10); `pk IN (%s, %s, …)` costs Django a parameter per id."""
    return AnyOf(F("pk"), ArraySubquery(window.order_by().values(column).distinct()))


def publication_feed(*, workspace, filters: PublicationFilters = NO_FILTERS, start, end) -> list[tuple]:
    """What the publishing calendar's feed shows (its `filters`): (pk, start, end, status, platform, handle, title)
    per event.

    Start and end are the workspace's wall-clock times. The titles and accounts are read by id for the
    window's rows: a join lets the planner read every content item of the workspace to title a month's events.
    """
    window = filters.apply(
        Publication.objects.filter(workspace=workspace, scheduled_at__gte=start, scheduled_at__lt=end)
    )
    qs = window.order_by("scheduled_at", "pk")
    if connection.vendor == "postgresql":
        rows = list(
            qs.annotate(
                local_start=_wall_clock(F("scheduled_at"), zone=workspace.time_zone),
                local_end=_wall_clock(F("scheduled_at"), zone=workspace.time_zone, plus_minutes=EVENT_MINUTES),
            ).values_list("pk", "local_start", "local_end", "status", "profile_id", "content_item_id")
        )
        items = ContentItem.objects.filter(_of_window(window, "content_item_id"))
        profiles = TrackedProfile.objects.filter(_of_window(window, "profile_id"))
    else:  # SQLite (`make run` without DATABASE_URL) has no timezone(): the same strings, made in Python
        zone, length = ZoneInfo(workspace.time_zone), timedelta(minutes=EVENT_MINUTES)
        rows = [
            (pk, f"{at.astimezone(zone):%Y-%m-%dT%H:%M}", f"{(at.astimezone(zone) + length):%Y-%m-%dT%H:%M}", *rest)
            for pk, at, *rest in qs.values_list("pk", "scheduled_at", "status", "profile_id", "content_item_id")
        ]
        items = ContentItem.objects.filter(pk__in={row[5] for row in rows})
        profiles = TrackedProfile.objects.filter(pk__in={row[4] for row in rows})
    # Without the models' default ordering: sorting 900 titles by due date that a dict then holds was a third of the
    # query's time at scale 10.
    titles = dict(items.order_by().values_list("pk", "title")) if rows else {}
    accounts = (
        {pk: (platform, handle) for pk, platform, handle in profiles.order_by().values_list("pk", "platform", "handle")}
        if rows
        else {}
    )
    return [
        (pk, begin, finish, status_, *accounts.get(profile_id, ("", "")), titles.get(item_id, ""))
        for pk, begin, finish, status_, profile_id, item_id in rows
    ]


def publications(*, workspace, filters: PublicationFilters = NO_FILTERS, start=None, end=None):
    qs = filters.apply(Publication.objects.filter(workspace=workspace)).select_related(
        "profile", "content_item", "owner"
    )
    if start:
        qs = qs.filter(scheduled_at__gte=start)
    if end:
        qs = qs.filter(scheduled_at__lt=end)
    return qs.order_by("scheduled_at", "pk")


# Posts only a person can move on: held after a crisis pause, or sent with an outcome nobody knows.
DECISION_STATUSES = (Publication.Status.HELD, Publication.Status.UNKNOWN)


@dataclass(slots=True)
class DecisionRow:
    """A post waiting for a decision, as the columns its card and `services.with_approval_refusals` read (which
    sets `approval_refusal`), the content item's `title` and the account's `platform` and `handle` beside its own."""

    pk: int
    status: str
    scheduled_at: datetime | None
    failure_reason: str
    first_approved_by_id: int | None
    title: str
    platform: str
    handle: str
    approval_refusal: str = ""

    @property
    def account(self) -> str:
        return account_name(self.platform, self.handle)


def publications_awaiting_decision(*, workspace, limit: int = 50) -> list[DecisionRow]:
    """The posts waiting for a person's decision (DECISION_STATUSES), soonest first, as rows (DecisionRow): three
    models' instances (60 columns) cost the publishing calendar more than its list's query, for a card that is
    empty but after a crisis pause or an unknown outcome."""
    rows = (
        Publication.objects.filter(workspace=workspace, status__in=DECISION_STATUSES)
        .order_by("scheduled_at", "pk")
        .values_list(
            "pk",
            "status",
            "scheduled_at",
            "failure_reason",
            "first_approved_by_id",
            "content_item__title",
            "profile__platform",
            "profile__handle",
        )[:limit]
    )
    return [DecisionRow(*row) for row in rows]


def _publication_columns() -> dict:
    """The columns a list of publications prints beside its own: the content item's title, the account's network
    and handle (named `title`, `platform`, `handle`)."""
    return {"title": F("content_item__title"), "platform": F("profile__platform"), "handle": F("profile__handle")}


def _with_labels(rows: list[dict]) -> list[dict]:
    """Each publication row with its status's and network's labels, from dicts built once, and its account's name."""
    for row in rows:
        row["status_label"] = Publication.status_label(row["status"])
        row["platform_label"] = label_of(row["platform"])
        row["account"] = account_name(row["platform"], row["handle"])
    return rows


def publication_glance(*, workspace, statuses, limit: int) -> list[dict]:
    """A home's glance at the first `limit` publications in `statuses`, soonest first, as rows of the columns it
    prints (no model instances: a panel pays for what it shows), with the account named as on the other pages."""
    rows = list(
        Publication.objects.filter(workspace=workspace, status__in=statuses)
        .order_by("scheduled_at", "pk")
        .values("pk", "status", "scheduled_at", **_publication_columns())[:limit]
    )
    return _with_labels(rows)


def content_due_glance(*, workspace, until: date, limit: int) -> list[dict]:
    """Content items not ready and due by `until` (overdue included), soonest first, as rows the home prints."""
    rows = list(
        ContentItem.objects.filter(workspace=workspace, due_date__lte=until)
        .exclude(stage=ContentItem.Stage.READY)
        .order_by("due_date", "pk")
        .values("pk", "title", "due_date", "stage")[:limit]
    )
    for row in rows:
        row["stage_label"] = _STAGE_LABELS.get(row["stage"], row["stage"])
    return rows


# A person has to look at these: the post did not go out, or nobody knows whether it did.
NEEDS_REVIEW_STATUSES = (Publication.Status.FAILED, Publication.Status.UNKNOWN, Publication.Status.HELD)


def meeting_publications(
    *, workspace, start: datetime, end: datetime, review_since: datetime, per_day: int
) -> dict[str, list]:
    """In one query, as the columns the meeting prints (`pk`, `scheduled_at`, `status` and `status_label`,
    `failure_reason`, `title` of the content item, `platform`, `platform_label` and `handle` of the account):
    `days`, for each local day of [start, end) (local midnights), its first `per_day` publications whatever their
    state, by time, and how many it holds: a list of (rows, total);
    `gone_wrong`, those that failed, whose outcome is unknown or that were held, changed in [review_since, end),
    in the order they changed.

    Only the rows printed get their labels, and the rows are placed in their day by comparing with the days' starts
    in UTC, the zone the database gives them in (a week holds 300 publications at scale 10, the meeting prints 56)."""
    rows = list(
        Publication.objects.filter(
            Q(scheduled_at__gte=start, scheduled_at__lt=end)
            | Q(status__in=NEEDS_REVIEW_STATUSES, updated_at__gte=review_since, updated_at__lt=end),
            workspace=workspace,
        )
        .order_by()
        # The content item's title by its key, row by row: as a join, PostgreSQL hashed every content item of the
        # workspace (25,000 at scale 10) for a week's 300 publications.
        .values(
            "pk",
            "scheduled_at",
            "updated_at",
            "status",
            "failure_reason",
            **_publication_columns()
            | {
                "title": Subquery(ContentItem.objects.filter(pk=OuterRef("content_item_id")).order_by().values("title"))
            },
        )
    )
    zone, first = start.tzinfo, start.date()
    starts = [
        datetime.combine(first + timedelta(days=i), time(), tzinfo=zone).astimezone(UTC)
        for i in range((end.date() - first).days + 1)
    ]
    week_start, week_end = starts[0], starts[-1]
    since, until = review_since.astimezone(UTC), end.astimezone(UTC)
    scheduled = [r for r in rows if r["scheduled_at"] is not None and week_start <= r["scheduled_at"] < week_end]
    gone_wrong = [r for r in rows if r["status"] in NEEDS_REVIEW_STATUSES and since <= r["updated_at"] < until]
    scheduled.sort(key=lambda r: (r["scheduled_at"], r["pk"]))
    gone_wrong.sort(key=lambda r: (r["updated_at"], r["pk"]))
    days = [[] for _ in starts[1:]]
    for row in scheduled:
        days[bisect_right(starts, row["scheduled_at"]) - 1].append(row)
    return {
        "days": [(_with_labels(day[:per_day]), len(day)) for day in days],
        "gone_wrong": _with_labels(gone_wrong),
    }


def publication_detail(*, workspace, pk):
    from .models import ExternalReview, PublicationComment, PublicationEvent

    threads = PublicationComment.objects.filter(parent=None).select_related("author")
    replies = PublicationComment.objects.select_related("author")
    return (
        Publication.objects.select_related("profile", "content_item", "owner", "first_approved_by")
        .prefetch_related(
            Prefetch("follow_ups", queryset=FollowUp.objects.order_by("position"), to_attr="deliveries"),
            Prefetch("events", queryset=PublicationEvent.objects.select_related("actor")),
            Prefetch("comments", queryset=threads, to_attr="threads"),
            Prefetch("threads__replies", queryset=replies),
            Prefetch("external_reviews", queryset=ExternalReview.objects.order_by("-created_at"), to_attr="reviews"),
            tags_by_name(),
        )
        .get(workspace=workspace, pk=pk)
    )


def local_range(workspace, start: date, end: date):
    zone = ZoneInfo(workspace.time_zone)
    return datetime.combine(start, time(), tzinfo=zone), datetime.combine(end, time(), tzinfo=zone)


# Dark enough for white titles (WCAG AA 4.5:1, checked by axe-core in tests/browser/test_accessibility.py).
STAGE_COLOURS = {"drafting": "#6c757d", "in_review": "#a85300", "approved": "#157347", "ready": "#3b2a8f"}


def content_item_events(rows) -> list[dict]:
    """FullCalendar events from `content_item_feed` rows."""
    return [
        {
            "id": pk,
            "title": title,
            "start": due_date.isoformat(),
            "allDay": True,
            "color": STAGE_COLOURS.get(stage, "#6c757d"),
            "url": f"/calendar/editorial/{pk}/",
            "extendedProps": {
                "stage": _STAGE_LABELS.get(stage, stage),
                "format": _FORMAT_LABELS.get(format_, format_),
            },
        }
        for pk, title, due_date, stage, format_ in rows
    ]


# The colour a publication's chip wears on the publishing calendar, by status: dark enough for white titles (WCAG AA
# 4.5:1, checked by axe-core in tests/browser/test_accessibility.py), and the same families as STATUS_BADGES.
PUBLICATION_COLOURS = {
    "draft": "#6c757d",
    "in_review": "#a85300",
    "approved": "#0b5ed7",
    "scheduled": "#3b2a8f",
    "sending": "#087990",
    "published": "#157347",
    "failed": "#b02a37",
    "unknown": "#b02a37",
    "paused": "#343a40",
    "held": "#a85300",
}


def publication_colour(status: str) -> str:
    return PUBLICATION_COLOURS.get(status, PUBLICATION_COLOURS["draft"])


def publication_legend() -> list[tuple[str, str]]:
    """(status label, chip colour) of every status, in the workflow's order: the calendar's key."""
    return [(label, publication_colour(value)) for value, label in Publication.Status.choices]


def publication_events(rows, steps: dict[int, tuple[int, int]] | None = None) -> list[dict]:
    """FullCalendar events from `publication_feed` rows: coloured by status, with the account's network icon and
    handle for the chip (calendar_app/static/calendar_app/calendar.js draws them); `steps` (steps.step_positions)
    adds "step 2 of 3" to the status of a post in review through approval steps."""
    steps = steps or {}
    # What depends on the status or the network alone, worked out once per value: at scale 10 the feed sends
    # 1,700 events of a few statuses and networks.
    by_status = {
        status: (publication_colour(status), status not in UNEDITABLE_STATUSES, Publication.status_label(status))
        for status in {row[3] for row in rows}
    }
    by_network = {platform: (label_of(platform), icon_of(platform)) for platform in {row[4] for row in rows}}
    events = []
    # Times are sent as workspace-local wall-clock times; the calendar shows them as they are.
    for pk, begin, finish, status, platform, handle, title in rows:
        colour, editable, label = by_status[status]
        network, icon = by_network[platform]
        events.append(
            {
                "id": pk,
                "title": title,
                "start": begin,
                "end": finish,
                "color": colour,
                "url": f"/calendar/publishing/{pk}/",
                "editable": editable,
                "extendedProps": {
                    "status": f"{label}, step {steps[pk][0]} of {steps[pk][1]}" if pk in steps else label,
                    "network": network,
                    "icon": icon,
                    "account": f"@{handle}" if handle else "",
                },
            }
        )
    return events


@dataclass(frozen=True)
class FollowUpRow:
    """A first comment or a thread's part as the post's page shows it: what it says and, once the post is out, how
    its delivery went (None before)."""

    position: int
    text: str
    delivery: object | None

    @property
    def is_first_comment(self) -> bool:
        return self.position == FollowUp.FIRST_COMMENT

    @property
    def label(self) -> str:
        return "First comment" if self.is_first_comment else f"Part {self.position + 1} of the thread"


def follow_ups_of(publication) -> tuple[FollowUpRow | None, list[FollowUpRow]]:
    """(its first comment, its thread's parts): the deliveries once the post is out (`publication_detail` reads them
    as `deliveries`), the texts to be posted before."""
    delivered = {d.position: d for d in getattr(publication, "deliveries", None) or publication.follow_ups.all()}
    planned = {FollowUp.FIRST_COMMENT: (publication.first_comment or "").strip()}
    planned |= dict(enumerate(thread_parts(publication.thread), start=1))
    rows = {}
    for position in sorted(planned.keys() | delivered.keys()):
        delivery = delivered.get(position)
        text = delivery.text if delivery is not None else planned.get(position, "")
        if text:
            rows[position] = FollowUpRow(position=position, text=text, delivery=delivery)
    first = rows.pop(FollowUp.FIRST_COMMENT, None)
    return first, list(rows.values())
