from django import template

from ..selectors import unread_count

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context) -> dict:
    """The bell of the top navigation, with the member's unread count (one COUNT query)."""
    return {"unread": unread_count(membership=context.get("membership"))}
