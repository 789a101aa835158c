"""Recorded Bluesky replies (replies/bsky_*.json) served to atproto's httpx client through an httpx.MockTransport,
as `responses` serves the other connectors' requests.

A request is answered by the first recorded reply not used yet with its method and address (scheme, host, path);
the fields of the recorded query must be among those sent (atproto also sends a lexicon's defaults, such as
getAuthorFeed's `filter`). A request no reply answers fails the test. `calls` holds every request sent, read like a
`requests` PreparedRequest (method, url, headers, body).

`Replay(...).install(monkeypatch)` makes it the transport of every BlueskyConnector made during the test, the ones
the app builds too (the publisher, the connect view), through the connector's `transport` argument.
"""

import base64
import hashlib
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx

from metrics.connectors.bluesky import BlueskyConnector

REPLIES = Path(__file__).parent / "replies"
DID = "did:plc:z72i7hdynmk6r22z27h6tvur"  # acme.bsky.social, the connected account of the recordings
PDS_DID = "did:web:morel.us-east.host.bsky.network"  # the `aud` of its tokens: the PDS that hosts it
FAR_FUTURE = int(datetime(2100, 1, 1, tzinfo=UTC).timestamp())
ISSUED = int(datetime(2026, 12, 3, 9, 0, tzinfo=UTC).timestamp())


def recorded(name: str) -> list[dict]:
    return json.loads((REPLIES / f"{name}.json").read_text())["replies"]


def header_value(value: str) -> str:
    """A recorded header's value: "{now+600}" is an epoch time relative to the replay (rate-limit resets),
    "{iso+600}" the same moment as an ISO 8601 time (Mastodon's)."""
    if value.startswith("{now") and value.endswith("}"):
        return str(int(time.time()) + int(value[4:-1] or 0))
    if value.startswith("{iso") and value.endswith("}"):
        return datetime.fromtimestamp(time.time() + int(value[4:-1] or 0), tz=UTC).isoformat()
    return value


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(kind: str, *, iat: int = ISSUED, exp: int = FAR_FUTURE, did: str = DID) -> str:
    """A token in the shape Bluesky's PDS issues for an app password's session (packages/pds, account-manager's
    auth helpers): `access` (typ at+jwt, scope com.atproto.access) or `refresh` (typ refresh+jwt, scope
    com.atproto.refresh, with a jti); ES256K, its signature bytes made up (nothing here checks them). Tokens issued
    at another `iat` differ."""
    header = {"typ": "at+jwt" if kind == "access" else "refresh+jwt", "alg": "ES256K"}
    claims = {"scope": f"com.atproto.{kind}", "aud": PDS_DID, "sub": did}
    if kind == "refresh":
        claims["jti"] = _b64(hashlib.sha256(f"{did} {iat}".encode()).digest()[:24])
    claims |= {"iat": iat, "exp": exp}
    signed = ".".join(_b64(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims))
    return f"{signed}.{_b64(hashlib.sha512(signed.encode()).digest())}"


@dataclass(frozen=True)
class Sent:
    """One request the connector sent."""

    method: str
    url: str
    headers: httpx.Headers
    body: bytes

    @property
    def params(self) -> dict:
        return dict(parse_qsl(urlsplit(self.url).query))

    def json(self) -> dict:
        return json.loads(self.body)


class Replay:
    def __init__(self, *replies: dict):
        self.replies: list[dict] = list(replies)
        self.used: set[int] = set()
        self.calls: list[Sent] = []
        self.transport = httpx.MockTransport(self._answer)

    def add(self, *replies: dict) -> "Replay":
        self.replies.extend(replies)
        return self

    def install(self, monkeypatch) -> "Replay":
        monkeypatch.setitem(BlueskyConnector.__init__.__kwdefaults__, "transport", self.transport)
        return self

    def _answer(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(Sent(request.method, str(request.url), request.headers, request.read()))
        for index, reply in enumerate(self.replies):
            if index not in self.used and _matches(reply, request):
                self.used.add(index)
                return _response(reply)
        raise AssertionError(f"No recorded Bluesky reply for {request.method} {request.url}")


def _matches(reply: dict, request: httpx.Request) -> bool:
    recorded = urlsplit(reply["url"])
    address = recorded._replace(query="").geturl()
    if (reply["method"], address) != (request.method, str(request.url.copy_with(query=None))):
        return False
    sent = dict(parse_qsl(request.url.query.decode()))
    return all(sent.get(key) == value for key, value in parse_qsl(recorded.query))


def _response(reply: dict) -> httpx.Response:
    headers = {name: header_value(value) for name, value in reply.get("headers", {}).items()}
    body = json.dumps(reply["json"]) if "json" in reply else reply.get("body", "")
    return httpx.Response(reply["status"], headers=headers, content=body.encode())
