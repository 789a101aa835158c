"""Reads the calendar pages share, with their query counts in mind."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, Left
from django.urls import reverse

from accounts.models import User
from metrics.platforms import PLATFORM_COLOURS, Platform

from .models import STATUS_BADGES, UNEDITABLE_STATUSES, ContentItem, Idea, IdeaComment, IdeaVote, Publication

IDEAS_PAGE_SIZE = 50


def ideas_for(*, membership, status: str = ""):
    """Ideas a member may see, newest first: the team sees all, a contributor their own.

    Each with its vote and comment counts and whether the member voted, as subqueries: paged (Paginator), the
    database works them out for the page's rows only, with no GROUP BY over every idea's votes and comments.
    """
    qs = Idea.objects.filter(workspace=membership.workspace).select_related("author", "content_item")
    if membership.role == "contributor":
        qs = qs.filter(author=membership.user)
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(
        vote_count=_count_of(IdeaVote, "idea"),
        comment_count=_count_of(IdeaComment, "idea"),
        my_vote=Exists(IdeaVote.objects.filter(idea=OuterRef("pk"), voter=membership.user)),
    ).order_by("-created_at", "-pk")


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

    Not every member: a workspace of 1,000 members has a few dozen owners.
    """
    owns = Q(pk__in=ContentItem.objects.filter(workspace=workspace, owner__isnull=False).values("owner_id"))
    return list(
        User.objects.filter(owns | Q(pk=selected or 0), memberships__workspace=workspace)
        .order_by("full_name", "email", "pk")
        .values("pk", "full_name", "email")[:OWNER_CHOICES_LIMIT]
    )


_FORMAT_LABELS = dict(ContentItem.Format.choices)
_STAGE_LABELS = dict(ContentItem.Stage.choices)
_PLATFORM_LABELS = dict(Platform.choices)


# The list pages format their rows here rather than with per-row template filters: 50 rows x 8 cells of
# filters and {% url %} tags cost more than the rest of the page. English only, as the project (LANGUAGE_CODE).
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
COPY_PREVIEW = 80


def _short_day(day: date) -> str:
    """As the template filter date:"D j M"."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"


def _preview(text: str) -> str:
    """As the template filter truncatechars:80."""
    return text if len(text) <= COPY_PREVIEW else text[: COPY_PREVIEW - 1] + "…"


def _url_prefix(name: str) -> str:
    """The address of object 0 without its id, to add each row's id to without reversing per row."""
    return reverse(name, args=[0]).removesuffix("0/")


def content_item_rows(*, workspace, stage="", owner=None, start: date | None = None, page: int = 1):
    """One page of the editorial list as plain rows, and whether another page follows."""
    qs = ContentItem.objects.filter(workspace=workspace)
    if stage:
        qs = qs.filter(stage=stage)
    if owner:
        qs = qs.filter(owner_id=owner)
    if start:
        qs = qs.filter(due_date__gte=start)
    offset = (page - 1) * LIST_PAGE_SIZE
    rows = list(
        qs.order_by("due_date", "pk")
        .annotate(
            from_idea=Exists(Idea.objects.filter(content_item=OuterRef("pk"))),
            publication_count=_count_of(Publication, "content_item"),
        )
        .values(
            "pk",
            "title",
            "due_date",
            "format",
            "pillar",
            "audience_segment",
            "stage",
            "owner__full_name",
            "owner__email",
            "from_idea",
            "publication_count",
        )[offset : offset + LIST_PAGE_SIZE + 1]
    )
    edit = _url_prefix("calendar_app:content_item_edit")
    for row in rows:
        row["url"] = f"{edit}{row['pk']}/"
        row["due"] = _short_day(row["due_date"])
        row["format_label"] = _FORMAT_LABELS.get(row["format"], row["format"])
        row["stage_label"] = _STAGE_LABELS.get(row["stage"], row["stage"])
        row["owner_name"] = row.pop("owner__full_name") or row.pop("owner__email")  # as User.__str__
    return rows[:LIST_PAGE_SIZE], len(rows) > LIST_PAGE_SIZE


def publication_rows(*, workspace, zone: ZoneInfo, platform="", status="", start=None, page: int = 1):
    """One page of the publishing list as plain rows, and whether another page follows."""
    qs = Publication.objects.filter(workspace=workspace)
    if platform:
        qs = qs.filter(profile__platform=platform)
    if status:
        qs = qs.filter(status=status)
    if start:
        qs = qs.filter(scheduled_at__gte=start)
    offset = (page - 1) * LIST_PAGE_SIZE
    rows = list(
        qs.order_by("scheduled_at", "pk")
        .annotate(copy_head=Left("copy", COPY_PREVIEW + 1))
        .values("pk", "scheduled_at", "status", "copy_head", "profile__platform", "content_item__title")[
            offset : offset + LIST_PAGE_SIZE + 1
        ]
    )
    detail = _url_prefix("calendar_app:publication_detail")
    for row in rows:
        local = row["scheduled_at"].astimezone(zone) if row["scheduled_at"] else None
        row["when"] = f"{_short_day(local)}, {local:%H:%M}" if local else ""
        row["url"] = f"{detail}{row['pk']}/"
        row["copy_preview"] = _preview(row["copy_head"])
        row["badge"] = STATUS_BADGES.get(row["status"], "text-bg-light")
        row["colour"] = PLATFORM_COLOURS.get(row["profile__platform"], "#6c757d")
        row["platform_label"] = _PLATFORM_LABELS.get(row["profile__platform"], row["profile__platform"])
        row["status_label"] = Publication.status_label(row["status"])
    return rows[:LIST_PAGE_SIZE], len(rows) > LIST_PAGE_SIZE


def content_item_feed(*, workspace, stage="", start: date, end: date):
    """What the editorial calendar's feed shows: only the fields an event needs."""
    qs = ContentItem.objects.filter(workspace=workspace, due_date__gte=start, due_date__lt=end)
    if stage:
        qs = qs.filter(stage=stage)
    return qs.order_by("due_date", "pk").values_list("pk", "title", "due_date", "stage", "format")


def publication_feed(*, workspace, platform="", status="", start, end):
    """What the publishing calendar's feed shows: only the fields an event needs."""
    qs = Publication.objects.filter(workspace=workspace, scheduled_at__gte=start, scheduled_at__lt=end)
    if platform:
        qs = qs.filter(profile__platform=platform)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("scheduled_at", "pk").values_list(
        "pk", "scheduled_at", "status", "profile__platform", "content_item__title"
    )


def publications(*, workspace, platform="", status="", start=None, end=None):
    qs = Publication.objects.filter(workspace=workspace).select_related("profile", "content_item", "owner")
    if platform:
        qs = qs.filter(profile__platform=platform)
    if status:
        qs = qs.filter(status=status)
    if start:
        qs = qs.filter(scheduled_at__gte=start)
    if end:
        qs = qs.filter(scheduled_at__lt=end)
    return qs.order_by("scheduled_at", "pk")


def publications_awaiting_decision(*, workspace, limit: int = 50) -> list[Publication]:
    """Posts only a person can move on: held after a crisis pause, or sent with an outcome nobody knows."""
    return list(
        Publication.objects.filter(
            workspace=workspace, status__in=[Publication.Status.HELD, Publication.Status.UNKNOWN]
        )
        .select_related("profile", "content_item")
        .order_by("scheduled_at", "pk")[:limit]
    )


def publications_scheduled(*, workspace, start: datetime, end: datetime) -> list[Publication]:
    """Every publication scheduled in [start, end), whatever its state, with its account and content item."""
    return list(
        Publication.objects.filter(workspace=workspace, scheduled_at__gte=start, scheduled_at__lt=end)
        .select_related("profile", "content_item")
        .order_by("scheduled_at", "pk")
    )


# A person has to look at these: the post did not go out, or nobody knows whether it did.
NEEDS_REVIEW_STATUSES = (Publication.Status.FAILED, Publication.Status.UNKNOWN, Publication.Status.HELD)


def publications_gone_wrong(*, workspace, since: datetime, until: datetime) -> list[Publication]:
    """Publications that failed, whose outcome is unknown or that were held, changed in [since, until)."""
    return list(
        Publication.objects.filter(
            workspace=workspace, status__in=NEEDS_REVIEW_STATUSES, updated_at__gte=since, updated_at__lt=until
        )
        .select_related("profile", "content_item")
        .order_by("updated_at", "pk")
    )


def publication_detail(*, workspace, pk):
    from .models import PublicationEvent

    return (
        Publication.objects.select_related("profile", "content_item", "owner", "first_approved_by")
        .prefetch_related(Prefetch("events", queryset=PublicationEvent.objects.select_related("actor")))
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


def publication_events(rows, zone: ZoneInfo) -> list[dict]:
    """FullCalendar events from `publication_feed` rows."""
    # Times are sent as workspace-local wall-clock times; the calendar shows them as they are.
    events = []
    for pk, scheduled_at, status, platform, title in rows:
        if scheduled_at is None:
            continue
        local = scheduled_at.astimezone(zone).replace(tzinfo=None)
        events.append(
            {
                "id": pk,
                "title": title,
                "start": local.isoformat(timespec="minutes"),
                "end": (local + timedelta(minutes=30)).isoformat(timespec="minutes"),
                "color": PLATFORM_COLOURS.get(platform, "#6c757d"),
                "url": f"/calendar/publishing/{pk}/",
                "editable": status not in UNEDITABLE_STATUSES,
                "extendedProps": {
                    "status": Publication.status_label(status),
                    "network": _PLATFORM_LABELS.get(platform, platform),
                },
            }
        )
    return events
