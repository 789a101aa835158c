"""Reads the calendar pages share, with their query counts in mind."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, OuterRef, Prefetch

from metrics.platforms import PLATFORM_COLOURS

from .models import ContentItem, Idea, IdeaComment, IdeaVote, Publication


def ideas_for(*, membership, status: str = ""):
    """Ideas a member may see: the team sees all, a contributor their own; with vote and comment counts."""
    qs = Idea.objects.filter(workspace=membership.workspace).select_related("author", "content_item")
    if membership.role == "contributor":
        qs = qs.filter(author=membership.user)
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(
        vote_count=Count("votes", distinct=True),
        comment_count=Count("comments", distinct=True),
        my_vote=Exists(IdeaVote.objects.filter(idea=OuterRef("pk"), voter=membership.user)),
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


STAGE_COLOURS = {"drafting": "#adb5bd", "in_review": "#fd7e14", "approved": "#198754", "ready": "#3b2a8f"}


def content_item_events(items) -> list[dict]:
    return [
        {
            "id": item.pk,
            "title": item.title,
            "start": item.due_date.isoformat(),
            "allDay": True,
            "color": STAGE_COLOURS.get(item.stage, "#6c757d"),
            "url": f"/calendar/editorial/{item.pk}/",
            "extendedProps": {"stage": item.get_stage_display(), "format": item.get_format_display()},
        }
        for item in items
    ]


def publication_events(items, zone: ZoneInfo) -> list[dict]:
    # Times are sent as workspace-local wall-clock times; the calendar shows them as they are.
    events = []
    for p in items:
        if p.scheduled_at is None:
            continue
        events.append(
            {
                "id": p.pk,
                "title": f"{p.content_item.title}",
                "start": p.scheduled_at.astimezone(zone).replace(tzinfo=None).isoformat(timespec="minutes"),
                "end": (p.scheduled_at.astimezone(zone) + timedelta(minutes=30))
                .replace(tzinfo=None)
                .isoformat(timespec="minutes"),
                "color": PLATFORM_COLOURS.get(p.profile.platform, "#6c757d"),
                "url": f"/calendar/publishing/{p.pk}/",
                "editable": p.status not in ("published", "paused"),
                "extendedProps": {"status": p.get_status_display(), "network": p.profile.get_platform_display()},
            }
        )
    return events
