"""X's OAuth 2.0 server (Authorization Code with PKCE) on loopback, for tests that go through a consent page.

A real HTTP server on 127.0.0.1 (a free port, in a thread: `LoopbackX.running()`), speaking as X documents it:
- docs.x.com/fundamentals/authentication/oauth-2-0/user-access-token (steps 1 to 5: the authorize address and its
  parameters, the redirect `?state=..&code=..`, the token request with Basic client authentication for a
  confidential client, the token reply `token_type, expires_in, access_token, scope, refresh_token`, the refresh,
  `POST /2/oauth2/revoke` answering `{"revoked": true}`);
- docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code (a code lives 30 seconds, an access token
  2 hours, `offline.access` adds a refresh token, which is used once: the refresh answers a new one);
- docs.x.com "Get my User" (`GET /2/users/me`): `{"data": {"id": "2244994945", "name": "X Dev", "username":
  "TwitterDev"}}`, and X v2's Problem body for a 401, `{"title": "Unauthorized", "type": "about:blank", "status":
  401, "detail": "Unauthorized"}` (both recorded byte for byte in several X clients' test fixtures);
- the error bodies X sends from its token endpoint, as clients record them (they are not in X's docs):
  `{"error": "invalid_request", "error_description": "Value passed for the token was invalid."}` for a dead code
  or refresh token (revoked app, used or expired token), `{"error": "unauthorized_client", "error_description":
  "Missing valid authorization header"}` without client authentication.
On Cancel X sends the person back with `error=access_denied&state=..` (RFC 6749 4.1.2.1, which X follows).

Why not Authlib's authorization-server classes (authlib.oauth2.rfc6749 AuthorizationServer with rfc7636's
CodeChallenge): they need a framework integration (request and response wrappers, client and token models), and
they answer as the RFC says (`invalid_grant` for a dead refresh token) where X answers `invalid_request`: a test
against them would not have caught that our refresh took X's refusal for a passing error. The S256 check itself is
Authlib's (`create_s256_code_challenge`).
"""

import base64
import contextlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from authlib.oauth2.rfc7636 import create_s256_code_challenge

DEAD_TOKEN = {"error": "invalid_request", "error_description": "Value passed for the token was invalid."}
NO_CLIENT = {"error": "unauthorized_client", "error_description": "Missing valid authorization header"}
UNAUTHORIZED = {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}
CODE_LIFETIME = 30  # seconds (X's docs)
ACCESS_LIFETIME = 7200


def _x_token(kind: str) -> str:
    """A token in X's look: base64 of "<random>:<epoch ms>:1:<0|1>:<at|rt|ac>:1"."""
    raw = f"{secrets.token_urlsafe(30)}:{int(time.time() * 1000)}:1:{int(kind != 'at')}:{kind}:1"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@dataclass
class LoopbackX:
    client_id: str = "loopback-client-id"
    client_secret: str = "loopback-client-secret"
    app_name: str = "Social media workspace"
    account: dict = field(default_factory=lambda: {"id": "2244994945", "name": "Demo Brand", "username": "demobrand"})
    # The callback addresses registered for the app (X refuses any other redirect_uri).
    callbacks: set = field(default_factory=set)
    # True: every refresh is refused, as after the account's owner revoked the app.
    refuse_refresh: bool = False
    codes: dict = field(default_factory=dict)
    access_tokens: dict = field(default_factory=dict)
    refresh_tokens: dict = field(default_factory=dict)
    revoked: list = field(default_factory=list)
    seen: list = field(default_factory=list)  # (method, path) of every request
    url: str = ""

    @classmethod
    @contextlib.contextmanager
    def running(cls, **kwargs):
        provider = cls(**kwargs)
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.provider = provider
        provider.url = f"http://127.0.0.1:{server.server_address[1]}"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield provider
        finally:
            server.shutdown()
            server.server_close()
            thread.join(5)

    def revoke_app(self) -> None:
        """The account's owner removes the app in X's settings: its tokens stop working, refreshes are refused."""
        self.refuse_refresh = True
        self.access_tokens.clear()
        self.refresh_tokens.clear()

    # ---- the endpoints ---------------------------------------------------------------------------------------

    def authorize(self, query: dict) -> tuple[int, dict, str]:
        problem = self._authorize_problem(query)
        if problem:
            return 400, {}, _page("X", f"<h1>Something went wrong</h1><p>{html.escape(problem)}</p>")
        scopes = query["scope"].split()
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in query.items()
        )
        items = "".join(f"<li>{html.escape(s)}</li>" for s in scopes)
        body = (
            f"<h1>{html.escape(self.app_name)} wants to access your X account.</h1>"
            f"<p>@{html.escape(self.account['username'])}</p><p>Things this App will be able to do:</p>"
            f'<ul id="scopes">{items}</ul><form method="post" action="/i/oauth2/authorize">{hidden}'
            '<button type="submit" name="decision" value="allow">Authorize app</button> '
            '<button type="submit" name="decision" value="cancel">Cancel</button></form>'
        )
        return 200, {}, _page("Authorize app", body)

    def decide(self, form: dict) -> tuple[int, dict, str]:
        if self._authorize_problem(form):
            return 400, {}, _page("X", "<h1>Something went wrong</h1>")
        if form.get("decision") != "allow":
            answer = {"error": "access_denied", "state": form["state"]}
        else:
            code = _x_token("ac")
            self.codes[code] = {
                "redirect_uri": form["redirect_uri"],
                "challenge": form["code_challenge"],
                "scope": form["scope"],
                "issued": time.monotonic(),
            }
            answer = {"state": form["state"], "code": code}
        return 302, {"Location": f"{form['redirect_uri']}?{urlencode(answer)}"}, ""

    def _authorize_problem(self, query: dict) -> str:
        if query.get("response_type") != "code" or query.get("client_id") != self.client_id:
            return "You weren't able to give access to the App: unknown client or response type."
        if query.get("redirect_uri") not in self.callbacks:
            return "The callback address is not registered for this App."
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return "PKCE is required."
        if not query.get("state") or not query.get("scope"):
            return "state and scope are required."
        return ""

    def token(self, form: dict, headers) -> tuple[int, dict, str]:
        if headers.get("Authorization") != _basic(self.client_id, self.client_secret):
            return 401, {}, json.dumps(NO_CLIENT)
        if form.get("grant_type") == "authorization_code":
            grant = self.codes.pop(form.get("code", ""), None)  # one use, whatever follows
            if (
                grant is None
                or time.monotonic() - grant["issued"] > CODE_LIFETIME
                or form.get("redirect_uri") != grant["redirect_uri"]
                or create_s256_code_challenge(form.get("code_verifier", "")) != grant["challenge"]
            ):
                return 400, {}, json.dumps(DEAD_TOKEN)
            return 200, {}, json.dumps(self._issue(grant["scope"]))
        if form.get("grant_type") == "refresh_token":
            scope = self.refresh_tokens.pop(form.get("refresh_token", ""), None)  # rotated: used once
            if scope is None or self.refuse_refresh:
                return 400, {}, json.dumps(DEAD_TOKEN)
            return 200, {}, json.dumps(self._issue(scope))
        return 400, {}, json.dumps({"error": "unsupported_grant_type", "error_description": "Unsupported grant"})

    def _issue(self, scope: str) -> dict:
        access = _x_token("at")
        self.access_tokens[access] = self.account
        reply = {"token_type": "bearer", "expires_in": ACCESS_LIFETIME, "access_token": access, "scope": scope}
        if "offline.access" in scope.split():
            reply["refresh_token"] = _x_token("rt")
            self.refresh_tokens[reply["refresh_token"]] = scope
        return reply

    def revoke(self, form: dict, headers) -> tuple[int, dict, str]:
        if headers.get("Authorization") != _basic(self.client_id, self.client_secret):
            return 401, {}, json.dumps(NO_CLIENT)
        token = form.get("token", "")
        self.revoked.append(token)
        self.access_tokens.pop(token, None)
        self.refresh_tokens.pop(token, None)
        return 200, {}, json.dumps({"revoked": True})

    def me(self, headers) -> tuple[int, dict, str]:
        bearer = headers.get("Authorization", "").removeprefix("Bearer ")
        account = self.access_tokens.get(bearer)
        if account is None:
            return 401, {"Content-Type": "application/problem+json"}, json.dumps(UNAUTHORIZED)
        return 200, {}, json.dumps({"data": account})


def _basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def _page(title: str, body: str) -> str:
    return f"<!doctype html><html lang='en'><head><title>{html.escape(title)}</title></head><body>{body}</body></html>"


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet in the test output
        pass

    def _answer(self, status: int, headers: dict, body: str) -> None:
        self.send_response(status)
        kind = "text/html; charset=utf-8" if body.startswith("<!doctype") else "application/json"
        headers = {"Content-Type": kind, **headers}
        for name, value in headers.items():
            self.send_header(name, value)
        data = body.encode()
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _form(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        return {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}

    def do_GET(self):
        provider, address = self.server.provider, urlsplit(self.path)
        provider.seen.append(("GET", address.path))
        if address.path == "/i/oauth2/authorize":
            self._answer(*provider.authorize({k: v[0] for k, v in parse_qs(address.query).items()}))
        elif address.path == "/2/users/me":
            self._answer(*provider.me(self.headers))
        else:
            self._answer(404, {}, json.dumps({"title": "Not Found Error", "type": "about:blank", "status": 404}))

    def do_POST(self):
        provider, path = self.server.provider, urlsplit(self.path).path
        provider.seen.append(("POST", path))
        form = self._form()
        if path == "/i/oauth2/authorize":
            self._answer(*provider.decide(form))
        elif path == "/2/oauth2/token":
            self._answer(*provider.token(form, self.headers))
        elif path == "/2/oauth2/revoke":
            self._answer(*provider.revoke(form, self.headers))
        else:
            self._answer(404, {}, json.dumps({"title": "Not Found Error", "type": "about:blank", "status": 404}))
