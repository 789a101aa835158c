from django import template

from ..registry import action as registered_action

register = template.Library()


@register.inclusion_tag("outbox/_queued_action.html", takes_context=True)
def queued_action(context, actions: dict, subject_id):
    """`{% queued_action queued profile.pk %}`: where this subject's queued action stands, if it has one."""
    action = (actions or {}).get(subject_id)
    return {
        "action": action,
        "label": registered_action(action.name).label if action else "",
        "request": context.get("request"),
    }
