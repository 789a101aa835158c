"""Connecting accounts through the platforms' consent screens (OAuth 2.0 with PKCE), through Authlib.

A provider knows its endpoints, scopes and how to learn the account a token acts as. It never touches models:
`metrics.services` stores what it returns. Every call has the platform timeout (metrics.connectors.http).
"""

import ipaddress
import re
import secrets
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta

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
class Grant:
    access_token: str
    refresh_token: str = ""
    scopes: str = ""
    expires_at: datetime | None = None
    account_id: str = ""
    account_name: str = ""


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


def _timeout() -> float:
    return float(getattr(settings, "PLATFORM_HTTP_TIMEOUT", 15))


def _expiry(token: dict) -> datetime | None:
    if token.get("expires_in"):
        return timezone.now() + timedelta(seconds=int(token["expires_in"]))
    return None


def _refused(error: OAuthError) -> ConnectRefused:
    kind = RefreshRefused if error.error == "invalid_grant" else ConnectRefused
    return kind(f"The platform refused: {error.description or error.error}.")


@dataclass
class XProvider(Provider):
    def missing_configuration(self) -> str:
        if not settings.X_CLIENT_ID:
            return "Set X_CLIENT_ID and X_CLIENT_SECRET (the app's OAuth 2.0 keys) to connect X."
        return ""

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
        self._session().revoke_token(settings.X_REVOKE_URL, token=token, timeout=_timeout())


@dataclass
class DemoProvider(Provider):
    """The demo network: "Connect" lands at once, with no network, so `make run` shows the whole journey."""

    def authorize_url(self, *, state: str, code_verifier: str) -> str:
        return f"{self.redirect_uri()}?code=demo&state={state}"

    def exchange(self, *, code: str, code_verifier: str) -> Grant:
        if code != "demo":
            raise ConnectRefused("The demo network gave an unknown code.")
        return Grant(
            access_token=f"demo-{secrets.token_urlsafe(16)}",
            refresh_token=f"demo-refresh-{secrets.token_urlsafe(16)}",
            scopes=" ".join(self.scopes),
            expires_at=timezone.now() + timedelta(hours=2),
            account_id="demo",
            account_name="@demo_brand",
        )

    def refresh(self, *, refresh_token: str) -> Grant:
        return Grant(
            access_token=f"demo-{secrets.token_urlsafe(16)}",
            refresh_token=refresh_token,
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
        if app is not None:
            fields = {"client_id": app.client_id, "client_secret": app.client_secret, "token": credential.token}
            _http().post(f"https://{app.server}/oauth/revoke", data=fields).raise_for_status()


def _http():
    from .connectors.http import TimeoutSession

    return TimeoutSession(_timeout())


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
    # The demo network's credential is kept under "Other": no live connector reads it.
    "demo": DemoProvider(
        slug="demo", label="Demo network", platform=Platform.OTHER, scopes=["demo.read", "demo.write"]
    ),
}

# Who offers token revocation, said on the page for the others.
NO_REVOCATION = {"linkedin": "LinkedIn offers no token revocation: remove the app in LinkedIn's settings too."}


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
