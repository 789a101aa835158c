"""Every address but login, password reset, invitations and static files needs login.

The test walks every URL pattern the project has, fills its parameters, and asks as an anonymous
visitor: each must send them to the login page. New public views must be added below, with the reason.
"""

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

# url name -> why it is public
PUBLIC = {
    "accounts:login": "the login page itself",
    "accounts:password_reset": "password reset",
    "accounts:password_reset_done": "password reset",
    "accounts:password_reset_confirm": "password reset (the token in the address is the key)",
    "accounts:password_reset_complete": "password reset",
    "accounts:device_confirm": "the e-mailed link that confirms a new device before its log-in (signed, this browser only)",
    "accounts:invitation_accept": "an invitee without an account yet (the unguessable token is the key)",
    "calendar_app:ical_feed": "calendar apps cannot log in; a private, revocable token is the key",
    "calendar_app:review_page": "a client without an account reviews through it; an expiring, revocable token is the key",
    "media_library:signed_file": "a network fetching a post's media at publishing time: the signed, expiring token "
    "names one file",
    "notifications:unsubscribe": "an e-mail's one-click unsubscribe (RFC 8058), no login: the signed token is the key",
    "notifications:unsubscribe_undo": "undoing that unsubscribe from the same page: the signed token is the key",
}
SAMPLE = {"int": "1", "str": "sample", "slug": "sample", "uuid": str(uuid.uuid4()), "path": "sample/path"}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + _route(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}" if entry.name else None, prefix + _route(entry.pattern)


def _route(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE[m.group(1) or "str"], str(pattern))
    if isinstance(pattern, RegexPattern):
        regex = str(pattern.regex.pattern).lstrip("^").rstrip("$").replace("\\Z", "")
        # Named groups become a sample value; alternations keep their first branch.
        regex = re.sub(
            r"\(\?P<\w+>([^()|]*)(\|[^()]*)?\)", lambda m: m.group(1) if m.group(1).isalnum() else "1", regex
        )
        regex = re.sub(r"\(\?P<\w+>[^)]*\)", "1", regex)
        return regex.replace("\\", "")
    raise TypeError(pattern)


ROUTES = sorted({(name or "", "/" + url) for name, url in _walk(get_resolver().url_patterns)})


def test_the_walk_finds_the_project_pages():
    urls = {url for _, url in ROUTES}
    assert {"/", "/accounts/members/", "/admin/"} <= urls
    assert len(ROUTES) > 30


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "url"), ROUTES, ids=[u for _, u in ROUTES])
def test_anonymous_visitor_is_sent_to_login(client, name, url):
    response = client.get(url)
    if name in PUBLIC:  # reachable without login, on purpose (see PUBLIC for why)
        assert not response.get("Location", "").startswith("/accounts/login/")
        assert response.status_code in {200, 404, 410}
        return
    assert response.status_code == 302, f"{url} ({name}) answered {response.status_code} to an anonymous visitor"
    assert response["Location"].startswith("/accounts/login/") or response["Location"].startswith("/admin/login/")
