"""The audit pages' own filters; numbers and dates are formatted by `{% load numbers %}` (common/templatetags)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def score_class(score):
    if score is None:
        return ""
    return "score-good" if score >= 75 else "score-fair" if score >= 50 else "score-poor"


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
