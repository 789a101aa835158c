from django import template
from django.urls import reverse

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


@register.filter
def thousands(value):
    """12345 -> '12,345', like humanize's intcomma for this site's English, at a fraction of its cost.

    The post tables show five counts per post; intcomma goes through the localisation machinery each time.
    """
    if isinstance(value, int):
        return f"{value:,}"
    return value


@register.simple_tag
def pull_status_url(queued: dict, profile_id) -> str:
    """`{% pull_status_url queued profile.pk %}`: where the page asks how the profile's queued pull goes, or ""."""
    action = (queued or {}).get(profile_id)
    return reverse("metrics:pull_status", args=[action.pk]) if action else ""
