"""The calendar's markup that long lists print once per row (a filter costs less than an include per row)."""

from html import escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from calendar_app.models import Idea, Publication, badge_of

register = template.Library()


@register.filter
def status_badge(status: str) -> str:
    """A publication status as its badge: `{{ p.status|status_badge }}` (lists, a decision, a publication's page)."""
    return format_html(
        '<span class="badge {}" data-testid="publication-status">{}</span>',
        badge_of(status),
        Publication.status_label(status),
    )


IDEA_BADGES = {"accepted": "text-bg-success", "declined": "text-bg-secondary", "parked": "text-bg-warning"}
_IDEA_LABELS = dict(Idea.Status.choices)


@register.filter
def idea_status_badge(status: str) -> str:
    """An idea's status as its badge: `{{ idea.status|idea_status_badge }}` (new ideas in the primary colour)."""
    return format_html(
        '<span class="badge {}" data-testid="idea-status">{}</span>',
        IDEA_BADGES.get(status, "text-bg-primary"),
        _IDEA_LABELS.get(status, status),
    )


@register.simple_tag
def select_options(choices, selected) -> str:
    """A filter's <option>s, the chosen one selected: `{% select_options accounts filters.account %}`. Once per list,
    not a tag per option, and escaped by the standard library's html.escape (a format_html per option cost more):
    the publishing calendar's account filter lists every own account (300 at scale 10)."""
    return mark_safe(
        "".join(
            f'<option value="{escape(str(value))}"{" selected" if value == selected else ""}>{escape(str(label))}</option>'
            for value, label in choices
        )
    )
