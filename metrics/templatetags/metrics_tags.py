"""The metrics pages' own tags; numbers and dates are formatted by `{% load numbers %}` (common/templatetags)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html_join

from common.templatetags.numbers import count, day
from metrics.platforms import colour_of

register = template.Library()


@register.filter
def platform_colour(platform):
    return colour_of(platform)


@register.simple_tag
def pull_status_url(queued: dict, profile_id) -> str:
    """`{% pull_status_url queued profile.pk %}`: where the page asks how the profile's queued pull goes, or ""."""
    action = (queued or {}).get(profile_id)
    return reverse("metrics:pull_status", args=[action.pk]) if action else ""


@register.filter
def failed_day_rows(days):
    """The connections page's failed-days table rows (day, pulls, failed, error), built here rather than in a
    template loop: 12 rows for each of dozens of connections cost more than the rest of the page."""
    return format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        ((day(d.date), count(d.runs), count(d.failed), d.error_kind or "—") for d in days),
    )
