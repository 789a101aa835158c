"""The metrics pages' own tags; numbers and dates are formatted by `{% load numbers %}` (common/templatetags)."""

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from common import dates
from common.templatetags.numbers import DASH, count
from metrics.platforms import colour_of

register = template.Library()


@register.filter
def platform_colour(platform):
    return colour_of(platform)


_MARKER = 987654321  # an id no row has, replaced by each row's


@register.simple_tag(takes_context=True)
def row_url(context, name: str, pk: int) -> str:
    """`{% row_url "metrics:pull_now" profile.pk %}`: `{% url %}` for the rows of a long table.

    Reversed once per page with a marker in place of the id, then the id is put in its place: a reverse costs
    as much as the rest of a row's cell, and the connections page has four per row.
    """
    urls = context.render_context.get("row_urls")
    if urls is None:
        urls = context.render_context["row_urls"] = {}
    if name not in urls:
        head, tail = reverse(name, args=[_MARKER]).split(str(_MARKER))
        urls[name] = (head, tail)
    head, tail = urls[name]
    return f"{head}{int(pk)}{tail}"


@register.simple_tag
def pull_status_url(queued: dict, profile_id) -> str:
    """`{% pull_status_url queued profile.pk %}`: where the page asks how the profile's queued pull goes, or ""."""
    action = (queued or {}).get(profile_id)
    return reverse("metrics:pull_status", args=[action.pk]) if action else ""


@register.filter
def failed_day_rows(days):
    """The connections page's failed-days table rows (day, pulls, failed, error), built here rather than in a
    template loop: 12 rows for each of dozens of connections cost more than the rest of the page.

    Written as one string rather than through format_html per row (a third of the page's time): the day and the
    counts are made of digits, commas and month names; the error kind, the one stored text, is escaped.
    """
    day = dates.days()
    return mark_safe(  # every value is a number, a date or escaped (above)
        "".join(
            f"<tr><td>{day(d.date)}</td><td>{count(d.runs)}</td><td>{count(d.failed)}</td>"
            f"<td>{escape(d.error_kind) if d.error_kind else DASH}</td></tr>"
            for d in days
        )
    )
