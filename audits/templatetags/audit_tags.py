from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def percent(value, digits=2):
    """0.0345 -> "3.45 %"; None stays a dash."""
    if value is None:
        return "—"
    return f"{value * 100:.{int(digits)}f} %"


@register.filter
def score_class(score):
    if score is None:
        return ""
    return "score-good" if score >= 75 else "score-fair" if score >= 50 else "score-poor"


def _local(value: date | datetime) -> date | datetime:
    return timezone.localtime(value) if isinstance(value, datetime) and timezone.is_aware(value) else value


# The report's tables print a date on every row. These give what the date filter gives for "j M Y" and
# "j M Y, H:i" (same month names, same time zone), without its general format parser: a fifth of the cost.
@register.filter
def day(value: date | datetime | None) -> str:
    """3 May 2024; nothing for no date."""
    if not value:
        return ""
    value = _local(value)
    return f"{value.day} {MONTHS_3[value.month].title()} {value.year}"


@register.filter
def day_time(value: datetime | None) -> str:
    """3 May 2024, 09:05 in the current time zone; nothing for no time."""
    if not value:
        return ""
    value = _local(value)
    return f"{value.day} {MONTHS_3[value.month].title()} {value.year}, {value:%H:%M}"


_NO_TWO_FACTOR = mark_safe(' <i class="bi bi-unlock text-warning" title="2-step verification off"></i>')


def _access_cell(access) -> str:
    if access is None:
        return '<td class="cell"></td>'
    return format_html(
        '<td class="cell"><span class="{}">{}</span>{}</td>',
        "" if access.still_with_company else "text-danger fw-bold",
        access.level,
        "" if access.two_factor else _NO_TWO_FACTOR,
    )


@register.filter
def access_cells(cells):
    """One access matrix row's cells: the level (red once the person left), an open lock without 2-step verification.

    Built here rather than in a template loop: a matrix has accounts x people cells, most of them empty.
    """
    return mark_safe("".join(_access_cell(access) for access in cells))  # each cell escapes its level
