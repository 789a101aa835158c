"""The audit pages' own filters; numbers and dates are formatted by `{% load numbers %}` (common/templatetags)."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst, slugify

from common import dates
from common.links import csrf_field, pk_url
from common.templatetags.numbers import count, percent, signed, signed_percent_value

register = template.Library()


@register.filter
def score_class(score):
    if score is None:
        return ""
    return "score-good" if score >= 75 else "score-fair" if score >= 50 else "score-poor"


_NO_TWO_FACTOR = mark_safe(' <i class="bi bi-unlock text-warning" title="2-step verification off"></i>')


def _access_cell(access) -> str:
    if access is None:
        return '<td class="cell"></td>'
    return format_html(
        '<td class="cell"><span class="{}">{}</span>{}</td>',
        "" if access.still_with_company else "text-danger fw-bold",
        access.level,
        "" if access.two_factor else _NO_TWO_FACTOR,
    )


@register.filter
def access_cells(cells):
    """One access matrix row's cells: the level (red once the person left), an open lock without 2-step verification.

    Built here rather than in a template loop: a matrix has accounts x people cells, most of them empty.
    """
    return mark_safe("".join(_access_cell(access) for access in cells))  # each cell escapes its level


_TWO_FACTOR_ON = '<i class="bi bi-shield-check text-success" title="on"></i> on'
_TWO_FACTOR_OFF = '<i class="bi bi-unlock text-warning"></i> off'


@register.simple_tag(takes_context=True)
def access_rows(context, grants, can_edit) -> str:
    """The access register's rows (account, person, level, tool, 2-step, granted, reviewed, the buttons), in one
    pass, every stored text escaped: `{% access_rows grants can_edit %}`.

    Fifty rows through the template's nodes, each with two `{% url %}` and a `{% csrf_token %}`, were most of the
    page's time (profiled); the addresses are reversed once, the markup is the one the rows had.
    """
    day = dates.days()
    if can_edit:
        token = csrf_field(context)
        review_url, edit_url = pk_url("audits:access_review"), pk_url("audits:access_edit")
    out = []
    for g in grants:
        about = "team member" if g.member_id else escape(g.person_email)
        if g.department:
            about += f" · {escape(g.department)}"
        if not g.still_with_company:
            about += " · <strong>left the company</strong>"
        buttons = (
            f'<td class="d-print-none text-end text-nowrap">'
            f'<form method="post" action="{review_url(g.pk)}" class="d-inline">{token}'
            f'<button class="btn btn-sm btn-outline-success" type="submit" title="Confirm this access is still needed">'
            f"Reviewed</button></form> "
            f'<a class="btn btn-sm btn-outline-secondary" href="{edit_url(g.pk)}">Edit</a></td>'
            if can_edit
            else ""
        )
        row_class = "" if g.still_with_company else ' class="table-danger"'
        out.append(
            f"<tr{row_class}>"
            f'<td class="small">{escape(g.account)}</td>'
            f'<td>{escape(g.holder_name)}<div class="small text-body-secondary">{about}</div></td>'
            f"<td>{escape(g.level_label)}</td>"
            f'<td class="small">{escape(g.tool_label)}</td>'
            f"<td>{_TWO_FACTOR_ON if g.two_factor else _TWO_FACTOR_OFF}</td>"
            f'<td class="small">{day(g.granted_on) or "—"}</td>'
            f'<td class="small{" text-danger" if g.review_due else ""}" data-testid="reviewed-on">'
            f"{day(g.last_reviewed_on) or 'never'}</td>{buttons}</tr>"
        )
    return mark_safe("\n".join(out))  # every stored text escaped above


@register.simple_tag
def inventory_rows(accounts, edit_links=False) -> str:
    """The inventory's rows (account, purpose, owner, status, the last 30 days' figures, last post), in one pass,
    every stored text escaped: `{% inventory_rows accounts edit_links %}` (accounts from
    `selectors.with_performance`, each with `.perf`).

    Fifty rows through the template's nodes, nine formatted figures and a `{% url %}` each, were most of the
    inventory's time and a third of the report's (profiled); the markup is the one the rows had.
    """
    day = dates.days()
    if edit_links:
        edit_url = pk_url("audits:account_edit")
    out = []
    for a in accounts:
        handle = f"@{escape(a.handle)}"
        if a.url:
            handle = f'<a href="{escape(a.url)}" rel="noopener noreferrer" target="_blank">{handle}</a>'
        since = f" · since {a.created_on.year}" if a.created_on else ""
        owner = escape(a.owner) if a.owner_id else '<span class="text-danger">nobody</span>'
        p = a.perf
        if p is not None and p.followers is not None:
            growth_pct = (
                f' <small class="text-body-secondary">({signed_percent_value(p.growth_pct)})</small>'
                if p.growth_pct is not None
                else ""
            )
            figures = (
                f'<td class="text-end" data-figure="followers">{count(p.followers)}</td>'
                f'<td class="text-end"><span data-figure="growth">{signed(p.growth)}</span>{growth_pct}</td>'
                f'<td class="text-end">{count(p.posts_per_week, 1)}</td>'
                f'<td class="text-end" data-figure="engagement-rate">{percent(p.engagement_rate)}</td>'
                f'<td class="text-nowrap">{day(p.last_post_on or a.last_post_on) or "—"}</td>'
            )
        else:
            figures = (
                '<td colspan="4" class="text-body-secondary small" data-testid="no-data">no data yet</td>'
                f'<td class="text-nowrap">{day(a.last_post_on) or "—"}</td>'
            )
        edit = (
            f'<td class="d-print-none text-end"><a class="btn btn-sm btn-outline-secondary" '
            f'href="{edit_url(a.pk)}">Edit</a></td>'
            if edit_links
            else ""
        )
        out.append(
            f'<tr><td><span class="platform-dot" data-colour="{escape(a.colour)}"></span>{handle}'
            f'<div class="small text-body-secondary">{escape(a.platform_label)}{since}</div></td>'
            f'<td>{escape(a.purpose) or "—"}<div class="small text-body-secondary">{escape(a.audience)}</div></td>'
            f'<td>{owner}</td><td><span class="badge {a.status_badge}">{escape(a.status_label)}</span></td>'
            f"{figures}{edit}</tr>"
        )
    return mark_safe("\n".join(out))  # every stored text escaped above


# selectors.compare_runs' verdicts, as `verdict|slugify` and `verdict|capfirst` print them.
_VERDICT_BADGES = {v: (slugify(v), capfirst(v)) for v in ("new", "reopened", "still open", "resolved")}


@register.simple_tag(takes_context=True)
def finding_rows(context, rows, can_edit) -> str:
    """The report's findings (severity, title and detail, how it was resolved, since the last run, the resolve
    form), in one pass, every stored text escaped: `{% finding_rows current can_edit %}` (selectors.compare_runs).

    Built here rather than in a template loop, with a `{% url %}`, a `{% csrf_token %}` and four filters per row:
    the report's findings cost more through the template's nodes than its other sections; the markup is the one
    the rows had.
    """
    token = csrf_field(context)
    resolve_url = pk_url("audits:finding_resolve")
    out = []
    for row in rows:
        f = row.after
        resolution = ""
        if f.is_resolved:
            by = f" by {escape(f.resolved_by)}" if f.resolved_by else ""
            resolution = (
                f'<div class="small text-success" data-testid="resolution"><i class="bi bi-check-circle"></i> '
                f"Resolved {date_filter(timezone.localtime(f.resolved_at), 'j M')}{by}: {escape(f.resolution_note)}</div>"
            )
        form = (
            f'<form method="post" action="{resolve_url(f.pk)}" class="d-flex gap-1">{token}'
            f'<input class="form-control form-control-sm" name="note" required placeholder="How was it resolved?" '
            f'aria-label="Resolution note for {escape(f.title)}">'
            f'<button class="btn btn-sm btn-outline-success" type="submit">Resolve</button></form>'
            if can_edit and not f.is_resolved
            else ""
        )
        slug, verdict = _VERDICT_BADGES.get(row.verdict) or (slugify(row.verdict), capfirst(row.verdict))
        light = ' class="table-light"' if f.is_resolved else ""
        out.append(
            f'<tr data-testid="finding" id="finding-{f.pk}"{light}>'
            f'<td><span class="badge sev-{escape(f.severity)}">{escape(f.severity_label)}</span></td>'
            f'<td><strong>{escape(f.title)}</strong><div class="small text-body-secondary">{escape(f.detail)}</div>'
            f"{resolution}</td>"
            f'<td><span class="badge verdict-{slug}">{verdict}</span></td>'
            f'<td class="d-print-none finding-actions">{form}</td></tr>'
        )
    return mark_safe("\n".join(out))  # every stored text escaped above
