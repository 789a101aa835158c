"""The metrics pages' own tags; numbers and dates are formatted by `{% load numbers %}` (common/templatetags)."""

from django import template
from django.urls import reverse

from metrics.platforms import PLATFORM_COLOURS

register = template.Library()


@register.filter
def platform_colour(platform):
    return PLATFORM_COLOURS.get(platform, "#6c757d")


@register.simple_tag
def pull_status_url(queued: dict, profile_id) -> str:
    """`{% pull_status_url queued profile.pk %}`: where the page asks how the profile's queued pull goes, or ""."""
    action = (queued or {}).get(profile_id)
    return reverse("metrics:pull_status", args=[action.pk]) if action else ""
