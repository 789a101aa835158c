"""The metrics pages' own tags; numbers and dates are formatted by `{% load numbers %}` (common/templatetags)."""

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from common import dates
from common.links import pk_url
from common.templatetags.numbers import DASH, count, percent, signed, signed_percent_value
from metrics.platforms import colour_of

register = template.Library()


@register.filter
def platform_colour(platform):
    return colour_of(platform)


@register.simple_tag(takes_context=True)
def row_url(context, name: str, pk: int) -> str:
    """`{% row_url "metrics:pull_now" profile.pk %}`: `{% url %}` for the rows of a long table, reversed once per
    page (common.links.pk_url): a reverse costs as much as the rest of a row's cell."""
    urls = context.render_context.setdefault("row_urls", {})
    if name not in urls:
        urls[name] = pk_url(name)
    return urls[name](int(pk))


@register.simple_tag
def pull_status_url(queued: dict, profile_id) -> str:
    """`{% pull_status_url queued profile.pk %}`: where the page asks how the profile's queued pull goes, or ""."""
    action = (queued or {}).get(profile_id)
    return reverse("metrics:pull_status", args=[action.pk]) if action else ""


@register.filter
def failed_day_rows(days):
    """A connection's failed-days table rows (day, pulls, failed, error: metrics/_failed_days.html), built here
    rather than in a template loop.

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


def _post_item(post: dict) -> str:
    media = f" · {escape(post['media_type'])}" if post["media_type"] else ""
    views = f' · <i class="bi bi-eye"></i> {count(post["views"])}' if post["views"] is not None else ""
    link = (
        f' · <a href="{escape(post["permalink"])}" target="_blank" rel="noopener">open</a>' if post["permalink"] else ""
    )
    return (
        '<li class="list-group-item d-flex gap-2"><div class="flex-grow-1 ms-1 post-table-text">'
        f'<div class="small text-body-secondary"><span class="platform-dot" data-colour="{escape(colour_of(post["platform"]))}">'
        f"</span>@{escape(post['handle'])} · {escape(post['when'])}{media}</div>"
        f"<div>{escape(post['excerpt'])}</div>"
        f'<div class="small mt-1"><i class="bi bi-heart"></i> {count(post["likes"])} · <i class="bi bi-chat"></i> '
        f'{count(post["comments"])} · <i class="bi bi-repeat"></i> {count(post["shares"])}{views}{link}</div></div>'
        f'<div class="text-end"><span class="badge text-bg-light fs-6">{percent(post["engagement_rate"])}</span>'
        f'<div class="small text-body-secondary">of {count(post["followers_at_posting"])} followers</div></div></li>'
    )


@register.filter
def post_items(posts):
    """The top and flop lists' items (`metrics.views._post_rows`), built here rather than in a template loop: through
    the loop, the 40 rows of eight figures and texts were most of the page's rendering (a quarter of its CPU time
    in the profile at scale 10, more than its four queries' reads).

    The stored texts (handle, media type, excerpt, permalink) and the day are escaped; the rest are numbers
    formatted by the numbers library and the platform's colour from its table.
    """
    return mark_safe("".join(_post_item(post) for post in posts))  # every stored text is escaped (above)


# The heatmap's scale: from the page's light grey to the brand's purple; the text turns white where the cell is dark.
_HEAT_LOW, _HEAT_HIGH = (0xF1, 0xF3, 0xF5), (0x3B, 0x2A, 0x8F)


def _luminance(rgb) -> float:
    channels = [c / 255 for c in rgb]
    channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


@register.filter
def heat(hour, best) -> str:
    """A best-time hour's cell colours, as `data-colour` and `data-text-colour` (static/js/app.js paints them): where
    its mean rate lies between the worst and the best hour that count (metrics/best_time.py), the worst a light
    tint, the best the darkest; an hour with too few posts stays grey. Text black or white, whichever reads at WCAG
    AA 4.5:1 on the cell (at this scale one of them always does)."""
    share = 0.0
    if hour.counts and hour.rate is not None and best.top_rate is not None:
        spread = best.top_rate - best.low_rate
        share = 0.15 + 0.85 * ((hour.rate - best.low_rate) / spread if spread else 1.0)
    rgb = tuple(round(low + (high - low) * share) for low, high in zip(_HEAT_LOW, _HEAT_HIGH, strict=True))
    text = "#ffffff" if _luminance(rgb) < 0.18 else "#000000"
    return mark_safe(f'data-colour="#{rgb[0]:02x}{rgb[1]:02x}{rgb[2]:02x}" data-text-colour="{text}"')


def _performance_row(profile, perf, by_views, day) -> str:
    def figure(name):
        return getattr(perf, name, None)

    competitor = "" if profile.is_own else " · competitor"
    growth_pct = figure("growth_pct")
    growth_pct = (
        f' <small class="text-body-secondary">({signed_percent_value(growth_pct)})</small>'
        if growth_pct is not None
        else ""
    )
    return (
        f'<tr><td><span class="platform-dot" data-colour="{escape(colour_of(profile.platform))}"></span>'
        f'@{escape(profile.handle)} <small class="text-body-secondary">{escape(profile.platform_label)}{competitor}</small></td>'
        f'<td class="text-end text-nowrap" data-figure="followers">{count(figure("followers"))}</td>'
        f'<td class="text-end text-nowrap"><span data-figure="growth">{signed(figure("growth"))}</span>{growth_pct}</td>'
        f'<td class="text-end text-nowrap">{count(figure("posts") or 0)}</td>'
        f'<td class="text-end text-nowrap">{count(figure("posts_per_week"), 1)}</td>'
        f'<td class="text-end text-nowrap" data-figure="engagement-rate">{percent(figure("engagement_rate"))}</td>'
        f'<td class="text-end text-nowrap">{percent(by_views)}</td>'
        f'<td class="text-end text-nowrap">{count(figure("interactions_per_post"))}</td>'
        f'<td class="text-nowrap">{day(figure("last_post_on")) or DASH}</td></tr>'
    )


@register.filter
def performance_rows(rows):
    """The metrics page's table rows (profile, its figures or None, its rate by impressions), built here rather than
    in a template loop: through the loop its 25 rows of nine formatted figures were the largest part of the page's
    rendering.

    The handle and the network's label are escaped; the rest are numbers and dates through the numbers library.
    """
    day = dates.days()
    return mark_safe(  # the stored texts are escaped (above), the rest are formatted numbers and dates
        "".join(_performance_row(profile, perf, by_views, day) for profile, perf, by_views in rows)
    )
