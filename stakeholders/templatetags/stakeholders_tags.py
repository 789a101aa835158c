"""The stakeholders' own tags: the home's follow-ups in one pass."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import escape
from django.utils.safestring import mark_safe

from common.links import csrf_field, pk_url

register = template.Library()


@register.simple_tag(takes_context=True)
def follow_up_items(context, follow_ups, today, may_edit) -> str:
    """The team home's follow-ups due (stakeholders.selectors `follow_ups_due_rows`), in one pass rather than a
    template loop: two addresses, a form and its CSRF token a row made it the costliest panel of the page to render.

    The description, the contact's and the owner's names are escaped; each address is reversed once for all rows.
    """
    contact_url = pk_url("stakeholders:contact")
    done_url = pk_url("stakeholders:follow_up_done") if may_edit else None
    if may_edit:
        csrf = csrf_field(context)
        request = context.get("request")
        back = escape(request.path if request is not None else "")
    out = []
    for f in follow_ups:
        due = f["due_on"]
        badge, when = ("text-bg-danger", "overdue · ") if due < today else ("text-bg-light", "")
        if due == today:
            badge, when = "text-bg-warning", "today · "
        owner = f" · {escape(f['owner'])}" if f["owner"] else ""
        description = escape(f["description"])
        form = ""
        if may_edit:
            form = (
                f'<form method="post" action="{done_url(f["pk"])}">'
                + csrf
                + f'<input type="hidden" name="next" value="{back}">'
                '<button class="btn btn-sm btn-outline-success py-0" type="submit" title="Mark done" '
                f'aria-label="Mark done: {description}"><i class="bi bi-check2"></i></button></form>'
            )
        out.append(
            '<li class="d-flex align-items-start gap-2 py-1 border-bottom"><div class="me-auto">'
            f"<div>{description}</div>"
            f'<div class="small text-body-secondary"><a href="{contact_url(f["contact_id"])}">'
            f"{escape(f['contact_name'])}</a>{owner}</div></div>"
            f'<span class="badge {badge}">{when}{escape(date_filter(due, "j M"))}</span>{form}</li>'
        )
    return mark_safe("".join(out))  # every stored text escaped above
