from django import template
from django.utils.html import format_html

from common.numbers import ONE_DECIMAL
from common.templatetags import numbers

from .. import evidence
from ..selectors import Average, Figures

register = template.Library()


@register.filter
def evidence_href(value: str) -> str:
    """A SWOT evidence link fit for href, or "" (the page then shows the value as text)."""
    return evidence.evidence_href(value)


# How each benchmark figure reads, through the one library of number filters (common/templatetags/numbers.py).
FORMATS = {
    "followers": numbers.count,
    "growth": numbers.signed,
    "growth_pct": numbers.signed_percent_value,
    "posts_per_week": lambda value: numbers.count(value, ONE_DECIMAL),
    "engagement_rate": numbers.percent,
    "engagement_rate_pct": numbers.percent_value,
    "interactions_per_post": numbers.count,
    # Shares of voice in whole percents: a share, not a rate, and the per-network tables must fit 1280 px.
    "share_of_posts": lambda value: numbers.percent(value, 0),
    "share_of_interactions": lambda value: numbers.percent(value, 0),
}


@register.simple_tag
def figure(source, name: str):
    """A figure of the benchmark, or a dash that says (on hover and to screen readers) why it is missing."""
    value = getattr(source, name, None)
    if value is not None and not (isinstance(source, Figures) and source.missing):
        return FORMATS.get(name, str)(value)
    if isinstance(source, Figures):
        reason = source.why(name) or "Not available."
    elif isinstance(source, Average):
        reason = "No one in this group has this figure."
    else:
        reason = "Not available."
    return format_html(
        '<span class="text-body-secondary" title="{}">—<span class="visually-hidden"> ({})</span></span>',
        reason,
        reason,
    )


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
