"""The pages the benchmark measures, each with the address a member would open today."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import NoReverseMatch, reverse

FLOOR = "floor"


@dataclass(frozen=True)
class Page:
    name: str
    url: str


def _month_range(today: date) -> str:
    """The window FullCalendar's month view asks for: six weeks from the Monday on or before the 1st."""
    first = today.replace(day=1)
    start = first - timedelta(days=first.weekday())
    return f"?start={start.isoformat()}&end={(start + timedelta(days=42)).isoformat()}"


def _monthly_report_url(workspace) -> str | None:
    """Last month's report, the one an executive opens."""
    from reports.models import MonthlyReport

    report = MonthlyReport.objects.filter(workspace=workspace).order_by("-month", "-version").first()
    return reverse("reports:detail", kwargs={"slug": report.slug}) if report else None


def main_pages(*, workspace, today: date) -> tuple[list[Page], list[str]]:
    """The pages that exist on this branch, and the names of those that do not (yet)."""
    month = _month_range(today)
    wanted = [
        (FLOOR, "bench_floor", ""),
        ("dashboard", "dashboard:home", ""),
        # The figures the dashboard fetches once it shows (followers, competitors, objectives).
        ("dashboard figures", "dashboard:figures", ""),
        ("audit report", "audits:report", ""),
        ("editorial month", "calendar_app:editorial", ""),
        ("editorial feed", "calendar_app:editorial_events", month),
        ("publishing month", "calendar_app:publishing", ""),
        ("publishing feed", "calendar_app:publishing_events", month),
        ("competitor benchmark", "competitors:benchmark", ""),
        ("top and flop posts", "metrics:top", ""),
        ("stakeholder directory", "stakeholders:directory", ""),
        # The other pages the team opens every day.
        ("ideas", "calendar_app:idea_list", ""),
        ("meeting agenda", "calendar_app:meeting", ""),
        # The objectives the meeting fetches once it shows (30 days of the brand's figures per network).
        ("meeting objectives", "calendar_app:meeting_objectives", ""),
        ("posting queue", "calendar_app:queue", ""),
        ("composer", "calendar_app:composer", ""),
        # The queue page's heatmap, which it fetches once it shows (16 weeks of the brand's posts by hour).
        ("best times to post", "calendar_app:best_times", ""),
        ("metrics", "metrics:dashboard", ""),
        ("connections", "metrics:connections", ""),
        ("strategy", "strategy:home", ""),
        ("SWOT", "competitors:swot", ""),
        ("audit inventory", "audits:accounts", ""),
        ("access register", "audits:access", ""),
        # The media library's first page of 48 thumbnails, over 5,000 files at scale 1.
        ("media library", "media_library:library", ""),
        # A search of names, alt texts and tags over them (a word one file in ten carries).
        ("media library search", "media_library:library", "?q=launch"),
    ]
    pages, missing = [], []
    for name, url_name, query in wanted:
        try:
            pages.append(Page(name, reverse(url_name) + query))
        except NoReverseMatch:
            missing.append(name)
    try:
        report_url = _monthly_report_url(workspace)
    except NoReverseMatch:
        report_url = None
    if report_url:
        pages.append(Page("monthly report", report_url))
    else:
        missing.append("monthly report")
    return pages, missing
