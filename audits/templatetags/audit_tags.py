from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from common import dates

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


# The report's tables print a date on every row: the cheap equivalents of "j M Y" and "j M Y, H:i".
day = register.filter("day", dates.day)
day_time = register.filter("day_time", dates.day_time)


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
