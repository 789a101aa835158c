"""The connections page's table rows, written here rather than in a template loop.

Each row has a dozen conditions, three dates said the human way, up to three forms and the connection's year of
pulls: 25 rows through the template engine cost more than the whole rest of the page (about 5 ms of its 20). This
writes the usual row in Python; the rare parts keep their templates and are rendered only in the rows that have
them: a queued pull (outbox/_queued_action.html), stopped pulls (_pulls_stopped.html), an open pull run
(_pull_state.html) and a backfill that is running (includes/_disabled_action.html).

Every stored text (handle, error message, error kind) is escaped; the rest are numbers, dates and this file's words.
"""

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.template.defaultfilters import pluralize
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from common.links import csrf_field
from common.templatetags.numbers import DASH, count
from metrics.platforms import colour_of
from outbox.registry import action as registered_action

from .metrics_tags import row_url

register = template.Library()

ICON_RESUME = '<i class="bi bi-play"></i>'
ICON_PULL = '<i class="bi bi-arrow-repeat"></i>'
ICON_BACKFILL = '<i class="bi bi-clock-history"></i>'
ICON_EDIT = '<i class="bi bi-pencil"></i>'


def health_badge(profile, run) -> str:
    """The row's health: what stops its pulls first, then its last outcome."""
    if profile.never_available:
        return f'<span class="badge text-bg-secondary">Not available on {profile.get_platform_display()}</span>'
    if profile.needs_attention:
        return '<span class="badge text-bg-danger">Needs attention</span>'
    if profile.pulls_are_stopped:
        return '<span class="badge text-bg-warning">Pulls stopped</span>'
    if run and not run.is_live:
        label = "Rate limited" if run.status == "rate_limited" else "Interrupted"
        return f'<span class="badge text-bg-warning">{label}</span>'
    if profile.last_error_kind == "not_found":
        return '<span class="badge text-bg-warning">Handle unknown, suspended or protected</span>'
    if profile.last_error_kind == "not_available":
        return '<span class="badge text-bg-secondary">Not available through the API</span>'
    error_at, success_at = profile.last_error_at, profile.last_success_at
    if error_at and (not success_at or error_at > success_at):
        return f'<span class="badge text-bg-warning">{escape(profile.last_error_kind or "error")}</span>'
    if success_at:
        return '<span class="badge text-bg-success">OK</span>'
    return '<span class="badge text-bg-light">Never pulled</span>'


def _history(profile, failed_days_url) -> str:
    """The connection's pulls over the last 12 months (metrics/pull_history.py), from their daily counts; its failed
    days are fetched when opened (metrics:failed_days, static/js/app.js): 25 rows of 12 days each, hidden until then,
    were a tenth of the page."""
    history = profile.pull_history
    if not history.runs:
        return ""
    pk = profile.pk
    html = (
        f'<div class="small text-body-secondary mt-1" data-testid="pull-history-{pk}">Last 12 months: '
        f"{count(history.runs)} pull{pluralize(history.runs)}, {count(history.failed_day_count)} failed "
        f"day{pluralize(history.failed_day_count)}</div>"
    )
    if not history.failed_day_count:
        return html
    return (
        f'{html}<details class="small mt-1" data-fragment-when-open="{failed_days_url(pk)}" '
        f'data-testid="failed-days-{pk}"><summary>Failed days</summary>'
        '<div class="text-body-secondary" data-fragment-status>Loading…</div></details>'
    )


def _last_error(profile) -> str:
    if not profile.last_error_at:
        return DASH
    message = profile.last_error_message
    return (
        f'<span title="{escape(message)}">{naturaltime(profile.last_error_at)}</span>'
        f'<div class="small text-body-secondary">{escape(Truncator(message).chars(90))}</div>'
    )


def _next_pull(profile) -> str:
    if profile.never_available:
        return "never: tracked by name only"
    if profile.needs_attention:
        return "paused until the credential is fixed"
    if not profile.is_active:
        return "inactive"
    if profile.pulls_are_stopped:
        return "none scheduled: “Pull now” tries again"
    return naturaltime(profile.next_pull_at) if profile.next_pull_at else "at the next scheduled run"


class _Row:
    """One page's rendering of rows: the templates of the rare parts, the row addresses and the CSRF field."""

    def __init__(self, context):
        self.context = context
        self.csrf = csrf_field(context)
        self.queued = context.get("queued") or {}
        self.manage = context.get("manage")

    def part(self, name: str, **values) -> str:
        with self.context.push(**values):
            return get_template(name).template.render(self.context)

    def url(self, name: str, pk: int) -> str:
        return row_url(self.context, name, pk)

    def form(self, name: str, pk: int, classes: str, label: str) -> str:
        return (
            f'<form method="post" action="{self.url(name, pk)}" class="d-inline">{self.csrf}'
            f'<button class="btn btn-sm {classes}" type="submit">{label}</button></form>'
        )

    def live(self, profile) -> str:
        """Where a pull someone asked for stands (metrics/pull_status.js follows it)."""
        action = self.queued.get(profile.pk)
        if action is None:
            return f'<div data-pull-live="" data-testid="pull-live-{profile.pk}" aria-live="polite"></div>'
        status = row_url(self.context, "metrics:pull_status", action.pk)
        label = registered_action(action.name).label
        queued = self.part("outbox/_queued_action.html", action=action, label=label)
        return f'<div data-pull-live="{status}" data-testid="pull-live-{profile.pk}" aria-live="polite">{queued}</div>'

    def actions(self, profile, run) -> str:
        pk = profile.pk
        html = ""
        if profile.never_available:  # no pull can work: no button that pretends one could
            return '<td class="text-end text-nowrap"></td>'

        if profile.pulls_are_stopped:
            html += self.form(
                "metrics:profile_resume", pk, "btn-outline-warning", f"{ICON_RESUME} Pull on schedule again"
            )
        html += self.form("metrics:pull_now", pk, "btn-outline-primary", f"{ICON_PULL} Pull now")
        backfill = run is not None and run.kind == "backfill"
        if backfill and run.is_live:
            html += self.part(
                "includes/_disabled_action.html",
                label="Backfill",
                icon="clock-history",
                classes="btn btn-sm btn-outline-secondary",
                reason="A backfill of this profile is running: its progress shows in this row.",
                testid="backfill-disabled",
            )
        else:
            label = "Resume backfill" if backfill else "Backfill"
            html += self.form("metrics:backfill", pk, "btn-outline-secondary", f"{ICON_BACKFILL} {label}")
        if profile.is_own:
            edit = self.url("metrics:own_profile_edit", pk)
            html += f'<a class="btn btn-sm btn-outline-secondary" href="{edit}">{ICON_EDIT} Edit</a>'
        return f'<td class="text-end text-nowrap">{html}</td>'

    def __call__(self, profile, run) -> str:
        competitor = "" if profile.is_own else " · competitor"
        health = health_badge(profile, run) + self.live(profile)
        if profile.never_available:
            health += (
                f'<div class="small mt-1" data-testid="never-available-{profile.pk}">'
                f"{escape(profile.never_available)} Its account is tracked by name only: nothing is pulled.</div>"
            )
        elif profile.pulls_are_stopped:
            health += self.part("metrics/_pulls_stopped.html", profile=profile)
        if run is not None:
            health += self.part("metrics/_pull_state.html", profile=profile, run=run)
        health += _history(profile, lambda pk: self.url("metrics:failed_days", pk))
        success = naturaltime(profile.last_success_at) if profile.last_success_at else DASH
        return (
            f'<tr data-testid="connection-{profile.pk}"><td><span class="platform-dot" '
            f'data-colour="{colour_of(profile.platform)}"></span>@{escape(profile.handle)}'
            f'<div class="small text-body-secondary">{profile.get_platform_display()} · '
            f"{profile.get_source_display()}{competitor}</div></td>"
            f"<td>{health}</td><td>{success}</td><td>{_last_error(profile)}</td><td>{_next_pull(profile)}</td>"
            f"{self.actions(profile, run) if self.manage else ''}</tr>"
        )


@register.simple_tag(takes_context=True)
def connection_rows(context, rows) -> str:
    """`{% connection_rows rows %}`: the table rows of (profile, open run) pairs."""
    row = _Row(context)
    return mark_safe("".join(row(profile, run) for profile, run in rows))  # every stored text is escaped above
