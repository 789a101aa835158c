"""Connecting Facebook Pages, Instagram professional accounts and LinkedIn organizations: the consent screen, the
choice page, the page tokens, their refresh and their revocation, with the platforms' replies through responses."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from responses import matchers

from metrics import oauth, services
from metrics.connectors import connector_for
from metrics.models import ConnectedAccount, Credential, TrackedProfile
from notifications.models import Notification
from notifications.tasks import send_notification_emails
from outbox.models import QueuedAction

pytestmark = pytest.mark.django_db

GRAPH = "https://graph.facebook.com/v24.0"
LI_API = "https://api.linkedin.com/rest"
LI_TOKEN_URL = "https://www.linkedin.com/oauth/v2/accessToken"
LI_REVOKE_URL = "https://www.linkedin.com/oauth/v2/revoke"

# Meta's replies. The token exchanges in the shape of developers.facebook.com/docs/facebook-login/guides/
# access-tokens/get-long-lived ("access_token", "token_type": "bearer", "expires_in") and /docs/facebook-login/
# guides/advanced/manual-flow (the code exchange: the same three fields).
SHORT_TOKEN = {"access_token": "EAAshortlivedUserToken1234", "token_type": "bearer", "expires_in": 5183}
LONG_TOKEN = {"access_token": "EAAlonglivedUserToken5678", "token_type": "bearer", "expires_in": 5183944}
RENEWED_TOKEN = {"access_token": "EAArenewedUserToken9012", "token_type": "bearer", "expires_in": 5183944}
# /me and /me/permissions: Graph API reference user (id, name) and user/permissions (data of permission, status).
ME = {"name": "Jane Doe", "id": "10158712345678901"}
PERMISSIONS = {
    "data": [
        {"permission": "pages_show_list", "status": "granted"},
        {"permission": "pages_read_engagement", "status": "granted"},
        {"permission": "instagram_basic", "status": "granted"},
        {"permission": "read_insights", "status": "declined"},
    ]
}
# /me/accounts, paged: the shape of python-facebook-api's testdata/facebook/apidata/users/user_accounts_p1.json and
# _p2.json (sns-sdks/python-facebook@1c82619361a95758fe1b264f21606c5c45663aa2: data of Pages with access_token,
# category, name, id, tasks; paging cursors and next on the first page only), with instagram_business_account as
# Graph API reference page (id, username, name of the IG User).
PAGE_TOKEN_ACME = "EAApageTokenAcme0000"
PAGE_TOKEN_SHOP = "EAApageTokenShop1111"
NEXT_ACCOUNTS = f"{GRAPH}/10158712345678901/accounts?access_token=EAAlonglivedUserToken5678&limit=100&after=QVFIUk"
ACCOUNTS_P1 = {
    "data": [
        {
            "access_token": PAGE_TOKEN_ACME,
            "category": "Outdoor & Sporting Goods Company",
            "category_list": [{"id": "2250", "name": "Outdoor & Sporting Goods Company"}],
            "name": "Acme Outdoor",
            "username": "acmeoutdoor",
            "id": "104512345678901",
            "tasks": ["ANALYZE", "ADVERTISE", "MESSAGING", "MODERATE", "CREATE_CONTENT", "MANAGE"],
            "instagram_business_account": {"id": "17841400000000001", "username": "acme.outdoor", "name": "Acme"},
        }
    ],
    "paging": {"cursors": {"before": "QVFIUb", "after": "QVFIUk"}, "next": NEXT_ACCOUNTS},
}
ACCOUNTS_P2 = {
    "data": [
        {
            "access_token": PAGE_TOKEN_SHOP,
            "category": "Shopping & Retail",
            "category_list": [{"id": "200600219953504", "name": "Shopping & Retail"}],
            "name": "Acme Shop",
            "id": "104598765432109",
            "tasks": ["ANALYZE", "CREATE_CONTENT"],
        }
    ],
    "paging": {"cursors": {"before": "QVFIUk", "after": "QVFIUz"}},
}
# Graph error objects: developers.facebook.com/docs/graph-api/guides/error-handling (message, type, code,
# error_subcode, fbtrace_id; 190 an invalid or expired token, 463 its subcode for an expired session; 100/36009
# "This authorization code has been used", as quoted in Meta's signup client tests).
EXPIRED_TOKEN = {
    "error": {
        "message": "Error validating access token: Session has expired on Friday, 04-Dec-26 01:00:00 PST.",
        "type": "OAuthException",
        "code": 190,
        "error_subcode": 463,
        "fbtrace_id": "H2il2t5bn4e",
    }
}
CODE_USED = {
    "error": {
        "message": "This authorization code has been used.",
        "type": "OAuthException",
        "code": 100,
        "error_subcode": 36009,
        "fbtrace_id": "AzWq3bNvLrQ",
    }
}

# LinkedIn's replies. The token, as learn.microsoft.com/linkedin/shared/authentication/programmatic-refresh-tokens
# shows it for an app with programmatic refresh tokens (access_token, expires_in 5183999, refresh_token,
# refresh_token_expires_in, scope); its errors as /authorization-code-flow lists them (error, error_description).
LI_TOKEN = {
    "access_token": "AQXNnd2kXITHELmWblJigRLLRMBRFz3xKbHwR0a6cnu0G6cJ8RwCwZHRnHvFsKO2gTS1Uw",
    "expires_in": 5183999,
    "refresh_token": "AQWAft_WjYZKwuWXLC5hQlghgTam-tuT8CvFej9-XxGyqeER_7jTr8HmjiGjqil13i7gMFjyDxh1g7C_G1gyTZmfcD0Bo",
    "refresh_token_expires_in": 31535999,
    "scope": "r_organization_social,w_organization_social,r_organization_admin,rw_organization_admin",
}
LI_INVALID_GRANT = {
    "error": "invalid_grant",
    "error_description": "The provided authorization grant or refresh token is invalid, expired or revoked.",
}
# /rest/organizationAcls?q=roleAssignee: learn.microsoft.com/linkedin/marketing/community-management/organizations/
# organization-access-control-by-role (elements of roleAssignee, state, role, organization; paging count, start,
# total); /rest/organizations/{id}: .../organization-lookup-api (id, localizedName, vanityName, among others).
LI_ACLS = {
    "paging": {"count": 100, "start": 0, "total": 2, "links": []},
    "elements": [
        {
            "roleAssignee": "urn:li:person:8675309",
            "state": "APPROVED",
            "role": "ADMINISTRATOR",
            "organization": "urn:li:organization:2414183",
        },
        {
            "roleAssignee": "urn:li:person:8675309",
            "state": "APPROVED",
            "role": "ADMINISTRATOR",
            "organization": "urn:li:organization:5678901",
        },
    ],
}
LI_ORG_1 = {"id": 2414183, "localizedName": "Acme Outdoor", "vanityName": "acme-outdoor", "localizedWebsite": ""}
LI_ORG_2 = {"id": 5678901, "localizedName": "Acme Labs", "vanityName": "acme-labs", "localizedWebsite": ""}


@pytest.fixture
def meta_app(settings):
    settings.META_APP_ID, settings.META_APP_SECRET, settings.META_CONFIG_ID = "1234567890", "app-secret", ""


@pytest.fixture
def linkedin_app(settings):
    settings.LINKEDIN_CLIENT_ID, settings.LINKEDIN_CLIENT_SECRET = "86abcdefgh", "li-secret"


def _start(client, slug):
    response = client.post(reverse("metrics:oauth_connect", args=[slug]))
    assert response.status_code == 302
    return response["Location"]


def _state(authorize: str) -> str:
    return parse_qs(urlsplit(authorize).query)["state"][0]


def _meta_replies(accounts_p2=ACCOUNTS_P2):
    code = matchers.query_param_matcher({"code": "AQD-code"}, strict_match=False)
    exchange = matchers.query_param_matcher({"grant_type": "fb_exchange_token"}, strict_match=False)
    responses.get(f"{GRAPH}/oauth/access_token", json=SHORT_TOKEN, match=[code])
    responses.get(f"{GRAPH}/oauth/access_token", json=LONG_TOKEN, match=[exchange])
    responses.get(f"{GRAPH}/me", json=ME)
    responses.get(f"{GRAPH}/me/permissions", json=PERMISSIONS)
    responses.get(
        NEXT_ACCOUNTS.split("?")[0],
        json=accounts_p2,
        match=[matchers.query_param_matcher({"after": "QVFIUk"}, strict_match=False)],
    )
    responses.get(f"{GRAPH}/me/accounts", json=ACCOUNTS_P1)


def _meta_connect(client, slug="facebook"):
    state = _state(_start(client, slug))
    return client.get(reverse("metrics:oauth_callback", args=[slug]), {"code": "AQD-code", "state": state})


@responses.activate
def test_facebook_connect_lists_the_pages_and_tracks_the_chosen_one_with_its_page_token(client_as, meta_app):
    _meta_replies()
    client = client_as("admin")
    authorize = _start(client, "facebook")
    query = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith("https://www.facebook.com/v24.0/dialog/oauth?")
    assert query["client_id"] == ["1234567890"] and "pages_show_list" in query["scope"][0].split(",")
    assert "config_id" not in query
    callback = client.get(
        reverse("metrics:oauth_callback", args=["facebook"]), {"code": "AQD-code", "state": query["state"][0]}
    )
    assert callback["Location"] == reverse("metrics:oauth_choose", args=["facebook"])
    credential = Credential.objects.get(platform="facebook")
    assert credential.token == LONG_TOKEN["access_token"] and credential.account_id == ME["id"]
    assert credential.scopes == "pages_show_list pages_read_engagement instagram_basic"  # the declined one left out
    assert credential.expires_at > timezone.now() + timedelta(days=59)
    page = client.get(callback["Location"]).content.decode()
    assert (
        "Acme Outdoor (@acmeoutdoor)" in page and "Acme Shop (@104598765432109)" in page
    )  # both pages of /me/accounts
    for token in (PAGE_TOKEN_ACME, PAGE_TOKEN_SHOP, LONG_TOKEN["access_token"]):
        assert token not in page  # never rendered
        assert token not in str(dict(client.session))  # kept encrypted in the session too
    done = client.post(callback["Location"], {"accounts": ["104512345678901"]}, follow=True)
    profile = TrackedProfile.objects.get(platform="facebook")
    assert (profile.handle, profile.external_id, profile.source, profile.is_own) == (
        "acmeoutdoor", "104512345678901", "live", True,
    )  # fmt: skip
    account = ConnectedAccount.objects.get(profile=profile)
    assert account.token == PAGE_TOKEN_ACME and PAGE_TOKEN_ACME not in account.token_encrypted
    assert account.connected_by == done.wsgi_request.user and account.credential == credential
    assert PAGE_TOKEN_ACME not in done.content.decode() and "Acts for @acmeoutdoor" in done.content.decode()
    connector = connector_for(profile)
    assert connector.api.access_token == PAGE_TOKEN_ACME and connector.page_id == "104512345678901"
    # The choice is used once: the page is not offered again.
    again = client.get(reverse("metrics:oauth_choose", args=["facebook"]), follow=True)
    assert "No Facebook connection is waiting for a choice" in again.content.decode()


def test_config_id_replaces_the_scope_on_facebooks_dialog(client_as, meta_app, settings):
    settings.META_CONFIG_ID = "987654321"
    query = parse_qs(urlsplit(_start(client_as("admin"), "facebook")).query)
    assert query["config_id"] == ["987654321"] and "scope" not in query


@responses.activate
def test_instagram_connect_tracks_the_linked_account_with_its_pages_token(client_as, meta_app):
    _meta_replies()
    client = client_as("admin")
    assert _meta_connect(client, "instagram")["Location"] == reverse("metrics:oauth_choose", args=["instagram"])
    page = client.get(reverse("metrics:oauth_choose", args=["instagram"])).content.decode()
    assert "Acme (@acme.outdoor), through the Page Acme Outdoor" in page and "Acme Shop" not in page  # no IG there
    client.post(reverse("metrics:oauth_choose", args=["instagram"]), {"accounts": ["17841400000000001"]})
    profile = TrackedProfile.objects.get(platform="instagram")
    assert (profile.handle, profile.external_id) == ("acme.outdoor", "17841400000000001")
    assert ConnectedAccount.objects.get(profile=profile).page_id == "104512345678901"
    assert Credential.objects.get(platform="instagram").account_id == "17841400000000001"  # business discovery
    connector = connector_for(profile)
    assert connector.api.access_token == PAGE_TOKEN_ACME and connector.own_account_id == "17841400000000001"


@responses.activate
def test_an_already_tracked_page_is_ticked_and_updated_not_added_twice(client_as, meta_app, workspace):
    TrackedProfile.objects.create(workspace=workspace, platform="facebook", handle="AcmeOutdoor", source="demo",
                                  external_id="104512345678901", needs_attention=True)  # fmt: skip
    _meta_replies()
    client = client_as("admin")
    _meta_connect(client)
    page = client.get(reverse("metrics:oauth_choose", args=["facebook"])).content.decode()
    assert "already tracked" in page
    assert re.search(r'value="104512345678901"[^>]*checked', page)
    client.post(reverse("metrics:oauth_choose", args=["facebook"]), {"accounts": ["104512345678901"]})
    profile = TrackedProfile.objects.get(platform="facebook")
    assert profile.source == "live" and not profile.needs_attention and profile.handle == "AcmeOutdoor"
    assert ConnectedAccount.objects.get().profile == profile


def test_refused_consent_stores_nothing(client_as, meta_app):
    client = client_as("admin")
    state = _state(_start(client, "facebook"))
    # Facebook's redirect when the person cancels (docs/facebook-login/guides/advanced/manual-flow, "canceled login").
    refusal = {"error": "access_denied", "error_code": "200", "error_description": "Permissions error",
               "error_reason": "user_denied", "state": state}  # fmt: skip
    page = client.get(reverse("metrics:oauth_callback", args=["facebook"]), refusal, follow=True)
    assert "Facebook was not connected: you declined the request." in page.content.decode()
    assert not Credential.objects.exists()


@responses.activate
def test_a_used_code_says_so_and_stores_nothing(client_as, meta_app):
    responses.get(f"{GRAPH}/oauth/access_token", status=400, json=CODE_USED)
    page = _meta_connect(client_as("admin"))
    assert page["Location"] == reverse("metrics:connections")
    assert not Credential.objects.exists()


@responses.activate
def test_a_used_code_message_names_it(client_as, meta_app):
    responses.get(f"{GRAPH}/oauth/access_token", status=400, json=CODE_USED)
    client = client_as("admin")
    state = _state(_start(client, "facebook"))
    page = client.get(reverse("metrics:oauth_callback", args=["facebook"]), {"code": "x", "state": state}, follow=True)
    assert "code expired or was already used" in page.content.decode()


@responses.activate
def test_a_person_who_manages_no_page_is_told_and_nothing_is_stored(client_as, meta_app):
    _meta_replies()
    responses.replace(responses.GET, f"{GRAPH}/me/accounts", json={"data": []})
    client = client_as("admin")
    state = _state(_start(client, "facebook"))
    page = client.get(
        reverse("metrics:oauth_callback", args=["facebook"]), {"code": "AQD-code", "state": state}, follow=True
    )
    assert "Jane Doe manages no Facebook Page" in page.content.decode()
    assert not Credential.objects.exists()


@responses.activate
def test_a_replayed_state_is_refused(client_as, meta_app):
    _meta_replies()
    client = client_as("admin")
    state = _state(_start(client, "facebook"))
    callback = reverse("metrics:oauth_callback", args=["facebook"])
    client.get(callback, {"code": "AQD-code", "state": state})
    calls = len(responses.calls)
    page = client.get(callback, {"code": "AQD-code", "state": state}, follow=True)
    assert "unknown or was already used" in page.content.decode()
    assert len(responses.calls) == calls  # the code was not sent to Facebook again


def test_another_members_state_and_choices_are_refused(client_as, make_member, meta_app, workspace):
    client = client_as("admin")
    state = _state(_start(client, "facebook"))
    other = make_member("admin")
    session = client.session
    flows = session[oauth.SESSION_KEY]
    flows[state]["member"] = other.user.pk  # a flow another member began
    credential = Credential.objects.create(workspace=workspace, platform="facebook", token_encrypted="x")
    choice = oauth.Choice(platform="facebook", external_id="1", handle="acme", token="EAAsecret")
    oauth.choices_keep(session=session, provider=oauth.PROVIDERS["facebook"], member_id=flows[state]["member"],
                       workspace_id=workspace.pk, credential_id=credential.pk, choices=[choice])  # fmt: skip
    session.save()
    page = client.get(reverse("metrics:oauth_callback", args=["facebook"]), {"code": "c", "state": state}, follow=True)
    assert "unknown or was already used" in page.content.decode()
    page = client.get(reverse("metrics:oauth_choose", args=["facebook"]), follow=True)
    assert "No Facebook connection is waiting for a choice" in page.content.decode()
    client.post(reverse("metrics:oauth_choose", args=["facebook"]), {"accounts": ["1"]})
    assert not TrackedProfile.objects.exists()


def test_analyst_cannot_open_the_choice_page(client_as):
    assert client_as("analyst").get(reverse("metrics:oauth_choose", args=["facebook"])).status_code == 403


def _connected_meta(workspace, *, expires_in=timedelta(days=2), by=None):
    grant = oauth.Grant(access_token=LONG_TOKEN["access_token"], account_id=ME["id"], account_name="Jane Doe",
                        expires_at=timezone.now() + expires_in, scopes="pages_show_list")  # fmt: skip
    credential = services.credential_connect(workspace=workspace, platform="facebook", grant=grant, by=by)
    choice = oauth.Choice(platform="facebook", external_id="104512345678901", handle="acmeoutdoor",
                          name="Acme Outdoor", token=PAGE_TOKEN_ACME)  # fmt: skip
    services.connected_accounts_choose(workspace=workspace, credential=credential, choices=[choice],
                                       chosen=[choice.external_id], by=by)  # fmt: skip
    return credential


@responses.activate
def test_meta_refresh_exchanges_the_token_again_and_rereads_the_page_tokens(workspace, meta_app):
    _connected_meta(workspace)
    responses.get(f"{GRAPH}/oauth/access_token", json=RENEWED_TOKEN,
                  match=[matchers.query_param_matcher({"fb_exchange_token": LONG_TOKEN["access_token"]}, strict_match=False)])  # fmt: skip
    renewed_page = {**ACCOUNTS_P1, "data": [{**ACCOUNTS_P1["data"][0], "access_token": "EAAnewPageToken2222"}]}
    responses.get(f"{GRAPH}/me/accounts", json={"data": renewed_page["data"], "paging": {"cursors": {}}})
    assert services.credentials_refresh_due() == 1
    credential = Credential.objects.get()
    assert credential.token == RENEWED_TOKEN["access_token"] and credential.expires_at > timezone.now() + timedelta(
        days=59
    )
    assert ConnectedAccount.objects.get().token == "EAAnewPageToken2222"
    assert services.credentials_refresh_due() == 0  # not due any more


@responses.activate
def test_meta_refresh_refused_with_190_needs_reconnecting_mails_the_admins_and_shows_reconnect(
    client_as, meta_app, workspace
):
    client = client_as("admin")
    _connected_meta(workspace)
    responses.get(f"{GRAPH}/oauth/access_token", status=400, json=EXPIRED_TOKEN)
    mail.outbox.clear()
    assert services.credentials_refresh_due() == 0
    assert services.credentials_refresh_due() == 0  # needs reconnecting: not asked again
    assert len(responses.calls) == 1
    assert Credential.objects.get().needs_reconnecting
    assert Notification.objects.filter(kind="connection_needs_attention").count() == 1
    # The e-mail goes on commit, through the outbox (notifications/tests/test_emails.py): run what the commit would.
    action = QueuedAction.objects.get(name="notifications.email")
    send_notification_emails.delay(**action.arguments)
    assert [m.to for m in mail.outbox] == [[client.membership.user.email]]
    assert "Reconnect Facebook Jane Doe" in mail.outbox[0].subject
    page = client.get(reverse("metrics:connections")).content.decode()
    assert 'data-testid="needs-reconnecting"' in page and "Reconnect Facebook" in page
    assert reverse("metrics:oauth_connect", args=["facebook"]) in page


@responses.activate
def test_disconnect_revokes_the_permissions_at_meta_and_forgets_the_page_tokens(workspace, meta_app):
    credential = _connected_meta(workspace)
    # DELETE /{user-id}/permissions answers {"success": true} (Graph API reference user/permissions, Deleting).
    responses.delete(f"{GRAPH}/me/permissions", json={"success": True},
                     match=[matchers.query_param_matcher({"access_token": LONG_TOKEN["access_token"]})])  # fmt: skip
    services.credential_delete(credential=credential)
    assert len(responses.calls) == 1
    assert not Credential.objects.exists() and not ConnectedAccount.objects.exists()
    assert TrackedProfile.objects.filter(platform="facebook").exists()  # the history stays


def test_another_workspace_sees_none_of_the_connected_accounts(client_as, workspace, other_workspace):
    _connected_meta(workspace)
    client = client_as("admin", ws=other_workspace)
    for name in ("metrics:connections", "audits:access"):
        page = client.get(reverse(name))
        assert page.status_code == 200 and "acmeoutdoor" not in page.content.decode()


def test_the_access_register_names_who_connected_which_account(client_as, workspace):
    client = client_as("admin")
    member = client.membership.user
    _connected_meta(workspace, by=member)
    page = client.get(reverse("audits:access")).content.decode()
    assert 'data-testid="connected-through-app"' in page and "@acmeoutdoor" in page
    assert (member.get_full_name() or member.email) in page.split('data-testid="connected-through-app"')[1]
    assert PAGE_TOKEN_ACME not in page


@responses.activate
def test_linkedin_connect_lists_the_administered_organizations_and_tracks_the_chosen_ones(client_as, linkedin_app):
    responses.post(LI_TOKEN_URL, json=LI_TOKEN)
    version = matchers.header_matcher(
        {"LinkedIn-Version": settings.LINKEDIN_VERSION, "X-Restli-Protocol-Version": "2.0.0"}
    )
    acls = matchers.query_param_matcher(
        {"q": "roleAssignee", "role": "ADMINISTRATOR", "state": "APPROVED"}, strict_match=False
    )
    responses.get(f"{LI_API}/organizationAcls", json=LI_ACLS, match=[version, acls])
    responses.get(f"{LI_API}/organizations/2414183", json=LI_ORG_1, match=[version])
    responses.get(f"{LI_API}/organizations/5678901", json=LI_ORG_2, match=[version])
    client = client_as("admin")
    authorize = _start(client, "linkedin")
    query = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith("https://www.linkedin.com/oauth/v2/authorization?")
    assert query["scope"] == [" ".join(oauth.LINKEDIN_SCOPES)] and "code_challenge" not in query  # web app: no PKCE
    callback = client.get(
        reverse("metrics:oauth_callback", args=["linkedin"]), {"code": "AQTQmah", "state": query["state"][0]}
    )
    assert callback["Location"] == reverse("metrics:oauth_choose", args=["linkedin"])
    token_request = parse_qs(responses.calls[0].request.body)
    assert token_request["client_secret"] == ["li-secret"] and token_request["grant_type"] == ["authorization_code"]
    credential = Credential.objects.get(platform="linkedin")
    assert (
        credential.refresh_token == LI_TOKEN["refresh_token"] and "rw_organization_admin" in credential.scopes.split()
    )
    page = client.get(callback["Location"]).content.decode()
    assert "Acme Outdoor (@acme-outdoor)" in page and "Acme Labs (@acme-labs)" in page
    assert LI_TOKEN["access_token"] not in page and LI_TOKEN["access_token"] not in str(dict(client.session))
    client.post(callback["Location"], {"accounts": ["2414183"]})
    profile = TrackedProfile.objects.get(platform="linkedin")
    assert (profile.handle, profile.external_id, profile.source) == ("acme-outdoor", "2414183", "live")
    assert ConnectedAccount.objects.get().token_encrypted == ""  # the member's token, kept once in the Credential


def test_a_choice_not_offered_is_refused(client_as, workspace, linkedin_app):
    client = client_as("admin")
    credential = Credential.objects.create(workspace=workspace, platform="linkedin", token_encrypted="x")
    session = client.session
    choice = oauth.Choice(platform="linkedin", external_id="2414183", handle="acme-outdoor")
    oauth.choices_keep(session=session, provider=oauth.PROVIDERS["linkedin"], member_id=client.membership.user.pk,
                       workspace_id=workspace.pk, credential_id=credential.pk, choices=[choice])  # fmt: skip
    session.save()
    page = client.post(reverse("metrics:oauth_choose", args=["linkedin"]), {"accounts": ["999"]})
    assert page.status_code == 400 and not TrackedProfile.objects.exists()


def _connected_linkedin(workspace):
    grant = oauth.Grant(access_token="li-access-0000", refresh_token=LI_TOKEN["refresh_token"],
                        expires_at=timezone.now() + timedelta(minutes=30))  # fmt: skip
    return services.credential_connect(workspace=workspace, platform="linkedin", grant=grant, by=None)


@responses.activate
def test_linkedin_refresh_uses_the_refresh_token(workspace, linkedin_app):
    _connected_linkedin(workspace)
    responses.post(LI_TOKEN_URL, json=LI_TOKEN)
    assert services.credentials_refresh_due() == 1
    body = parse_qs(responses.calls[0].request.body)
    assert body["grant_type"] == ["refresh_token"] and body["refresh_token"] == [LI_TOKEN["refresh_token"]]
    assert Credential.objects.get().token == LI_TOKEN["access_token"]


@responses.activate
def test_linkedin_invalid_refresh_needs_reconnecting(workspace, linkedin_app, client_as):
    client_as("admin")
    _connected_linkedin(workspace)
    responses.post(LI_TOKEN_URL, status=400, json=LI_INVALID_GRANT)
    assert services.credentials_refresh_due() == 0
    assert Credential.objects.get().needs_reconnecting
    assert Notification.objects.filter(kind="connection_needs_attention").count() == 1


@responses.activate
def test_linkedin_disconnect_revokes_the_member_token_at_linkedin(workspace, linkedin_app):
    _connected_linkedin(workspace)
    # RFC 7009 at /oauth/v2/revoke, the app's keys in the form body: LinkedIn answers 200 with an empty body.
    responses.post(LI_REVOKE_URL, body="", status=200)
    services.credential_delete(credential=Credential.objects.get())
    assert len(responses.calls) == 1
    body = parse_qs(responses.calls[0].request.body)
    assert body["token"] == ["li-access-0000"]
    assert body["client_id"] == ["86abcdefgh"] and body["client_secret"] == ["li-secret"]
    assert not Credential.objects.exists()


@responses.activate
def test_a_refused_linkedin_revocation_still_forgets_the_token_and_tells_the_admin(
    client_as, workspace, linkedin_app, caplog
):
    client = client_as("admin")
    credential = _connected_linkedin(workspace)
    responses.post(LI_REVOKE_URL, status=400, json={"error": "invalid_request", "error_description": "Invalid token"})
    page = client.post(reverse("metrics:credential_delete", args=[credential.pk]), follow=True).content.decode()
    assert not Credential.objects.exists()
    assert "LinkedIn did not confirm it revoked the token" in page
    assert "Could not revoke the linkedin token" in caplog.text


def test_only_the_ticked_accounts_are_tracked(workspace):
    credential = Credential.objects.create(workspace=workspace, platform="linkedin", token_encrypted="x")
    offered = [
        oauth.Choice(platform="linkedin", external_id="2414183", handle="acme-outdoor"),
        oauth.Choice(platform="linkedin", external_id="5678901", handle="acme-labs"),
    ]
    services.connected_accounts_choose(workspace=workspace, credential=credential, choices=offered, chosen=["5678901"],
                                       by=None)  # fmt: skip
    assert list(TrackedProfile.objects.values_list("handle", flat=True)) == ["acme-labs"]


def test_a_choice_pointing_at_another_workspaces_credential_is_refused(client_as, workspace, other_workspace):
    client = client_as("admin")
    foreign = Credential.objects.create(workspace=other_workspace, platform="linkedin", token_encrypted="x")
    session = client.session
    choice = oauth.Choice(platform="linkedin", external_id="2414183", handle="acme-outdoor")
    oauth.choices_keep(session=session, provider=oauth.PROVIDERS["linkedin"], member_id=client.membership.user.pk,
                       workspace_id=workspace.pk, credential_id=foreign.pk, choices=[choice])  # fmt: skip
    session.save()
    client.post(reverse("metrics:oauth_choose", args=["linkedin"]), {"accounts": ["2414183"]})
    assert not TrackedProfile.objects.exists() and not ConnectedAccount.objects.exists()
