"""Connecting accounts through the consent screen: the demo network end to end, X's token endpoint with responses."""

import pytest
import responses
from django.urls import reverse

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


def test_demo_connect_lands_at_once_on_a_connected_account(client_as):
    client = client_as("admin")
    callback = _start(client, "demo")
    response = client.get(callback, follow=True)
    credential = Credential.objects.get(platform="other")
    assert credential.connected_by is not None and credential.scopes == "demo.read demo.write"
    assert credential.token.startswith("demo-")
    assert "Connected by" in response.content.decode()
    assert credential.token not in response.content.decode()  # never rendered


def test_replayed_state_is_refused(client_as):
    client = client_as("admin")
    callback = _start(client, "demo")
    client.get(callback)
    Credential.objects.all().delete()
    response = client.get(callback, follow=True)
    assert not Credential.objects.exists()
    assert "already used" in response.content.decode()


def test_analyst_cannot_start_a_flow(client_as):
    assert client_as("analyst").post(reverse("metrics:oauth_connect", args=["demo"])).status_code == 403


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
