"""Connecting accounts through the platforms' consent screens (OAuth 2.0 with PKCE), through Authlib.

A provider knows its endpoints, scopes and how to learn the account a token acts as. It never touches models:
`metrics.services` stores what it returns. Every call has the platform timeout (metrics.connectors.http).

Meta and LinkedIn connect a person, who then chooses which of the accounts they manage (Pages, Instagram
professional accounts, organizations) the workspace tracks: their providers set `chooses_accounts` and give those
accounts as the grant's `choices`; the choice page (views.oauth_choose) lists them.
"""

import ipaddress
import re
import secrets
import socket
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from common.site import site_url

from .platforms import Platform

SESSION_KEY = "oauth_flows"


class ConnectRefused(Exception):
    """The platform or the person refused: the message says why, in words for the page."""


class RefreshRefused(ConnectRefused):
    """The platform refused to refresh the token (invalid_grant): a person must connect again."""


@dataclass
class Choice:
    """An account the connected person manages and may choose to track. `token`: Meta's Page token (an Instagram
    account's is its linked Page's), never shown nor put in a form."""

    platform: str
    external_id: str
    handle: str
    name: str = ""
    token: str = ""
    page_id: str = ""
    page_name: str = ""


@dataclass
class Grant:
    access_token: str
    refresh_token: str = ""
    scopes: str = ""
    expires_at: datetime | None = None
    account_id: str = ""
    account_name: str = ""
    choices: list[Choice] = field(default_factory=list)


@dataclass
class Provider:
    slug: str
    label: str
    platform: str
    scopes: list[str] = field(default_factory=list)
    # What each scope is for, listed on the connections page.
    scope_uses: dict[str, str] = field(default_factory=dict)

    def missing_configuration(self) -> str:
        """Why this provider cannot start a flow here, or "" when it can."""
        return ""

    def redirect_uri(self) -> str:
        return site_url(reverse("metrics:oauth_callback", args=[self.slug]))

    # Set where the connect form asks which server the account is on (Mastodon).
    asks_server = False

    def flow_details(self, form) -> dict:
        """What the flow must remember besides state and verifier, read from the connect form (Mastodon: the
        server); raise ConnectRefused with words for the page when it cannot start."""
        return {}

    def revoke_credential(self, credential) -> None:
        self.revoke(token=credential.token)

    # Set where the person chooses, after the consent screen, which of their accounts the workspace tracks.
    chooses_accounts = False
    # How long before its expiry a token is refreshed (the beat task runs every hour or so).
    refresh_ahead = timedelta(minutes=75)

    def can_refresh(self, credential) -> bool:
        return bool(credential.refresh_token_encrypted)

    def refresh_credential(self, credential) -> Grant:
        """A renewed token for this credential; raise RefreshRefused when a person must connect again."""
        return self.refresh(refresh_token=credential.refresh_token)

    def consent_origin(self) -> str:
        """The origin of the consent screen, known before a flow starts ("" when not: Mastodon's server is typed).
        The connections page allows its forms to go there (CSP form-action follows the Connect POST's redirect)."""
        return ""


def origin_of(address: str) -> str:
    """scheme://host[:port] of an address: what CSP form-action names."""
    parts = urlsplit(address)
    return f"{parts.scheme}://{parts.netloc}"


def _timeout() -> float:
    return float(getattr(settings, "PLATFORM_HTTP_TIMEOUT", 15))


def _expiry(token: dict) -> datetime | None:
    if token.get("expires_in"):
        return timezone.now() + timedelta(seconds=int(token["expires_in"]))
    return None


# What a token endpoint answers for a refresh token that is dead (revoked, used, expired): the RFC's invalid_grant,
# and X's invalid_request "Value passed for the token was invalid." (tests/oauth_provider.py).
DEAD_GRANT = {"invalid_grant", "invalid_request"}


def _refused(error: OAuthError) -> ConnectRefused:
    kind = RefreshRefused if error.error in DEAD_GRANT else ConnectRefused
    return kind(f"The platform refused: {error.description or error.error}.")


@dataclass
class XProvider(Provider):
    def missing_configuration(self) -> str:
        if not settings.X_CLIENT_ID:
            return "Set X_CLIENT_ID and X_CLIENT_SECRET (the app's OAuth 2.0 keys) to connect X."
        return ""

    def consent_origin(self) -> str:
        return origin_of(settings.X_AUTHORIZE_URL)

    def _session(self, **kwargs) -> OAuth2Session:
        return OAuth2Session(
            settings.X_CLIENT_ID,
            settings.X_CLIENT_SECRET or None,
            scope=" ".join(self.scopes),
            redirect_uri=self.redirect_uri(),
            code_challenge_method="S256",
            token_endpoint_auth_method="client_secret_basic" if settings.X_CLIENT_SECRET else "none",
            **kwargs,
        )

    def authorize_url(self, *, state: str, code_verifier: str) -> str:
        url, _ = self._session().create_authorization_url(
            settings.X_AUTHORIZE_URL, state=state, code_verifier=code_verifier
        )
        return url

    def exchange(self, *, code: str, code_verifier: str) -> Grant:
        session = self._session()
        try:
            token = session.fetch_token(
                settings.X_TOKEN_URL, code=code, code_verifier=code_verifier, timeout=_timeout()
            )
        except OAuthError as error:
            raise _refused(error) from error
        me = session.get(f"{settings.X_API_URL}/2/users/me", timeout=_timeout())
        if me.status_code != 200 or "data" not in me.json():
            raise ConnectRefused("X gave a token but would not say which account it belongs to.")
        data = me.json()["data"]
        return Grant(
            access_token=token["access_token"],
            refresh_token=token.get("refresh_token", ""),
            scopes=token.get("scope", ""),
            expires_at=_expiry(token),
            account_id=data["id"],
            account_name=f"@{data['username']}",
        )

    def refresh(self, *, refresh_token: str) -> Grant:
        try:
            token = self._session().refresh_token(settings.X_TOKEN_URL, refresh_token=refresh_token, timeout=_timeout())
        except OAuthError as error:
            raise _refused(error) from error
        return Grant(
            access_token=token["access_token"],
            # X rotates refresh tokens: the old one stops working once used.
            refresh_token=token.get("refresh_token", refresh_token),
            scopes=token.get("scope", ""),
            expires_at=_expiry(token),
        )

    def revoke(self, *, token: str) -> None:
        # X answers {"revoked": true} with 200 (POST /2/oauth2/revoke).
        reply = self._session().revoke_token(settings.X_REVOKE_URL, token=token, timeout=_timeout())
        if reply.status_code != 200:
            raise ConnectRefused(f"X did not revoke the token (HTTP {reply.status_code}).")


@dataclass
class DemoProvider(Provider):
    """A demo network's consent flow, with no network: its consent page is the app's own (metrics.demo_connect
    decides where it applies and serves the page), its code a signed note of the flow, checked with PKCE."""

    def authorize_url(self, *, state: str, code_verifier: str) -> str:
        from .demo_connect import consent_address

        return consent_address(self, state=state, code_verifier=code_verifier)

    def exchange(self, *, code: str, code_verifier: str) -> Grant:
        from .demo_connect import grant_for_code

        return grant_for_code(self, code=code, code_verifier=code_verifier)

    def refresh(self, *, refresh_token: str) -> Grant:
        # Rotated, as X and Bluesky rotate theirs.
        return Grant(
            access_token=f"demo-{secrets.token_urlsafe(16)}",
            refresh_token=f"demo-refresh-{secrets.token_urlsafe(16)}",
            scopes=" ".join(self.scopes),
            expires_at=timezone.now() + timedelta(hours=2),
        )

    def revoke(self, *, token: str) -> None:
        return None


MASTODON_SCOPES = ["read", "write:statuses", "write:media"]
SERVER_NAME = re.compile(r"([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


def _addresses(host: str) -> list[str]:
    """Every address the host name resolves to (a seam for tests: nothing there reaches a real DNS)."""
    try:
        return [info[4][0] for info in socket.getaddrinfo(host, 443, proto=socket.IPPROTO_TCP)]
    except (socket.gaierror, UnicodeError) as error:
        raise ConnectRefused(f"The server name {host} does not resolve: check how it is spelt.") from error


def mastodon_server(typed: str) -> str:
    """The host name of the server a member typed ("mastodon.social", "https://mastodon.social/"), refused unless
    it is a public one: the app calls it on the member's behalf."""
    server = typed.strip().lower().removeprefix("https://").removeprefix("http://").rstrip("/").lstrip("@")
    server = server.rpartition("@")[2]  # "brand@mastodon.social" typed whole
    if not SERVER_NAME.fullmatch(server):
        raise ConnectRefused("Type your Mastodon server's name, such as mastodon.social.")
    if not all(ipaddress.ip_address(a.split("%")[0]).is_global for a in _addresses(server)):
        raise ConnectRefused(f"{server} points into a private network: the app does not call it.")
    return server


@dataclass
class MastodonProvider(Provider):
    """Mastodon: every server is its own platform. The app registers itself on a server the first time an account
    there connects (POST /api/v1/apps, kept in MastodonApp), then runs the authorization code flow with PKCE on it.
    Mastodon's tokens do not expire and come without a refresh token."""

    asks_server = True

    def flow_details(self, form) -> dict:
        from . import services

        server = mastodon_server(form.get("server", ""))
        services.mastodon_app(server=server, redirect_uri=self.redirect_uri(), register=self.register)
        return {"server": server}

    def register(self, *, server: str, redirect_uri: str) -> tuple[str, str]:
        """This site's client id and secret on `server`, through Mastodon.py's `create_app` (POST /api/v1/apps,
        docs.joinmastodon.org methods/apps). create_app reads the reply without looking at its status: an error
        object or a page comes out as a KeyError, a TypeError or a MastodonError, all a refusal here."""
        from mastodon import Mastodon, MastodonError

        session = _http()
        try:
            client_id, client_secret = Mastodon.create_app(
                settings.MASTODON_APP_NAME,
                scopes=self.scopes,
                redirect_uris=redirect_uri,
                website=settings.SITE_URL,
                api_base_url=f"https://{server}",
                request_timeout=session.timeout,
                session=session,
            )
        except (MastodonError, KeyError, TypeError) as error:
            reply = session.last_response
            if reply is None:
                raise ConnectRefused(
                    f"{server} could not be reached or did not answer as a Mastodon server."
                ) from error
            raise ConnectRefused(
                f"{server} would not register this app (HTTP {reply.status_code}): is it Mastodon?"
            ) from error
        if session.last_response.status_code != 200 or not client_id or not client_secret:
            raise ConnectRefused(
                f"{server} would not register this app (HTTP {session.last_response.status_code}): is it Mastodon?"
            )
        return client_id, client_secret

    def _session(self, server: str) -> OAuth2Session:
        from .models import MastodonApp

        app = MastodonApp.objects.get(server=server)
        return OAuth2Session(
            app.client_id,
            app.client_secret,
            scope=" ".join(self.scopes),
            redirect_uri=self.redirect_uri(),
            code_challenge_method="S256",
            token_endpoint_auth_method="client_secret_post",  # noqa: S106 (a method name, not a secret)
        )

    def authorize_url(self, *, state: str, code_verifier: str, server: str) -> str:
        url, _ = self._session(server).create_authorization_url(
            f"https://{server}/oauth/authorize", state=state, code_verifier=code_verifier
        )
        return url

    def exchange(self, *, code: str, code_verifier: str, server: str) -> Grant:
        session = self._session(server)
        try:
            token = session.fetch_token(
                f"https://{server}/oauth/token", code=code, code_verifier=code_verifier, timeout=_timeout()
            )
            me = session.get(f"https://{server}/api/v1/accounts/verify_credentials", timeout=_timeout())
            account = me.json() if me.status_code == 200 else {}
        except OAuthError as error:
            raise _refused(error) from error
        except (requests.RequestException, ValueError) as error:
            raise ConnectRefused(f"{server} did not answer: try connecting again in a moment.") from error
        if not isinstance(account, dict) or not account.get("id") or not account.get("username"):
            raise ConnectRefused(f"{server} gave a token but would not say which account it belongs to.")
        return Grant(
            access_token=token["access_token"],
            scopes=token.get("scope", ""),
            account_id=str(account["id"]),
            account_name=f"@{account['username']}@{server}",
        )

    def refresh(self, *, refresh_token: str) -> Grant:
        raise RefreshRefused("Mastodon tokens have no refresh token: connect the account again.")

    def revoke(self, *, token: str) -> None:
        return None  # a token alone does not say its server: see revoke_credential

    def revoke_credential(self, credential) -> None:
        """POST /oauth/revoke on the server that issued the token, with this site's client on it."""
        from .connectors.mastodon import credential_server
        from .models import MastodonApp

        app = MastodonApp.objects.filter(server=credential_server(credential)).first()
        if app is None:
            raise ConnectRefused("This site has no app on that Mastodon server any more: the token cannot be revoked.")
        fields = {"client_id": app.client_id, "client_secret": app.client_secret, "token": credential.token}
        _http().post(f"https://{app.server}/oauth/revoke", data=fields).raise_for_status()


def _http():
    from .connectors.http import TimeoutSession

    return TimeoutSession(_timeout())


META_SCOPE_USES = {
    "pages_show_list": "list the Pages you manage, to choose them",
    "pages_read_engagement": "read the Page's followers, posts and their reactions",
    "pages_read_user_content": "read visitors' posts and comments on the Page",
    "pages_manage_posts": "publish posts on the Page",
    "pages_manage_engagement": "answer and moderate comments",
    "read_insights": "read the Page's reach and impressions",
    "business_management": "reach Pages owned through a Business portfolio",
}
INSTAGRAM_SCOPE_USES = {
    "instagram_basic": "read the account's profile and media",
    "instagram_content_publish": "publish posts",
    "instagram_manage_insights": "read reach and impressions",
    "instagram_manage_comments": "read, answer and moderate comments",
    # Instagram professional accounts are reached through the Facebook Page they are linked to.
    "pages_show_list": "list the Pages the accounts are linked to",
    "pages_read_engagement": "read through the linked Page",
    "business_management": "reach accounts owned through a Business portfolio",
}
# What /me/accounts gives for each Page (Graph API reference: user/accounts): its own token, derived from the
# long-lived user token, does not expire.
PAGE_FIELDS = "id,name,username,access_token,tasks,instagram_business_account{id,username,name}"
MAX_ACCOUNT_PAGES = 20  # of 100 Pages each: the paging of /me/accounts stops there whatever its cursors say


def _graph_url(path: str) -> str:
    from .connectors.meta import GRAPH_VERSION

    return f"{settings.META_GRAPH_URL}/{GRAPH_VERSION}/{path}"


def _meta_refused(error: dict) -> ConnectRefused:
    """Words for a Graph error object (developers.facebook.com/docs/graph-api/guides/error-handling)."""
    code, subcode = error.get("code"), error.get("error_subcode")
    if code == 190:
        return RefreshRefused(
            "Facebook no longer accepts the connection (it expired, was removed in Facebook's settings, or the "
            "password changed)."
        )
    if code == 100 and subcode in (36007, 36009):
        return ConnectRefused("Facebook's code expired or was already used: connect again.")
    return ConnectRefused(f"Facebook refused: {error.get('message') or 'no reason given'}.")


def _graph(method: str, url: str, **params) -> dict:
    try:
        reply = _http().request(method, url, params=params)
        body = reply.json()
    except (requests.RequestException, ValueError) as error:
        raise ConnectRefused("Facebook did not answer: try connecting again in a moment.") from error
    if not isinstance(body, dict) or "error" in body or reply.status_code != 200:
        raise _meta_refused(body.get("error") or {} if isinstance(body, dict) else {})
    return body


@dataclass
class MetaProvider(Provider):
    """Facebook Login: the code for a short-lived user token, exchanged for a long-lived one (about 60 days);
    the Pages the person manages come with their own Page tokens, which do not expire. "Refreshing" exchanges the
    long-lived token again before it expires and reads the Page tokens again.

    `facebook` offers the Pages, `instagram` the professional accounts linked to them (acting with the Page's
    token); each keeps its user token in its own Credential."""

    chooses_accounts = True
    # A failed re-exchange (Facebook down) has days of hourly runs to succeed before the token expires.
    refresh_ahead = timedelta(days=3)

    def missing_configuration(self) -> str:
        if not (settings.META_APP_ID and settings.META_APP_SECRET):
            return f"Set META_APP_ID and META_APP_SECRET (the Meta app's keys) to connect {self.label}."
        return ""

    @staticmethod
    def _dialog() -> str:
        from .connectors.meta import GRAPH_VERSION

        return settings.META_AUTHORIZE_URL or f"https://www.facebook.com/{GRAPH_VERSION}/dialog/oauth"

    def consent_origin(self) -> str:
        return origin_of(self._dialog())

    def authorize_url(self, *, state: str, code_verifier: str) -> str:
        dialog = self._dialog()
        extra = {"config_id": settings.META_CONFIG_ID} if settings.META_CONFIG_ID else {}
        session = OAuth2Session(
            settings.META_APP_ID,
            scope=None if settings.META_CONFIG_ID else ",".join(self.scopes),
            redirect_uri=self.redirect_uri(),
        )
        url, _ = session.create_authorization_url(dialog, state=state, **extra)
        return url

    def _long_lived(self, token: str) -> dict:
        return _graph(
            "GET",
            _graph_url("oauth/access_token"),
            grant_type="fb_exchange_token",
            client_id=settings.META_APP_ID,
            client_secret=settings.META_APP_SECRET,
            fb_exchange_token=token,
        )

    def _choices(self, token: str) -> list[Choice]:
        pages, url, params = [], _graph_url("me/accounts"), {"fields": PAGE_FIELDS, "limit": 100, "access_token": token}
        for _ in range(MAX_ACCOUNT_PAGES):
            body = _graph("GET", url, **params)
            pages.extend(body.get("data") or [])
            url, params = (body.get("paging") or {}).get("next"), {}  # the next address carries the token
            if not url:
                break
        if self.platform == Platform.FACEBOOK:
            return [
                Choice(
                    platform=self.platform, external_id=str(page["id"]), handle=page.get("username") or str(page["id"]),
                    name=page.get("name", ""), token=page.get("access_token", ""),
                )
                for page in pages if page.get("access_token")
            ]  # fmt: skip
        return [
            Choice(
                platform=self.platform, external_id=str(ig["id"]), handle=ig.get("username") or str(ig["id"]),
                name=ig.get("name") or ig.get("username", ""), token=page.get("access_token", ""),
                page_id=str(page["id"]), page_name=page.get("name", ""),
            )
            for page in pages
            if page.get("access_token") and (ig := page.get("instagram_business_account"))
        ]  # fmt: skip

    def exchange(self, *, code: str, code_verifier: str) -> Grant:
        short = _graph(
            "GET",
            _graph_url("oauth/access_token"),
            client_id=settings.META_APP_ID,
            client_secret=settings.META_APP_SECRET,
            redirect_uri=self.redirect_uri(),
            code=code,
        )
        token = self._long_lived(short["access_token"])
        me = _graph("GET", _graph_url("me"), fields="id,name", access_token=token["access_token"])
        granted = _graph("GET", _graph_url("me/permissions"), access_token=token["access_token"])
        choices = self._choices(token["access_token"])
        if not choices:
            what = "Facebook Page" if self.platform == Platform.FACEBOOK else "Instagram professional account"
            raise ConnectRefused(
                f"{me.get('name', 'This person')} manages no {what} that was shared with this app: on Facebook's "
                "screen, choose the brand's Page (and its Instagram account), or ask for a role on the Page first."
            )
        return Grant(
            access_token=token["access_token"],
            scopes=" ".join(p["permission"] for p in granted.get("data", []) if p.get("status") == "granted"),
            expires_at=_expiry(token),
            # Instagram's credential names a professional account: competitors are read through it (business
            # discovery). The choice page sets the one chosen.
            account_id=str(me["id"]) if self.platform == Platform.FACEBOOK else choices[0].external_id,
            account_name=me.get("name", ""),
            choices=choices,
        )

    def can_refresh(self, credential) -> bool:
        return credential.connected_at is not None

    def refresh_credential(self, credential) -> Grant:
        token = self._long_lived(credential.token)
        return Grant(
            access_token=token["access_token"], expires_at=_expiry(token), choices=self._choices(token["access_token"])
        )

    def refresh(self, *, refresh_token: str) -> Grant:
        raise RefreshRefused("Facebook has no refresh token: the long-lived token is exchanged again.")

    def revoke(self, *, token: str) -> None:
        """Remove the app's permissions for the person (DELETE /{user-id}/permissions; /me is that id)."""
        _graph("DELETE", _graph_url("me/permissions"), access_token=token)


LINKEDIN_SCOPES = ["r_organization_social", "w_organization_social", "r_organization_admin", "rw_organization_admin"]
LINKEDIN_SCOPE_USES = {
    "r_organization_social": "read the organization's posts, comments and reactions",
    "w_organization_social": "publish posts and comments as the organization",
    "r_organization_admin": "read the organization pages you administer and their statistics",
    "rw_organization_admin": "list the organizations you administer",
}
ACLS_PAGE = 100


@dataclass
class LinkedInProvider(Provider):
    """LinkedIn's authorization code flow for a web app: state and the client secret (LinkedIn keeps PKCE for
    native apps). The member token serves every organization its member administers: one Credential, whichever
    organizations are chosen. Access tokens last 60 days; approved apps also get a refresh token (365 days)."""

    chooses_accounts = True

    def missing_configuration(self) -> str:
        if not (settings.LINKEDIN_CLIENT_ID and settings.LINKEDIN_CLIENT_SECRET):
            return "Set LINKEDIN_CLIENT_ID and LINKEDIN_CLIENT_SECRET (the LinkedIn app's keys) to connect LinkedIn."
        return ""

    def _session(self, **kwargs) -> OAuth2Session:
        return OAuth2Session(
            settings.LINKEDIN_CLIENT_ID,
            settings.LINKEDIN_CLIENT_SECRET,
            scope=" ".join(self.scopes),
            redirect_uri=self.redirect_uri(),
            token_endpoint_auth_method="client_secret_post",  # noqa: S106 (a method name, not a secret)
            revocation_endpoint_auth_method="client_secret_post",
            **kwargs,
        )

    def consent_origin(self) -> str:
        return origin_of(settings.LINKEDIN_AUTHORIZE_URL)

    def authorize_url(self, *, state: str, code_verifier: str) -> str:
        url, _ = self._session().create_authorization_url(settings.LINKEDIN_AUTHORIZE_URL, state=state)
        return url

    def _rest(self, token: str, path: str, **params) -> dict:
        headers = {
            "Authorization": f"Bearer {token}",
            "LinkedIn-Version": settings.LINKEDIN_VERSION,
            "X-Restli-Protocol-Version": "2.0.0",
        }
        try:
            reply = _http().get(f"{settings.LINKEDIN_API_URL}/rest/{path}", params=params, headers=headers)
            body = reply.json()
        except (requests.RequestException, ValueError) as error:
            raise ConnectRefused("LinkedIn did not answer: try connecting again in a moment.") from error
        if reply.status_code != 200 or not isinstance(body, dict):
            message = body.get("message", "") if isinstance(body, dict) else ""
            raise ConnectRefused(f"LinkedIn refused to list your organizations (HTTP {reply.status_code}: {message}).")
        return body

    def _choices(self, token: str) -> list[Choice]:
        ids, start = [], 0
        while True:
            body = self._rest(
                token, "organizationAcls", q="roleAssignee", role="ADMINISTRATOR", state="APPROVED",
                start=start, count=ACLS_PAGE,
            )  # fmt: skip
            elements = body.get("elements") or []
            ids += [str(e["organization"]).rpartition(":")[2] for e in elements if e.get("organization")]
            start += len(elements)
            total = (body.get("paging") or {}).get("total")
            if not elements or len(elements) < ACLS_PAGE or (total is not None and start >= total):
                break
        choices = []
        for org_id in dict.fromkeys(ids):
            org = self._rest(token, f"organizations/{org_id}")
            choices.append(
                Choice(
                    platform=Platform.LINKEDIN, external_id=org_id, handle=org.get("vanityName") or org_id,
                    name=org.get("localizedName", ""),
                )
            )  # fmt: skip
        return choices

    def exchange(self, *, code: str, code_verifier: str) -> Grant:
        try:
            token = self._session().fetch_token(settings.LINKEDIN_TOKEN_URL, code=code, timeout=_timeout())
        except OAuthError as error:
            raise _refused(error) from error
        choices = self._choices(token["access_token"])
        if not choices:
            raise ConnectRefused(
                "You administer no LinkedIn organization page: ask one of its super admins to make you an admin first."
            )
        return Grant(
            access_token=token["access_token"],
            refresh_token=token.get("refresh_token", ""),
            scopes=token.get("scope", "").replace(",", " "),
            expires_at=_expiry(token),
            choices=choices,
        )

    def refresh(self, *, refresh_token: str) -> Grant:
        try:
            token = self._session().refresh_token(
                settings.LINKEDIN_TOKEN_URL, refresh_token=refresh_token, timeout=_timeout()
            )
        except OAuthError as error:
            raise _refused(error) from error
        return Grant(
            access_token=token["access_token"],
            refresh_token=token.get("refresh_token", refresh_token),
            scopes=token.get("scope", "").replace(",", " "),
            expires_at=_expiry(token),
        )

    def revoke(self, *, token: str) -> None:
        """RFC 7009 at LinkedIn's /oauth/v2/revoke: the token and the app's keys in the form body; 200 when done.
        Revoking the member's token ends it for every organization connected with it."""
        reply = self._session().revoke_token(settings.LINKEDIN_REVOKE_URL, token=token, timeout=_timeout())
        if reply.status_code != 200:
            raise ConnectRefused(f"LinkedIn did not revoke the token (HTTP {reply.status_code}).")


X_SCOPES = ["tweet.read", "users.read", "tweet.write", "media.write", "offline.access"]

PROVIDERS: dict[str, Provider] = {
    "x": XProvider(
        slug="x",
        label="X",
        platform=Platform.X,
        scopes=X_SCOPES,
        scope_uses={
            "tweet.read": "read posts and their metrics",
            "users.read": "read the account's profile",
            "tweet.write": "publish posts",
            "media.write": "upload images and videos",
            "offline.access": "stay connected (refresh token)",
        },
    ),
    "mastodon": MastodonProvider(
        slug="mastodon",
        label="Mastodon",
        platform=Platform.MASTODON,
        scopes=MASTODON_SCOPES,
        scope_uses={
            "read": "read the account's profile and posts",
            "write:statuses": "publish posts and first comments",
            "write:media": "upload images and videos",
        },
    ),
    "facebook": MetaProvider(
        slug="facebook",
        label="Facebook",
        platform=Platform.FACEBOOK,
        scopes=list(META_SCOPE_USES),
        scope_uses=META_SCOPE_USES,
    ),
    "instagram": MetaProvider(
        slug="instagram",
        label="Instagram",
        platform=Platform.INSTAGRAM,
        scopes=list(INSTAGRAM_SCOPE_USES),
        scope_uses=INSTAGRAM_SCOPE_USES,
    ),
    "linkedin": LinkedInProvider(
        slug="linkedin",
        label="LinkedIn",
        platform=Platform.LINKEDIN,
        scopes=LINKEDIN_SCOPES,
        scope_uses=LINKEDIN_SCOPE_USES,
    ),
}
# The demo network's providers (one per network, "Connect" landing at once) are in metrics/demo_connect.py.


def provider_for(slug: str) -> Provider | None:
    return PROVIDERS.get(slug)


def flow_start(*, session, provider: Provider, member_id: int, details: dict | None = None) -> str:
    """Remember a new flow's state and PKCE verifier in the session (server-side) and return the consent address.
    `details`: what else the flow needs at its end (Mastodon: the server)."""
    state = generate_token(32)
    verifier = generate_token(64)
    flows = session.get(SESSION_KEY, {})
    flows[state] = {"provider": provider.slug, "verifier": verifier, "member": member_id, "details": details or {}}
    session[SESSION_KEY] = flows
    return provider.authorize_url(state=state, code_verifier=verifier, **(details or {}))


def flow_take(*, session, provider: Provider, state: str, member_id: int) -> dict:
    """The flow this state started, used once: raise ConnectRefused for an unknown, replayed or foreign state."""
    flows = session.get(SESSION_KEY, {})
    flow = flows.pop(state, None) if state else None
    session[SESSION_KEY] = flows
    if flow is None or flow["provider"] != provider.slug or flow["member"] != member_id:
        raise ConnectRefused("This connection attempt is unknown or was already used: start again from Connect.")
    return flow


CHOICES_KEY = "oauth_choices"


def choices_keep(
    *, session, provider: Provider, member_id: int, workspace_id: int, credential_id: int, choices
) -> None:
    """Keep what a flow found for its choice page in the session (server-side), the Page tokens encrypted: the
    page's form posts back ids only."""
    from . import crypto

    kept = session.get(CHOICES_KEY, {})
    kept[provider.slug] = {
        "member": member_id,
        "workspace": workspace_id,
        "credential": credential_id,
        "choices": [{**asdict(c), "token": crypto.encrypt(c.token) if c.token else ""} for c in choices],
    }
    session[CHOICES_KEY] = kept


def choices_read(*, session, provider: Provider, member_id: int, workspace_id: int) -> tuple[int, list[Choice]] | None:
    """The credential and the accounts this member's last flow found in this workspace, or None."""
    from . import crypto

    pending = session.get(CHOICES_KEY, {}).get(provider.slug)
    if not pending or pending["member"] != member_id or pending["workspace"] != workspace_id:
        return None
    choices = [Choice(**{**c, "token": crypto.decrypt(c["token"]) if c["token"] else ""}) for c in pending["choices"]]
    return pending["credential"], choices


def choices_drop(*, session, provider: Provider) -> None:
    kept = session.get(CHOICES_KEY, {})
    kept.pop(provider.slug, None)
    session[CHOICES_KEY] = kept
