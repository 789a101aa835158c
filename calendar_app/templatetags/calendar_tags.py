"""The calendar's markup that long lists print once per row (a filter costs less than an include per row)."""

import difflib
import re
from html import escape

from django import template
from django.http import QueryDict
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from calendar_app.models import Idea, Publication, badge_of
from common.dates import day_times, days, long_weekday, time_of_day, weekday, weekday_time
from common.links import pk_url
from common.widgets import options_html
from metrics.platforms import Platform, label_of

register = template.Library()


def _badge_html(status: str) -> str:
    return format_html(
        '<span class="badge {}" data-testid="publication-status">{}</span>',
        badge_of(status),
        Publication.status_label(status),
    )


# Each known status's badge, written once: the lists print one on every row (the meeting 76 at scale 10).
_STATUS_BADGE_HTML = {status: _badge_html(status) for status in Publication.Status.values}


@register.filter
def status_badge(status: str) -> str:
    """A publication status as its badge: `{{ p.status|status_badge }}` (lists, a decision, a publication's page);
    a status no longer known is escaped as stored."""
    return _STATUS_BADGE_HTML.get(status) or _badge_html(status)


@register.simple_tag
def publication_list_rows(rows, can_edit, query=None) -> str:
    """The publishing list's rows (selectors.publication_rows), written in one pass, every value escaped:
    `{% publication_list_rows publications can_edit request.GET %}` (each tag links to the list filtered by it, the
    other filters kept). Fifty rows through the template's nodes were a third of the
    page's time (about 100 µs a row); the markup is the one the rows had, a box to select each for who may edit."""
    out, day_time = [], day_times()
    for p in rows:
        when, title = day_time(p["scheduled_at"]), escape(p["title"])
        box = (
            f'<td><input class="form-check-input" type="checkbox" name="ids" value="{p["pk"]}" '
            f'aria-label="Select {title}, {when or "not scheduled"}"></td>'
            if can_edit
            else ""
        )
        step = (
            f'<div class="small text-body-secondary" data-testid="step-of">step {p["step"][0]} of {p["step"][1]}</div>'
            if p["step"]
            else ""
        )
        out.append(
            f'<tr>{box}<td class="text-nowrap">{when or "—"}</td>'
            f'<td class="text-nowrap"><span class="platform-dot" data-colour="{escape(p["colour"])}"></span>'
            f'{escape(str(p["platform_label"]))}<div class="small text-body-secondary">@{escape(p["handle"])}</div></td>'
            f'<td><a href="{escape(p["url"])}">{title}</a>{_row_tags(p.get("tags"), query)}</td>'
            f'<td class="small text-body-secondary">{escape(p["copy_head"])}</td>'
            f'<td class="text-nowrap">{status_badge(p["status"])}{step}</td></tr>'
        )
    return mark_safe("\n".join(out))  # every value escaped above


def _row_tags(tags, query) -> str:
    if not tags:
        return ""
    links = []
    for tag_id, name in tags:
        params = query.copy() if query is not None else QueryDict(mutable=True)
        params["tag"] = str(tag_id)
        params.pop("page", None)
        links.append(
            f'<a class="badge text-bg-light border text-decoration-none" href="?{escape(params.urlencode())}" '
            f'title="Only the posts tagged {escape(name)}">{escape(name)}</a>'
        )
    return f'<div class="publication-tags" data-testid="row-tags">{"".join(links)}</div>'


@register.simple_tag
def meeting_day_rows(publications) -> str:
    """A day's publications on the weekly meeting (calendar_app/meeting.py rows: time, network, title, status), in
    one pass, escaped: `{% meeting_day_rows d.publications %}`. The week's 56 rows and the gone-wrong list through the
    template's nodes were about half of the meeting's rendering at scale 10 (profiled); the markup is the same."""
    return mark_safe(  # every value escaped here
        "".join(
            f'<li class="d-flex flex-wrap gap-2 align-items-center py-1" data-testid="meeting-publication">'
            f'<span class="text-body-secondary text-nowrap">{time_of_day(p["scheduled_at"])}</span> '
            f'<span class="text-nowrap"><span class="platform-dot" data-colour="{escape(p["colour"])}"></span>'
            f"{escape(str(p['platform_label']))}</span> "
            f'<a href="{escape(p["url"])}">{escape(p["title"])}</a> {status_badge(p["status"])}</li>'
            for p in publications
        )
    )


@register.simple_tag
def meeting_week_days(week_days) -> str:
    """The meeting's seven days (calendar_app/meeting.py `_by_local_day`), each with its first publications
    (`meeting_day_rows`), how many more and the link to them in the publishing calendar, or "Nothing scheduled.",
    in one pass, escaped: `{% meeting_week_days week_days %}`. The days' loop through the template's nodes, with
    its filters and conditions, was a fifth of the meeting's rendering at scale 10 (measured); the markup is the same.
    """
    out = []
    for d in week_days:
        if d["publications"]:
            more = d["more"]
            rest = (
                f'<a class="small d-inline-block d-print-none" href="{escape(d["calendar_url"])}" '
                f'data-testid="meeting-day-more">{more} more on {escape(weekday(d["day"]))} in the publishing calendar</a>'
                f'<span class="small d-none d-print-inline">And {more} more.</span>'
                if more
                else ""
            )
            body = f'<ul class="list-unstyled mb-0 mt-1">{meeting_day_rows(d["publications"])}</ul>{rest}'
        else:
            body = '<div class="small text-body-secondary">Nothing scheduled.</div>'
        out.append(
            f'<li class="list-group-item" data-testid="meeting-day">'
            f'<div class="fw-semibold">{escape(long_weekday(d["day"]))}</div>{body}</li>'
        )
    return mark_safe("".join(out))  # every value escaped here or by meeting_day_rows


@register.simple_tag
def meeting_gone_wrong_rows(publications) -> str:
    """The meeting's failed, unknown or held publications (title, status, account, when, why), in one pass, escaped:
    `{% meeting_gone_wrong_rows gone_wrong %}` (the reason cut at 140 characters, as `truncatechars` cuts it)."""
    out = []
    for p in publications:
        when = weekday_time(p["scheduled_at"]) if p["scheduled_at"] else "not scheduled"
        why = f" · {escape(Truncator(p['failure_reason']).chars(140))}" if p["failure_reason"] else ""
        out.append(
            f'<li class="list-group-item" data-testid="meeting-gone-wrong-item">'
            f'<div class="d-flex flex-wrap gap-2 align-items-center"><a href="{escape(p["url"])}">'
            f"{escape(p['title'])}</a> {status_badge(p['status'])}</div>"
            f'<div class="small text-body-secondary"><span class="platform-dot" data-colour="{escape(p["colour"])}">'
            f"</span>{escape(p['account'])} · {when}{why}</div></li>"
        )
    return mark_safe("".join(out))  # every value escaped above


_OVERDUE = ' <span class="badge text-bg-danger">Overdue</span>'


@register.simple_tag
def meeting_follow_up_rows(follow_ups, monday) -> str:
    """The meeting's stakeholder follow-ups due by the week's end (stakeholders.selectors rows), those due before
    `monday` marked overdue, in one pass, escaped: `{% meeting_follow_up_rows follow_ups monday %}`."""
    return mark_safe(  # every value escaped here
        "".join(
            f'<li class="list-group-item" data-testid="meeting-follow-up"><div><a href="{escape(f["contact_url"])}">'
            f"{escape(f['description'])}</a>"
            f"{_OVERDUE if f['due_on'] < monday else ''}</div>"
            f'<div class="small text-body-secondary">Due {weekday(f["due_on"])} · {escape(f["owner"] or "nobody yet")}'
            f" · with {escape(str(f['contact_name']))}</div></li>"
            for f in follow_ups
        )
    )


@register.simple_tag
def account_checkboxes(accounts) -> str:
    """The composer's box for each of the brand's accounts (`pk`, `name`, `ticked`), in one pass, escaped:
    `{% account_checkboxes accounts %}`. 300 accounts through the template's nodes were a third of the page."""
    return mark_safe(  # every value escaped here
        "".join(
            f'<div class="form-check"><input class="form-check-input" type="checkbox" name="accounts" '
            f'value="{escape(a["pk"])}" id="account-{escape(a["pk"])}"{" checked" if a["ticked"] else ""}>'
            f'<label class="form-check-label" for="account-{escape(a["pk"])}">{escape(a["name"])}</label></div>'
            for a in accounts
        )
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
def idea_rows(ideas, team_view) -> str:
    """The ideas list's rows (title and link, why declined, the calendar's date, author, networks, status, votes,
    comments, sent), in one pass, every stored text escaped: `{% idea_rows ideas team_view %}` (selectors.ideas_for).

    Fifty rows through the template's nodes, a `{% url %}` and several filters each, were most of the page's time
    (profiled); the detail address is reversed once, the markup is the one the rows had.
    """
    detail = pk_url("calendar_app:idea_detail")
    day = days()
    out = []
    for idea in ideas:
        declined = (
            f'<div class="small text-body-secondary">Declined: {escape(idea.decline_reason)}</div>'
            if idea.status == "declined"
            else ""
        )
        planned = (
            f'<div class="small text-success"><i class="bi bi-journal-check"></i> On the editorial calendar for '
            f"{date_filter(idea.content_item.due_date, 'j M')}</div>"
            if idea.content_item_id
            else ""
        )
        networks = ", ".join(label_of(v) for v in idea.networks if v in _PLATFORM_VALUES)
        author = f"<td>{escape(str(idea.author)) if idea.author_id else '—'}</td>" if team_view else ""
        counts = (
            f'<td class="text-end">{idea.vote_count}</td><td class="text-end">{idea.comment_count}</td>'
            if team_view
            else ""
        )
        out.append(
            f'<tr><td><a href="{escape(detail(idea.pk))}">{escape(idea.title)}</a>{declined}{planned}</td>{author}'
            f'<td class="small">{escape(networks) or "—"}</td><td>{idea_status_badge(idea.status)}</td>{counts}'
            f'<td class="small text-nowrap">{day(idea.created_at)}</td></tr>'
        )
    return mark_safe("\n".join(out))  # every stored text escaped above


_PLATFORM_VALUES = frozenset(Platform.values)


@register.simple_tag
def select_options(choices, selected) -> str:
    """A filter's <option>s, the chosen one selected: `{% select_options accounts filters.account %}` (once per list,
    common/widgets.py: the publishing calendar's account filter lists every own account, 300 at scale 10)."""
    return options_html(choices, selected)


_WORDS = re.compile(r"(\s+)")


@register.simple_tag
def copy_diff(before, after) -> str:
    """What an edit changed in a publication's copy, word by word: removed words struck through (<del>), added ones
    marked (<ins>), the rest as it was; every word escaped. `{% copy_diff change.0 change.1 %}` in the history."""
    old, new = _WORDS.split(str(before or "")), _WORDS.split(str(after or ""))
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            parts.append(f'<del class="copy-removed">{escape("".join(old[i1:i2]))}</del>')
        if op in ("insert", "replace"):
            parts.append(f'<ins class="copy-added">{escape("".join(new[j1:j2]))}</ins>')
        if op == "equal":
            parts.append(escape("".join(old[i1:i2])))
    return mark_safe("".join(parts))  # every piece escaped above
