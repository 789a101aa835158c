"""iCalendar (RFC 5545) feeds of the two calendars."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from common.site import site_url

from . import selectors
from .models import CalendarFeed

WINDOW_BEFORE, WINDOW_AFTER = timedelta(days=90), timedelta(days=365)


def build_calendar(*, feed: CalendarFeed) -> bytes:
    """The feed's events over a bounded window, so the feed stays small as the calendar grows."""
    workspace = feed.workspace
    cal = Calendar()
    cal.add("prodid", "-//SMM workspace//calendar_app//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{workspace} · {feed.get_kind_display()}")
    cal.add("x-wr-timezone", workspace.time_zone)
    now = timezone.now()
    stamp = now.replace(microsecond=0)
    host = settings.SITE_URL.split("://")[-1].split("/")[0] or "smm.local"
    if feed.kind == CalendarFeed.Kind.EDITORIAL:
        today = timezone.localdate()
        items = selectors.content_items(workspace=workspace, start=today - WINDOW_BEFORE, end=today + WINDOW_AFTER)
        for item in items:
            event = Event()
            event.add("uid", f"content-{item.pk}@{host}")
            event.add("dtstamp", stamp)
            event.add("dtstart", item.due_date)
            event.add("dtend", item.due_date + timedelta(days=1))
            event.add("summary", f"[{item.get_stage_display()}] {item.title}")
            event.add("description", item.brief)
            event.add("url", site_url(reverse("calendar_app:content_item_edit", args=[item.pk])))
            cal.add_component(event)
    else:
        rows = selectors.publications(workspace=workspace, start=now - WINDOW_BEFORE, end=now + WINDOW_AFTER)
        for p in rows:
            event = Event()
            event.add("uid", f"publication-{p.pk}@{host}")
            event.add("dtstamp", stamp)
            event.add("dtstart", p.scheduled_at)
            event.add("dtend", p.scheduled_at + timedelta(minutes=15))
            event.add(
                "summary", f"{p.profile.get_platform_display()}: {p.content_item.title} ({p.get_status_display()})"
            )
            event.add("description", p.copy)
            event.add("url", site_url(reverse("calendar_app:publication_detail", args=[p.pk])))
            cal.add_component(event)
    return cal.to_ical()
