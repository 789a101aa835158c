"""The calendar's markup that long lists print once per row (a filter costs less than an include per row)."""

from django import template
from django.utils.html import format_html

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
