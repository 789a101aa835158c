"""What internal ambassadors can relay: the brand's publications of a month (used by stakeholders)."""

from calendar import monthrange
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from .models import Publication


def publications_to_relay(*, workspace, month_start: date) -> list[dict]:
    """The month's published or scheduled publications, as plain dicts for the ambassadors page."""
    zone = ZoneInfo(workspace.time_zone)
    last = monthrange(month_start.year, month_start.month)[1]
    begin = datetime.combine(month_start.replace(day=1), time(), tzinfo=zone)
    end = datetime.combine(month_start.replace(day=last), time.max, tzinfo=zone)
    rows = (
        Publication.objects.filter(
            workspace=workspace,
            status__in=[Publication.Status.PUBLISHED, Publication.Status.SCHEDULED],
            scheduled_at__range=(begin, end),
        )
        .select_related("profile", "content_item")
        .order_by("scheduled_at")
    )
    return [
        {
            "network": p.profile.platform,
            "network_label": p.profile.get_platform_display(),
            "scheduled_at": p.scheduled_at.astimezone(zone),
            "title": p.content_item.title,
            "copy": p.copy,
            "permalink": p.permalink,
        }
        for p in rows
    ]
