"""Month arithmetic for reports."""

import calendar
import re
from datetime import date, timedelta


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(start: date) -> date:
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def previous_month(start: date) -> date:
    return (start.replace(day=1) - timedelta(days=1)).replace(day=1)


def parse_month(slug: str) -> date | None:
    """'2026-10' -> date(2026, 10, 1); None for anything else."""
    if not re.fullmatch(r"\d{4}-\d{2}", slug or ""):
        return None
    try:
        year, month = (int(part) for part in slug.split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        return None
