"""Small filters for showing frozen report figures (plain JSON values)."""

from datetime import date, datetime

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()


@register.filter
def figure(value, decimals=0):
    """A number with thousands separators, or a dash when it is unknown."""
    if value is None or value == "":
        return "—"
    if decimals and float(value) != round(float(value)):
        return f"{float(value):,.{int(decimals)}f}"
    return intcomma(round(float(value)))


@register.filter
def signed(value, decimals=0):
    if value is None:
        return "—"
    text = figure(abs(value), decimals)
    return f"+{text}" if value > 0 else f"-{text}" if value < 0 else text  # ASCII: the PDF fonts lack U+2212


@register.filter
def isodate(value):
    """An ISO date or datetime string from the frozen JSON, as a date or datetime object."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    except ValueError:
        return None


@register.filter
def share_of(value, total):
    """A bar's width in percent of the largest value (at least 1 so the bar shows)."""
    if not value or not total:
        return 1
    return max(1, min(100, round(float(value) / float(total) * 100)))


@register.filter
def max_of(rows, key):
    values = [row.get(key) for row in rows or [] if row.get(key) is not None]
    return max(values) if values else 0
