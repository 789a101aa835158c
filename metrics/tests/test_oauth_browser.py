"""In a browser: "Connect X" through X's consent page (a real OAuth 2.0 server on loopback, tests/oauth_provider.py)
back to a connected account; a revoked app asks for reconnecting; Cancel stores nothing; Remove revokes at X."""

from datetime import timedelta

import pytest
from django.core import mail

from accounts.roles import Role
from metrics import services
from metrics.models import Credential
from tests.oauth_provider import LoopbackX

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def loopback_x(settings, live_server):
    with LoopbackX.running() as provider:
        settings.SITE_URL = live_server.url
        settings.X_CLIENT_ID, settings.X_CLIENT_SECRET = provider.client_id, provider.client_secret
        settings.X_AUTHORIZE_URL = f"{provider.url}/i/oauth2/authorize"
        settings.X_TOKEN_URL = f"{provider.url}/2/oauth2/token"
        settings.X_REVOKE_URL = f"{provider.url}/2/oauth2/revoke"
        settings.X_API_URL = provider.url
        provider.callbacks.add(f"{live_server.url}/metrics/connections/callback/x/")
        yield provider


@pytest.fixture
def admin_page(page, browser_login, make_member):
    member = make_member(Role.ADMIN, full_name="Ada Admin")
    browser_login(member.user.email)
    page.member = member
    return page


def _open_connect(page):
    """From the connections page to its "Connect an account" page, as an admin gets there."""
    page.goto("/metrics/connections/")
    page.get_by_test_id("connect-an-account").click()
    page.wait_for_url("**/metrics/connections/connect/")


def _connect_x(page, provider, *, button="Connect X"):
    page.get_by_role("button", name=button).click()
    page.wait_for_url(f"{provider.url}/i/oauth2/authorize**")
    assert "Social media workspace wants to access your X account." in page.inner_text("h1")
    assert "offline.access" in page.inner_text("#scopes") and "tweet.write" in page.inner_text("#scopes")


def test_connect_x_through_the_consent_page_then_reconnect_after_a_revoked_app(admin_page, loopback_x):
    page = admin_page
    _open_connect(page)
    _connect_x(page, loopback_x)
    page.get_by_role("button", name="Authorize app").click()
    page.wait_for_url("**/metrics/connections/")
    assert "X @demobrand is connected." in page.locator(".alert").first.inner_text()
    credentials = page.get_by_test_id("credentials").inner_text()
    assert "X (Twitter) @demobrand" in credentials and "Connected by Ada Admin" in credentials
    assert "scopes tweet.read users.read tweet.write media.write offline.access" in credentials
    credential = Credential.objects.get(platform="x")
    assert credential.token not in page.content() and credential.refresh_token not in page.content()

    # The account's owner removes the app at X; the next refresh is refused.
    loopback_x.revoke_app()
    mail.outbox.clear()
    assert services.credentials_refresh_due(within=timedelta(hours=3)) == 0
    assert [m.to for m in mail.outbox] == [[page.member.user.email]]
    page.reload()
    banner = page.get_by_test_id("needs-reconnecting")
    assert "Needs reconnecting" in banner.inner_text()

    loopback_x.refuse_refresh = False
    _connect_x(page, loopback_x, button="Reconnect")
    page.get_by_role("button", name="Authorize app").click()
    page.wait_for_url("**/metrics/connections/")
    assert page.get_by_test_id("needs-reconnecting").count() == 0
    assert not Credential.objects.get(platform="x").needs_reconnecting


def test_cancel_on_the_consent_page_comes_back_with_a_message_and_nothing_stored(admin_page, loopback_x):
    page = admin_page
    _open_connect(page)
    _connect_x(page, loopback_x)
    page.get_by_role("button", name="Cancel").click()
    page.wait_for_url("**/metrics/connections/")
    assert "X was not connected: you declined the request." in page.locator(".alert").first.inner_text()
    assert not Credential.objects.exists()
    assert page.get_by_test_id("credentials").count() == 0


def test_remove_revokes_the_token_at_x(admin_page, loopback_x):
    page = admin_page
    _open_connect(page)
    _connect_x(page, loopback_x)
    page.get_by_role("button", name="Authorize app").click()
    page.wait_for_url("**/metrics/connections/")
    token = Credential.objects.get(platform="x").token
    page.get_by_test_id("credentials").get_by_role("button", name="Remove").click()
    page.wait_for_url("**/metrics/connections/")
    assert "X (Twitter) disconnected: its token is revoked." in page.locator(".alert").first.inner_text()
    assert loopback_x.revoked == [token] and not Credential.objects.exists()
