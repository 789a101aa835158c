"""Every workspace page names its area and action (accounts.decorators.area_required) or asks for a member.

The test walks every URL pattern the project has: each view must carry the guard's mark, or be listed below with
the reason it needs none (a page about the person themself, not a workspace's data; a public page; the admin,
which has its own guard, tests/test_admin_workspaces.py). A decorator lost in an edit (it once slid onto a helper
above the view it guarded) leaves the view unmarked, and this fails.
"""

from django.urls import URLPattern, URLResolver, get_resolver

from .test_login_required import PUBLIC

# url name -> why it has no area
PERSONAL = {
    "dashboard:home": "every member's home; it picks the team, contributor or executive home by role",
    "dashboard:figures": "the home's figures, fetched by it; each panel checks the role (dashboard/home.py)",
    "accounts:login_code": "the second step of the log-in",
    "accounts:logout": "the person's own session",
    "accounts:profile": "the person's own account",
    "accounts:two_factor_start": "the person's own second factor",
    "accounts:two_factor_setup": "the person's own second factor",
    "accounts:two_factor_recovery_codes": "the person's own recovery codes",
    "accounts:two_factor_recovery_codes_download": "the person's own recovery codes",
    "accounts:two_factor_codes_kept": "the person's own recovery codes",
    "accounts:two_factor_codes_new": "the person's own recovery codes",
    "accounts:two_factor_off": "the person's own second factor",
    "accounts:password_change": "the person's own password",
    "accounts:workspace_switch": "switches to a workspace the person is a member of (checked in the view)",
    "accounts:no_workspace": "the page for a person without a workspace",
    "notifications:list": "the person's own notifications",
    "notifications:open": "the person's own notification (looked up by recipient)",
    "notifications:read_all": "the person's own notifications",
    "notifications:preferences": "the person's own notification settings",
    "notifications:unread_count": "the person's own notifications",
}


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", entry.callback


def test_every_workspace_page_is_guarded_by_its_area_or_membership():
    views = [(name, view) for name, view in _walk(get_resolver().url_patterns) if not name.startswith("admin:")]
    unguarded = {name for name, view in views if not getattr(view, "guarded_by", None)}
    assert unguarded - set(PERSONAL) - set(PUBLIC) == set()
    # And the lists name only addresses that exist and need them.
    assert set(PERSONAL) <= unguarded
    assert len(views) > 150


def test_the_meeting_and_the_publishing_calendar_are_guarded_by_their_own_areas():
    callbacks = dict(_walk(get_resolver().url_patterns))
    assert callbacks["calendar_app:meeting"].guarded_by == "meeting:view"
    assert callbacks["calendar_app:publishing"].guarded_by == "publishing:view"
