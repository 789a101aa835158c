"""Connect Facebook in a real browser: the button, the consent screen (its address pointed back at the callback, Meta's
Graph replies through responses in the live server's thread), the choice page, the connected account."""

import os

import pytest
import responses
from responses import matchers

from accounts.roles import Role
from metrics.models import ConnectedAccount

from .test_meta_linkedin_connect import (
    ACCOUNTS_P1,
    ACCOUNTS_P2,
    GRAPH,
    LONG_TOKEN,
    ME,
    NEXT_ACCOUNTS,
    PAGE_TOKEN_ACME,
    PERMISSIONS,
    SHORT_TOKEN,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SHOTS_DIR", "screenshots")


@pytest.mark.parametrize("width", [390, 1440])
def test_admin_connects_facebook_and_chooses_a_page_at_phone_and_desktop_widths(
    page, browser_login, make_member, live_server, settings, width
):
    settings.META_APP_ID, settings.META_APP_SECRET, settings.META_CONFIG_ID = "1234567890", "app-secret", ""
    # Facebook's dialog would ask and come back with a code; here it comes straight back with the state alone.
    settings.META_AUTHORIZE_URL = f"{live_server.url}/metrics/connections/callback/facebook/"
    member = make_member(Role.ADMIN)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as graph:
        graph.add_passthru(live_server.url)
        exchange = matchers.query_param_matcher({"grant_type": "fb_exchange_token"}, strict_match=False)
        graph.get(f"{GRAPH}/oauth/access_token", json=LONG_TOKEN, match=[exchange])
        graph.get(f"{GRAPH}/oauth/access_token", json=SHORT_TOKEN)
        graph.get(f"{GRAPH}/me", json=ME)
        graph.get(f"{GRAPH}/me/permissions", json=PERMISSIONS)
        graph.get(NEXT_ACCOUNTS.split("?")[0], json=ACCOUNTS_P2)
        graph.get(f"{GRAPH}/me/accounts", json=ACCOUNTS_P1)
        page.set_viewport_size({"width": width, "height": 900})
        browser_login(member.user.email)
        page.goto("/metrics/connections/")
        page.get_by_test_id("connect-an-account").click()
        page.wait_for_url("**/metrics/connections/connect/")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=f"{SHOTS}/connections-connect-{width}.png", full_page=True)
        page.get_by_role("button", name="Connect Facebook").click()
        page.wait_for_load_state("networkidle")
        choice = page.get_by_test_id("account-choice")
        assert "Acme Shop" in choice.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert PAGE_TOKEN_ACME not in page.content()
        page.screenshot(path=f"{SHOTS}/choose-pages-{width}.png", full_page=True)
        page.get_by_label("Acme Outdoor (@acmeoutdoor)").check()
        page.get_by_role("button", name="Track the ticked accounts").click()
        page.wait_for_load_state("networkidle")
    assert "@acmeoutdoor tracked and connected" in page.locator(".alert").first.inner_text()
    assert "Acts for @acmeoutdoor" in page.get_by_test_id("connected-accounts-facebook").inner_text()
    assert ConnectedAccount.objects.get().token == PAGE_TOKEN_ACME
    page.screenshot(path=f"{SHOTS}/connections-connected-{width}.png", full_page=True)
