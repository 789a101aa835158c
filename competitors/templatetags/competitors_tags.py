from django import template
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe

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


def _cells(source, *, growth_class: str) -> str:
    """A benchmark row's five figure cells (followers, growth and its percent, posts a week, the rates)."""

    def cell(name):
        return conditional_escape(figure(source, name))

    return (
        f'<td class="text-end">{cell("followers")}</td>'
        f'<td class="text-end">{cell("growth")}<div class="{growth_class}">{cell("growth_pct")}</div></td>'
        f'<td class="text-end">{cell("posts_per_week")}</td>'
        f'<td class="text-end">{cell("engagement_rate")}</td>'
        f'<td class="text-end">{cell("interactions_per_post")}</td>'
    )


def _entity_row(entity, figures) -> str:
    badge = ' <span class="badge text-bg-light">us</span>' if entity.is_brand else ""
    if figures.missing:
        note = (
            '<div class="small fw-normal text-body-secondary" data-testid="missing-reason">'
            f"{escape(figures.missing)}</div>"
        )
    elif not figures.posts:
        note = '<div class="small fw-normal text-body-secondary">No posts in this period.</div>'
    else:
        note = ""
    shares = "".join(
        f'<td class="text-end">{conditional_escape(figure(figures, name))}</td>'
        for name in ("share_of_posts", "share_of_interactions")
    )
    return (
        f'<tr class="{"table-brand" if entity.is_brand else ""}" data-entity="{escape(entity.key)}">'
        '<th scope="row" class="fw-semibold">'
        f'<span class="platform-dot" data-colour="{escape(entity.colour)}"></span>{escape(entity.name)}{badge} {note}'
        f"</th>{_cells(figures, growth_class='small text-body-secondary')}{shares}</tr>"
    )


@register.simple_tag
def benchmark_rows(scope):
    """The rows of a benchmark table (`_benchmark_table.html`: an entity each), written here in one pass rather than
    a template loop: the benchmark page shows four such tables (all networks, then each network), 176 figures
    through `{% figure %}`, which were more of the page's rendering than everything else on it. The entity's name
    and key, and the reasons for a gap, are escaped; the figures are the numbers library's (`figure`)."""
    return mark_safe("".join(_entity_row(entity, figures) for entity, figures in scope.rows))  # escaped above


@register.simple_tag
def benchmark_average_row(average, testid: str):
    """A benchmark table's average row (competitors, or the whole landscape), as `benchmark_rows` writes its rows."""
    return mark_safe(  # the label is escaped, the figures are `figure`'s
        f'<tr class="text-body-secondary" data-testid="{escape(testid)}">'
        f'<th scope="row" class="fw-normal fst-italic">{escape(average.label)}</th>'
        f"{_cells(average, growth_class='small')}<td></td><td></td></tr>"
    )


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
