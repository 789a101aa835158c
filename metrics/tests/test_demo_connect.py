"""The demo journey with no network (metrics/demo_connect.py): in a workspace of demo accounts, "Connect" for each
network goes through the demo consent page and lands at once with a demo credential; refresh and reconnect too."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from metrics import demo_connect, oauth, services
from metrics.connectors import connector_for
from metrics.connectors.base import AuthExpired
from metrics.connectors.demo import DemoConnector
from metrics.models import Credential, TrackedProfile
from metrics.platforms import Platform

from .factories import TrackedProfileFactory

pytestmark = pytest.mark.django_db

NETWORKS = [
    (Platform.X, "demobrand"),
    (Platform.FACEBOOK, "DemoBrandOfficial"),
    (Platform.INSTAGRAM, "demobrand"),
    (Platform.LINKEDIN, "demo-brand"),
    (Platform.BLUESKY, "demobrand.bsky.social"),
    (Platform.MASTODON, "demobrand@mastodon.social"),
]


@pytest.fixture
def demo_workspace(workspace, settings):
    """The demo's shape: the brand's own accounts, all demo ones; no app keys; OAUTH_DEMO on (development)."""
    settings.OAUTH_DEMO = True
    settings.X_CLIENT_ID = settings.META_APP_ID = settings.LINKEDIN_CLIENT_ID = ""
    for platform, handle in NETWORKS:
        TrackedProfileFactory(workspace=workspace, platform=platform, handle=handle, is_own=True)
    return workspace


def _consent_page(client, platform):
    response = client.post(reverse("metrics:oauth_connect", args=[platform]))
    assert response.status_code == 302
    address = response["Location"]
    assert address.startswith(reverse("metrics:demo_consent", args=[platform]))
    return address


def _allow(client, platform, decision="allow"):
    address = _consent_page(client, platform)
    back = client.post(address, {"decision": decision})
    assert back.status_code == 302 and back["Location"].startswith(reverse("metrics:oauth_callback", args=[platform]))
    return back["Location"]


def test_the_page_offers_a_demo_connect_for_each_network(client_as, demo_workspace):
    page = client_as("admin").get(reverse("metrics:connect")).content.decode()
    for label in ["X", "Facebook", "Instagram", "LinkedIn", "Bluesky", "Mastodon"]:
        assert f"Connect {label} (demo)</button>" in page
    assert 'data-testid="demo-journey"' in page
    assert 'name="server"' not in page and 'data-testid="bluesky-connect"' not in page  # no network asked for


@pytest.mark.parametrize(("platform", "handle"), NETWORKS)
def test_connect_goes_through_the_demo_consent_page_and_lands_with_a_demo_credential(
    client_as, demo_workspace, platform, handle
):
    client = client_as("admin")
    consent = client.get(_consent_page(client, platform)).content.decode()
    provider = demo_connect.DEMO_PROVIDERS[platform]
    assert f"@{handle}" in consent and ">Allow</button>" in consent and ">Cancel</button>" in consent
    for scope in provider.scopes:
        assert f"<code>{scope}</code>" in consent
    page = client.get(_allow(client, platform), follow=True).content.decode()
    credential = Credential.objects.get(workspace=demo_workspace, platform=platform)
    assert credential.is_demo and credential.account_name == f"@{handle}"
    assert credential.connected_by == client.membership.user and credential.connected_at is not None
    assert credential.scopes == " ".join(provider.scopes) and credential.expires_at is not None
    assert f"@{handle} is connected." in page and 'data-testid="demo-credential"' in page
    assert credential.token not in page and credential.refresh_token not in page


def test_cancel_on_the_demo_consent_page_stores_nothing(client_as, demo_workspace):
    client = client_as("admin")
    callback = _allow(client, "x", decision="cancel")
    assert parse_qs(urlsplit(callback).query)["error"] == ["access_denied"]
    page = client.get(callback, follow=True).content.decode()
    assert "X was not connected: you declined the request." in page
    assert not Credential.objects.exists()


def test_a_code_is_good_for_its_own_flow_only(client_as, demo_workspace):
    """The code is checked with PKCE: a code taken from one attempt does not finish another (nor a made-up one)."""
    client = client_as("admin")
    first = parse_qs(urlsplit(_allow(client, "x")).query)
    second = parse_qs(urlsplit(_allow(client, "x")).query)
    callback = reverse("metrics:oauth_callback", args=["x"])
    page = client.get(callback, {"code": first["code"][0], "state": second["state"][0]}, follow=True)
    assert "another connection attempt" in page.content.decode()
    page = client.get(callback, {"code": "demo", "state": first["state"][0]}, follow=True)
    assert "unknown or expired code" in page.content.decode()
    assert not Credential.objects.exists()


def test_refresh_renews_a_demo_credential_with_no_network(client_as, demo_workspace):
    client = client_as("admin")
    client.get(_allow(client, "linkedin"))
    before = Credential.objects.get()
    assert services.credentials_refresh_due(within=timedelta(hours=3)) == 1
    after = Credential.objects.get()
    assert after.token != before.token and after.refresh_token != before.refresh_token and after.is_demo


def test_reconnect_clears_needs_reconnecting(client_as, demo_workspace):
    client = client_as("admin")
    client.get(_allow(client, "facebook"))
    services.credential_session_refused(credential=Credential.objects.get(), reason="Refused.")
    page = client.get(reverse("metrics:connections")).content.decode()
    reconnect = f'action="{reverse("metrics:oauth_connect", args=["facebook"])}"'
    assert 'data-testid="needs-reconnecting"' in page and reconnect in page
    client.get(_allow(client, "facebook"))
    assert not Credential.objects.get().needs_reconnecting


def test_removing_a_demo_credential_asks_no_platform_to_revoke_it(client_as, demo_workspace, monkeypatch):
    revoked = []
    monkeypatch.setattr(oauth.XProvider, "revoke_credential", lambda self, credential: revoked.append(credential))
    client = client_as("admin")
    client.get(_allow(client, "x"))
    client.post(reverse("metrics:credential_delete", args=[Credential.objects.get().pk]))
    assert not Credential.objects.exists() and revoked == []


def test_no_demo_journey_when_oauth_demo_is_off(client_as, demo_workspace, settings):
    settings.OAUTH_DEMO = False
    client = client_as("admin")
    page = client.get(reverse("metrics:connect")).content.decode()
    assert "(demo)</button>" not in page and "Set X_CLIENT_ID" in page
    response = client.post(reverse("metrics:oauth_connect", args=["x"]), follow=True)
    assert "Set X_CLIENT_ID" in response.content.decode()
    assert client.get(reverse("metrics:demo_consent", args=["x"])).status_code == 404
    assert client.post(reverse("metrics:oauth_connect", args=["demo"])).status_code == 404  # the old demo network
    assert not Credential.objects.exists()


def test_no_demo_journey_in_a_workspace_with_a_live_account(client_as, demo_workspace):
    TrackedProfileFactory(workspace=demo_workspace, platform=Platform.X, source=TrackedProfile.Source.LIVE)
    client = client_as("admin")
    assert "(demo)</button>" not in client.get(reverse("metrics:connect")).content.decode()
    assert client.get(reverse("metrics:demo_consent", args=["facebook"])).status_code == 404


def test_a_network_with_app_keys_connects_the_real_account_even_in_the_demo(client_as, demo_workspace, settings):
    settings.X_CLIENT_ID = "client-id"
    client = client_as("admin")
    assert client.post(reverse("metrics:oauth_connect", args=["x"]))["Location"].startswith(settings.X_AUTHORIZE_URL)
    _consent_page(client, "facebook")  # the others stay demo ones


def test_a_live_profile_never_sends_a_demo_token_while_demo_profiles_pull(client_as, demo_workspace):
    client = client_as("admin")
    client.get(_allow(client, "x"))
    demo_profile = TrackedProfile.objects.get(workspace=demo_workspace, platform=Platform.X)
    assert isinstance(connector_for(demo_profile), DemoConnector)
    live = TrackedProfileFactory(workspace=demo_workspace, platform=Platform.X, source=TrackedProfile.Source.LIVE)
    with pytest.raises(AuthExpired, match="demo one"):
        connector_for(live)


def test_an_analyst_cannot_open_the_demo_consent_page(client_as, demo_workspace):
    assert client_as("analyst").get(reverse("metrics:demo_consent", args=["x"])).status_code == 403
