from django import template
from django.utils.html import format_html

from .. import evidence
from ..selectors import Average, Figures

register = template.Library()


@register.filter
def evidence_href(value: str) -> str:
    """A SWOT evidence link fit for href, or "" (the page then shows the value as text)."""
    return evidence.evidence_href(value)


def _count(value) -> str:
    """12345.4 -> '12,345': this site's English separators, without humanize's localisation machinery (it was
    a third of the benchmark page's rendering)."""
    return f"{round(value):,}"


def format_figure(name: str, value) -> str:
    """How each benchmark figure reads: counts with separators, rates as percentages."""
    if name == "followers":
        return _count(value)
    if name == "growth":
        return ("+" if value > 0 else "") + _count(value)
    if name == "growth_pct":
        return f"{value:+.1f}%"
    if name == "posts_per_week":
        return f"{value:.1f}"
    if name in ("engagement_rate", "engagement_rate_pct"):
        return f"{(value * 100 if name == 'engagement_rate' else value):.2f}%"
    if name == "interactions_per_post":
        return _count(value)
    if name in ("share_of_posts", "share_of_interactions"):
        return f"{value * 100:.0f}%"
    return str(value)


@register.simple_tag
def figure(source, name: str):
    """A figure of the benchmark, or a dash that says (on hover and to screen readers) why it is missing."""
    value = getattr(source, name, None)
    if value is not None and not (isinstance(source, Figures) and source.missing):
        return format_figure(name, value)
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
def pct(value, digits=0):
    """0.256 -> '26%' (None -> '—')."""
    if value is None:
        return "—"
    return f"{value * 100:.{int(digits)}f}%"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
