from django import template

from metrics.platforms import PLATFORM_COLOURS

register = template.Library()


@register.filter
def percent(rate, digits=2):
    """0.01234 -> '1.23 %'; None -> '—'."""
    if rate is None:
        return "—"
    return f"{rate * 100:.{int(digits)}f} %"


@register.filter
def platform_colour(platform):
    return PLATFORM_COLOURS.get(platform, "#6c757d")
