"""Connecting X through a real OAuth 2.0 server on loopback (tests/oauth_provider.py): Authlib's requests, X's
replies, no fakes inside the app. The browser walks the same flow in test_oauth_browser.py."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core import mail
from django.urls import reverse

from common.site import site_url
from metrics import services
from metrics.models import Credential
from tests.oauth_provider import LoopbackX

pytestmark = pytest.mark.django_db


@pytest.fixture
def loopback_x(settings):
    """X's OAuth server on 127.0.0.1, the app's X settings pointed at it."""
    with LoopbackX.running() as provider:
        settings.X_CLIENT_ID, settings.X_CLIENT_SECRET = provider.client_id, provider.client_secret
        settings.X_AUTHORIZE_URL = f"{provider.url}/i/oauth2/authorize"
        settings.X_TOKEN_URL = f"{provider.url}/2/oauth2/token"
        settings.X_REVOKE_URL = f"{provider.url}/2/oauth2/revoke"
        settings.X_API_URL = provider.url
        provider.callbacks.add(site_url(reverse("metrics:oauth_callback", args=["x"])))
        yield provider


def _consent(client, provider, decision="allow"):
    """Press Connect X, then a button of X's consent page; the address X sends the person back to."""
    authorize = client.post(reverse("metrics:oauth_connect", args=["x"]))["Location"]
    page = requests.get(authorize, timeout=5)
    assert page.status_code == 200 and "Authorize app" in page.text
    form = {k: v[0] for k, v in parse_qs(urlsplit(authorize).query).items()} | {"decision": decision}
    back = requests.post(f"{provider.url}/i/oauth2/authorize", data=form, allow_redirects=False, timeout=5)
    assert back.status_code == 302
    return back.headers["Location"].removeprefix(site_url(""))


def test_connect_trades_the_code_with_pkce_and_basic_auth_and_learns_the_account(client_as, loopback_x):
    client = client_as("admin")
    page = client.get(_consent(client, loopback_x), follow=True)
    credential = Credential.objects.get(platform="x")
    assert credential.account_name == "@demobrand" and credential.account_id == "2244994945"
    assert credential.token in loopback_x.access_tokens and credential.refresh_token in loopback_x.refresh_tokens
    assert credential.scopes == "tweet.read users.read tweet.write media.write offline.access"
    assert credential.connected_by == client.membership.user and not credential.is_demo
    assert "X @demobrand is connected." in page.content.decode()
    assert credential.token not in page.content.decode()


def test_a_replayed_callback_is_refused_and_the_code_works_once(client_as, loopback_x):
    client = client_as("admin")
    callback = _consent(client, loopback_x)
    client.get(callback)
    Credential.objects.all().delete()
    page = client.get(callback, follow=True)
    assert "already used" in page.content.decode() and not Credential.objects.exists()


def test_cancel_on_the_consent_page_stores_nothing(client_as, loopback_x):
    client = client_as("admin")
    callback = _consent(client, loopback_x, decision="cancel")
    assert "error=access_denied" in callback
    page = client.get(callback, follow=True)
    assert "X was not connected: you declined the request." in page.content.decode()
    assert not Credential.objects.exists()
    assert ("POST", "/2/oauth2/token") not in loopback_x.seen


def test_refresh_rotates_the_refresh_token(client_as, loopback_x):
    client = client_as("admin")
    client.get(_consent(client, loopback_x))
    first = Credential.objects.get()
    assert services.credentials_refresh_due(within=timedelta(hours=3)) == 1
    renewed = Credential.objects.get()
    assert renewed.token != first.token and renewed.refresh_token != first.refresh_token
    assert renewed.token in loopback_x.access_tokens and first.refresh_token not in loopback_x.refresh_tokens


def test_a_revoked_app_marks_needs_reconnecting_and_mails_the_admins_once(
    client_as, loopback_x, django_capture_on_commit_callbacks
):
    """X refuses a dead refresh token with invalid_request, not the RFC's invalid_grant: still "reconnect"."""
    client = client_as("admin")
    client.get(_consent(client, loopback_x))
    loopback_x.revoke_app()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.credentials_refresh_due(within=timedelta(hours=3)) == 0
        assert services.credentials_refresh_due(within=timedelta(hours=3)) == 0  # not asked again
    assert Credential.objects.get().needs_reconnecting
    assert [m.to for m in mail.outbox] == [[client.membership.user.email]]
    assert "Reconnect X (Twitter) @demobrand" in mail.outbox[0].subject
    page = client.get(reverse("metrics:connections")).content.decode()
    assert 'data-testid="needs-reconnecting"' in page and ">Reconnect</button>" in page


def test_disconnect_revokes_the_token_at_x(client_as, loopback_x):
    client = client_as("admin")
    client.get(_consent(client, loopback_x))
    credential = Credential.objects.get()
    token = credential.token
    client.post(reverse("metrics:credential_delete", args=[credential.pk]))
    assert loopback_x.revoked == [token] and not Credential.objects.exists()
