"""Every recorded reply in metrics/tests/replies/ replayed through the real tweepy, python-facebook-api, Mastodon.py
and atproto code paths (and LinkedIn's connector, which speaks REST itself): with `responses`, and for Bluesky, whose
client speaks httpx, with the replay of bsky_replay.py.

Each file holds the replies of one exchange (as the platform sent or documents them: README.md in that folder
says where each shape comes from), the connector call that meets them, and what the connector must make of it: the
figures it returns, or the classified error it raises. A raw exception (anything but a ConnectorError) fails.
An optional `then` is a second call by another connector with the same token (another worker): it must be answered
from the shared usage memory, without any request (`calls_made`).
"""

import io
import json
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses

from metrics.connectors import mastodon
from metrics.connectors.base import ConnectorError, MediaSource
from metrics.connectors.bluesky import BlueskyConnector
from metrics.connectors.linkedin import LinkedInConnector
from metrics.connectors.meta import FacebookPageConnector, InstagramConnector
from metrics.connectors.x import XConnector

from . import bsky_replay

REPLIES = Path(__file__).parent / "replies"
FIXTURES = sorted(REPLIES.glob("*.json"))
OWN_IG_ACCOUNT = "17841400008460056"
BSKY_DID = bsky_replay.DID


def connector(kind: str):
    """A connector as a worker builds it; each call makes a new one (a fresh worker) with the same token."""
    if kind == "x":
        return XConnector(token="recorded-x-token", timeout=5)
    if kind == "facebook":
        return FacebookPageConnector(token="recorded-page-token", timeout=5, page_id="102938475610293")
    if kind == "mastodon":
        return mastodon.MastodonConnector(server="mastodon.social", token="recorded-mastodon-token", timeout=5)
    if kind == "bluesky":  # connected as acme.bsky.social (an app password's session, issued the day before)
        issued = bsky_replay.ISSUED - 24 * 3600
        return BlueskyConnector(access_token=bsky_replay.jwt("access", iat=issued),
                                refresh_token=bsky_replay.jwt("refresh", iat=issued),
                                did=BSKY_DID, handle="acme.bsky.social", timeout=5)  # fmt: skip
    if kind == "linkedin":  # the page urn:li:organization:2414183, connected by one of its admins
        return LinkedInConnector(
            token="recorded-linkedin-token", organization_id="2414183", timeout=5, version="202603"
        )
    if kind == "instagram":
        return InstagramConnector(token="recorded-ig-token", timeout=5, own_account_id=OWN_IG_ACCOUNT, is_own=True)
    competitor = InstagramConnector(token="recorded-ig-token", timeout=5, own_account_id=OWN_IG_ACCOUNT, is_own=False)
    competitor.handle = "rival"
    return competitor


def register(reply: dict) -> None:
    headers = {k: bsky_replay.header_value(v) for k, v in reply.get("headers", {}).items()}
    content_type = next((headers.pop(k) for k in list(headers) if k.lower() == "content-type"), None)
    body = json.dumps(reply["json"]) if "json" in reply else reply.get("body", "")
    responses.add(
        reply["method"], reply["url"], status=reply["status"], headers=headers, body=body, content_type=content_type
    )


def _media(files: list[dict]) -> list[MediaSource]:
    """`media` in a fixture: files of `size` bytes (their content does not matter to the platform's reply)."""
    return [
        MediaSource(name=f["name"], content_type=f["content_type"], size=f["size"], alt_text=f.get("alt_text", ""),
                    open=lambda f=f: io.BytesIO(b"\0" * f["size"]))
        for f in files
    ]  # fmt: skip


def run(call: str, kwargs: dict):
    kind, method = call.split(".")
    kwargs = {k: datetime.fromisoformat(v) if k == "since" else v for k, v in kwargs.items()}
    if "media" in kwargs:
        kwargs["media"] = _media(kwargs["media"])
    try:
        return getattr(connector(kind), method)(**kwargs), None
    except ConnectorError as error:
        return None, error


def check(expect: dict, result, error) -> None:
    if "raises" in expect:
        assert error is not None, f"expected {expect['raises']}, got {result!r}"
        assert type(error).__name__ == expect["raises"], f"expected {expect['raises']}, got {error!r}"
        if "permanent" in expect:
            assert error.permanent is expect["permanent"]
        if "may_have_happened" in expect:
            assert error.may_have_happened is expect["may_have_happened"]
        if "retry_after" in expect:
            low, high = expect["retry_after"]
            assert error.retry_after is not None and low <= error.retry_after <= high, error.retry_after
        return
    assert error is None, f"expected a result, got {error!r}"
    if expect["returns"] is None:
        assert result is None
        return
    for key, wanted in expect["returns"].items():
        if key == "value":  # a call that returns a plain value (a comment's id)
            assert result == wanted
        elif key == "count":
            assert len(result.posts) == wanted
        elif key == "posts":
            assert len(result.posts) >= len(wanted)
            for post, figures in zip(result.posts, wanted, strict=False):
                assert {k: getattr(post, k) for k in figures} == figures
        else:
            assert getattr(result, key) == wanted, key


def assert_sent(request, wanted: dict) -> None:
    """The request's JSON body (X, Bluesky) or form fields (Graph API) hold `wanted`."""
    body = request.body.decode() if isinstance(request.body, bytes) else request.body or ""
    try:
        sent = json.loads(body)
    except ValueError:
        sent = dict(parse_qsl(body))
    for key, value in wanted.items():  # "record.facets": a key inside a key (Bluesky's createRecord)
        found = sent
        for part in key.split("."):
            found = found.get(part) if isinstance(found, dict) else None
        assert found == value, (key, sent)


@pytest.fixture(autouse=True)
def _quick_polls(settings, monkeypatch):
    settings.INSTAGRAM_CONTAINER_POLL_SECONDS = 0.01  # a container's status asked again without the real wait
    settings.LINKEDIN_VIDEO_POLL_SECONDS = 0.01  # as a LinkedIn video's
    monkeypatch.setattr(mastodon, "MEDIA_POLL_SECONDS", 0.01)


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
@responses.activate
def test_recorded_reply_is_read_or_classified(path, monkeypatch):
    fixture = json.loads(path.read_text())
    if fixture["call"].startswith("bluesky."):  # atproto speaks httpx: replayed through its transport
        replay = bsky_replay.Replay(*fixture["replies"]).install(monkeypatch)
        sent = replay.calls
    else:
        for reply in fixture["replies"]:
            register(reply)
        sent = RequestsSent()
    try:
        result, error = run(fixture["call"], fixture["kwargs"])
    except Exception as raw:  # the point: nothing but a ConnectorError may come out
        pytest.fail(f"raw {type(raw).__name__} escaped the connector: {raw}")
    check(fixture["expect"], result, error)
    if "calls" in fixture["expect"]:  # every call the exchange takes, in order (an upload in chunks, its polls)
        assert [(c.method, c.url.split("?")[0]) for c in sent] == [
            (r["method"], r["url"].split("?")[0]) for r in fixture["replies"]
        ]
    for index, wanted in fixture["expect"].get("sent_at", {}).items():  # what a given call of the exchange asked
        assert_sent(sent[int(index)], wanted)
    for index, wanted in fixture["expect"].get("headers_at", {}).items():  # headers a given call carried
        assert {k: sent[int(index)].headers.get(k) for k in wanted} == wanted
    for index, wanted in fixture["expect"].get("query_at", {}).items():  # its query string's fields
        query = dict(parse_qsl(urlsplit(sent[int(index)].url).query))
        assert {k: query.get(k) for k in wanted} == wanted, query
    if "sent" in fixture["expect"]:  # what the connector asked the platform for: the fields that make the call right
        assert_sent(sent[-1], fixture["expect"]["sent"])
    made = len(sent)
    if "then" in fixture:
        then = fixture["then"]
        try:
            result, error = run(then["call"], then["kwargs"])
        except Exception as raw:
            pytest.fail(f"raw {type(raw).__name__} escaped the connector: {raw}")
        check(then["expect"], result, error)
        assert len(sent) - made == then["calls_made"]


class RequestsSent:
    """The requests `responses` answered, as a list of PreparedRequests (as Replay.calls is for Bluesky)."""

    def __len__(self) -> int:
        return len(responses.calls)

    def __getitem__(self, index: int):
        return responses.calls[index].request

    def __iter__(self):
        return (call.request for call in responses.calls)


def test_every_fixture_has_its_source_in_the_readme():
    readme = (REPLIES / "README.md").read_text()
    for path in FIXTURES:
        assert json.loads(path.read_text())["source"], path.name
        assert f"`{path.name}`" in readme, f"{path.name} is not listed in replies/README.md"
