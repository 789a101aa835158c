"""The content pipeline's part of the monthly report: ideas received, publications published against planned."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Q

from metrics.platforms import Platform

from .models import Idea, Publication


def report_section(*, workspace, period_start: date, period_end: date) -> dict | None:
    """Frozen figures for the monthly report (plain JSON), or None when the period had no activity."""
    zone = ZoneInfo(workspace.time_zone)
    begin = datetime.combine(period_start, time(), tzinfo=zone)
    end = datetime.combine(period_end + timedelta(days=1), time(), tzinfo=zone)
    ideas = Idea.objects.filter(workspace=workspace, created_at__gte=begin, created_at__lt=end).aggregate(
        received=Count("pk"), accepted=Count("pk", filter=Q(status=Idea.Status.ACCEPTED))
    )
    rows = (
        Publication.objects.filter(workspace=workspace, scheduled_at__gte=begin, scheduled_at__lt=end)
        .exclude(status=Publication.Status.DRAFT)
        .values("profile__platform")
        .annotate(
            planned=Count("pk"),
            published=Count("pk", filter=Q(status=Publication.Status.PUBLISHED)),
            failed=Count("pk", filter=Q(status=Publication.Status.FAILED)),
        )
        .order_by("profile__platform")
    )
    networks = [
        {
            "network": r["profile__platform"],
            "label": Platform(r["profile__platform"]).label,
            "planned": r["planned"],
            "published": r["published"],
            "failed": r["failed"],
        }
        for r in rows
    ]
    if not ideas["received"] and not networks:
        return None
    return {
        "period_start": period_start.isoformat(),
        "period_end": period_end.isoformat(),
        "ideas_received": ideas["received"],
        "ideas_accepted": ideas["accepted"],
        "networks": networks,
        "planned": sum(n["planned"] for n in networks),
        "published": sum(n["published"] for n in networks),
    }
