"""Connecting accounts through the consent screen: X's token endpoint and Mastodon's server with responses (the
demo journey: test_demo_connect.py; a real OAuth server on loopback: test_oauth_loopback.py)."""

import pytest
import requests
import responses
from django.urls import reverse
from django.utils.html import escape

from metrics import oauth, services
from metrics.models import Credential
from notifications.models import Notification

pytestmark = pytest.mark.django_db

X_TOKEN = {
    "token_type": "bearer",
    "expires_in": 7200,
    "access_token": "VGNibzFWSWREZm01bjN1N3dicWlNUG1oa2xRRVNNdmVHelJGY2xhd3ZRdVp6OjE2NjI3MjU5MzQ0NzQ6MTowOmF0OjE",
    "scope": "tweet.read users.read tweet.write media.write offline.access",
    "refresh_token": "bWRWa3gzdnk3WHRGU1o0bmRRcTJ5VUxWX1lZTDdJSUtmaWcxbTVxdEFXcW5tOjE2NjI3MjU5MzQ0NzQ6MToxOnJ0OjE",
}
X_ME = {"data": {"id": "2244994945", "name": "Demo Brand", "username": "demobrand"}}


def _start(client, slug):
    response = client.post(reverse("metrics:oauth_connect", args=[slug]))
    assert response.status_code == 302
    return response["Location"]


def test_analyst_cannot_start_a_flow(client_as):
    assert client_as("analyst").post(reverse("metrics:oauth_connect", args=["x"])).status_code == 403


@responses.activate
def test_x_connect_trades_the_code_and_learns_the_account(client_as, settings):
    settings.X_CLIENT_ID, settings.X_CLIENT_SECRET = "client-id", "client-secret"
    responses.post("https://api.x.com/2/oauth2/token", json=X_TOKEN)
    responses.get("https://api.x.com/2/users/me", json=X_ME)
    client = client_as("admin")
    authorize = _start(client, "x")
    assert authorize.startswith("https://x.com/i/oauth2/authorize") and "code_challenge_method=S256" in authorize
    state = authorize.split("state=")[1].split("&")[0]
    client.get(reverse("metrics:oauth_callback", args=["x"]), {"code": "abc", "state": state})
    credential = Credential.objects.get(platform="x")
    assert credential.account_name == "@demobrand" and credential.refresh_token == X_TOKEN["refresh_token"]
    assert "code_verifier=" in responses.calls[0].request.body


def test_x_refused_consent_stores_nothing(client_as, settings):
    settings.X_CLIENT_ID = "client-id"
    client = client_as("admin")
    state = _start(client, "x").split("state=")[1].split("&")[0]
    response = client.get(
        reverse("metrics:oauth_callback", args=["x"]), {"error": "access_denied", "state": state}, follow=True
    )
    assert not Credential.objects.exists()
    assert "declined" in response.content.decode()


@responses.activate
def test_refused_refresh_marks_needs_reconnecting_and_notifies_the_admins_once(client_as, settings, workspace):
    settings.X_CLIENT_ID, settings.X_CLIENT_SECRET = "client-id", "client-secret"
    client_as("admin")
    grant = oauth.Grant(access_token="a" * 20, refresh_token="r" * 20, scopes="tweet.read")
    credential = services.credential_connect(workspace=workspace, platform="x", grant=grant, by=None)
    responses.post(
        "https://api.x.com/2/oauth2/token",
        status=400,
        json={"error": "invalid_grant", "error_description": "Value passed for the token was invalid."},
    )
    assert services.credential_refresh(credential=credential) is False
    assert services.credential_refresh(credential=Credential.objects.get()) is False
    assert Credential.objects.get().needs_reconnecting
    assert Notification.objects.filter(kind="connection_needs_attention").count() == 1


@responses.activate
def test_disconnect_revokes_the_token_at_x(settings, workspace):
    settings.X_CLIENT_ID, settings.X_CLIENT_SECRET = "client-id", "client-secret"
    responses.post("https://api.x.com/2/oauth2/revoke", json={"revoked": True})
    grant = oauth.Grant(access_token="a" * 20, refresh_token="r" * 20)
    credential = services.credential_connect(workspace=workspace, platform="x", grant=grant, by=None)
    services.credential_delete(credential=credential)
    assert not Credential.objects.exists()
    assert "token=" + "a" * 20 in responses.calls[0].request.body


# Mastodon's replies, in the shapes of docs.joinmastodon.org methods/apps (Application with client_id and
# client_secret), methods/oauth (Token: access_token, token_type Bearer, scope, created_at; no expiry, no refresh)
# and methods/accounts verify_credentials; Mastodon.py's tests/cassettes/test_app_account_create.yaml
# (halcy/Mastodon.py@b9f2effbb5a9f07ebca3807466f4130e69b1614c) has the same fields.
MASTODON_APP = {
    "id": "563419",
    "name": "Social media workspace",
    "website": "http://testserver",
    "scopes": ["read", "write:statuses", "write:media"],
    "redirect_uri": "http://127.0.0.1:8000/metrics/connections/callback/mastodon/",
    "redirect_uris": ["http://127.0.0.1:8000/metrics/connections/callback/mastodon/"],
    "vapid_key": "BCk-QqERU0q-CfYZjcuB6lnyyOYfJ2AifKqfeGIm7Z-HiTU5T9eTG5GxVA0_OH5mMlI4UkkDTpaZwozy0TzdZ2M=",
    "client_id": "TWhM-tNSuncnqN7DBJmoyeLnk6K3iJJ71KKXxgL1hPM",
    "client_secret": "ZEaFUFmF0umgBX1qKJDjaU99Q31lDkOU8NutzTOoliw",
    "client_secret_expires_at": 0,
}
MASTODON_TOKEN = {
    "access_token": "ZA-Yj3aBD8U8Cm7lKUp-lm9O9BmDgdhHzDeqsY8tlL0",
    "token_type": "Bearer",
    "scope": "read write:statuses write:media",
    "created_at": 1764756000,
}
MASTODON_ME = {"id": "109302174216451232", "username": "acme", "acct": "acme", "display_name": "Acme Outdoor"}
SOCIAL = "https://mastodon.social"


@pytest.fixture
def public_dns(monkeypatch):
    monkeypatch.setattr(oauth, "_addresses", lambda host: ["151.101.1.1"])


def _mastodon_start(client, server="mastodon.social"):
    """The consent address: a page of ours continues there (CSP form-action cannot allow a server typed just now)."""
    response = client.post(reverse("metrics:oauth_connect", args=["mastodon"]), {"server": server})
    assert response.status_code == 200
    page = response.content.decode()
    address = response.context["address"]
    assert f'content="0;url={escape(address)}"' in page and f'href="{escape(address)}"' in page
    return address


@responses.activate
def test_mastodon_connect_registers_the_app_once_per_server_and_stores_the_token_encrypted(client_as, public_dns):
    from metrics.models import MastodonApp

    responses.post(f"{SOCIAL}/api/v1/apps", json=MASTODON_APP)
    responses.post(f"{SOCIAL}/oauth/token", json=MASTODON_TOKEN)
    responses.get(f"{SOCIAL}/api/v1/accounts/verify_credentials", json=MASTODON_ME)
    client = client_as("admin")
    authorize = _mastodon_start(client, "https://Mastodon.social/")
    assert authorize.startswith(f"{SOCIAL}/oauth/authorize?") and "code_challenge_method=S256" in authorize
    assert "scope=read+write%3Astatuses+write%3Amedia" in authorize
    assert "callback%2Fmastodon%2F" in responses.calls[0].request.body  # redirect_uris from SITE_URL
    state = authorize.split("state=")[1].split("&")[0]
    verifier = client.session[oauth.SESSION_KEY][state]["verifier"]  # kept server-side, never in the address
    assert verifier not in authorize
    page = client.get(
        reverse("metrics:oauth_callback", args=["mastodon"]), {"code": "abc", "state": state}, follow=True
    )
    credential = Credential.objects.get(platform="mastodon")
    assert credential.account_name == "@acme@mastodon.social" and credential.token == MASTODON_TOKEN["access_token"]
    assert MASTODON_TOKEN["access_token"] not in credential.token_encrypted
    assert MASTODON_TOKEN["access_token"] not in page.content.decode()  # never rendered
    token_request = responses.calls[1].request.body
    assert f"code_verifier={verifier}" in token_request and "client_secret=ZEaF" in token_request
    app = MastodonApp.objects.get()
    assert app.client_secret == MASTODON_APP["client_secret"]
    assert MASTODON_APP["client_secret"] not in app.client_secret_encrypted
    _mastodon_start(client)  # a second connect on the same server registers nothing more
    assert [c.request.url for c in responses.calls].count(f"{SOCIAL}/api/v1/apps") == 1


@responses.activate
@pytest.mark.parametrize(
    ("reply", "words"),
    [
        # docs.joinmastodon.org methods/apps#create: 422 Unprocessable entity, the Error entity.
        ({"status": 422, "json": {"error": "Validation failed: Redirect URI must be an absolute URI."}}, "HTTP 422"),
        ({"body": requests.ConnectionError("connection refused")}, "could not be reached"),
    ],
)
def test_mastodon_refusing_to_register_the_app_is_a_refusal_in_words(reply, words):
    responses.post(f"{SOCIAL}/api/v1/apps", **reply)
    with pytest.raises(oauth.ConnectRefused, match=words):
        oauth.PROVIDERS["mastodon"].register(server="mastodon.social", redirect_uri="https://app.example/cb/")


def test_mastodon_refused_consent_and_a_foreign_state_store_nothing(client_as, public_dns, monkeypatch):
    monkeypatch.setattr(oauth.MastodonProvider, "register", lambda self, **kw: ("id", "secret"))
    client = client_as("admin")
    state = _mastodon_start(client).split("state=")[1].split("&")[0]
    callback = reverse("metrics:oauth_callback", args=["mastodon"])
    page = client.get(callback, {"error": "access_denied", "state": state}, follow=True)
    assert "Mastodon was not connected: you declined the request." in page.content.decode()
    page = client.get(callback, {"code": "abc", "state": "made-up"}, follow=True)
    assert "unknown or was already used" in page.content.decode()
    assert not Credential.objects.exists()


def test_mastodon_connect_refuses_a_server_in_a_private_network(client_as, monkeypatch):
    monkeypatch.setattr(oauth, "_addresses", lambda host: ["10.0.0.7"])
    client = client_as("admin")
    response = client.post(reverse("metrics:oauth_connect", args=["mastodon"]), {"server": "intranet.example"})
    assert response.status_code == 302 and response["Location"] == reverse("metrics:connect")
    page = client.get(response["Location"])
    assert "points into a private network" in page.content.decode()
    assert 'name="server" placeholder="mastodon.social"' in page.content.decode()  # the connect form asks for it


@responses.activate
def test_disconnect_revokes_the_token_on_its_mastodon_server(workspace):
    from metrics import crypto
    from metrics.models import MastodonApp

    MastodonApp.objects.create(
        server="mastodon.social", client_id="cid", client_secret_encrypted=crypto.encrypt("csecret"), redirect_uri="x"
    )
    responses.post(f"{SOCIAL}/oauth/revoke", json={})
    grant = oauth.Grant(access_token="m" * 20, account_id="1", account_name="@acme@mastodon.social")
    credential = services.credential_connect(workspace=workspace, platform="mastodon", grant=grant, by=None)
    services.credential_delete(credential=credential)
    assert not Credential.objects.exists()
    assert (
        "token=" + "m" * 20 in responses.calls[0].request.body
        and "client_secret=csecret" in responses.calls[0].request.body
    )
