"""Bluesky over its documented XRPC endpoints (the AT Protocol), with requests through TimeoutSession.

The maintained client (MarshalX's `atproto`, 0.0.73 in the environment) is not used yet: its models read every
recorded reply, but it refreshes a session before a call from the access token's JWT `exp` (our recorded tokens are
not JWTs: TokenDecodeError), offers the refresh after an `ExpiredToken` reply only through a private method, and
speaks httpx, so the tests' `responses` replay must first become an httpx.MockTransport (README.md, "Bluesky"). So the
connector speaks XRPC itself: a handful of JSON calls, every one through `BlueskyConnector._call`, where every way
it can fail (an XRPC error object, a gateway's HTML page, a body that is not JSON, the network) becomes a classified
ConnectorError.

Reads (profiles, feeds) are public and go to the public AppView, so competitors need no connection. Writes go to
the account's service (`BLUESKY_SERVICE_URL`, bsky.social's entryway by default) with the session of an app
password: the access token is renewed with the refresh token when the service says it expired, and the new pair is
handed to `on_session` (the caller stores it; a connector never touches models).

A post's record key is a TID derived from the publish attempt's id: a retry after a lost answer writes to the same
key (the service refuses a second record there), and find_published reads that one record back.
"""

import hashlib
import re
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import requests
from django.conf import settings

from .base import (
    AuthExpired,
    Connector,
    HandleNotFound,
    InvalidHandle,
    MediaSource,
    PostData,
    PostsPage,
    ProfileData,
    PublishNotSupported,
    PublishResult,
    Refused,
    TransientError,
    UnexpectedReply,
)
from .http import TimeoutSession, describe, rate_limited, request_failure, seconds_until, unreadable_reply

PAGE_SIZE = 100  # getAuthorFeed's maximum `limit`
POST = "app.bsky.feed.post"
REPOST = "app.bsky.feed.defs#reasonRepost"
TOKEN_ERRORS = {"ExpiredToken", "InvalidToken", "AuthMissing", "AuthRequired", "AuthenticationRequired"}
GONE_ERRORS = {"AccountTakedown", "AccountDeactivated", "BlockedActor", "BlockedByActor", "RepoNotFound"}
MAX_IMAGES = 4
# Record keys of app.bsky.feed.post are TIDs (lexicon `"key": "tid"`): 13 characters of base32-sortable.
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
# Facets (app.bsky.richtext.facet): byte offsets into the UTF-8 text.
LINK = re.compile(rb"https?://[^\s<>\"']+")
MENTION = re.compile(rb"(?:^|(?<=[\s(]))@([a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9-]+)+)")
HASHTAG = re.compile(rb"(?:^|(?<=\s))#([^\s#!-/:-@\[-^`{-~]+)")
TRAILING_PUNCTUATION = b".,;:!?)]}'\""
EMBED_MEDIA = {
    "app.bsky.embed.images#view": "image",
    "app.bsky.embed.video#view": "video",
    "app.bsky.embed.external#view": "link",
    "app.bsky.embed.record#view": "quote",
}


def record_key(attempt_id: str) -> str:
    """The TID this publish attempt writes its post under, the same for every retry of the attempt.

    A TID is 64 bits, top bit 0, then 53 bits of microseconds and 10 bits of clock id, in base32-sortable. A UUID v7
    attempt id gives its own time; another (the publisher's v4) is hashed into the 63 bits, which keeps the key valid
    and stable, though its time part then means nothing."""
    try:
        parsed = uuid.UUID(attempt_id)
    except ValueError:
        parsed = None
    digest = int.from_bytes(hashlib.sha256(attempt_id.encode()).digest()[:8], "big")
    if parsed is not None and parsed.version == 7:
        micros = (parsed.int >> 80) * 1000
        value = (micros << 10) | (digest & 0x3FF)
    else:
        value = digest
    value &= (1 << 63) - 1
    return "".join(TID_ALPHABET[(value >> shift) & 31] for shift in range(60, -1, -5))


def _count(item: dict, name: str) -> int | None:
    value = item.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _sum(*figures: int | None) -> int | None:
    present = [f for f in figures if f is not None]
    return sum(present) if present else None


def _time(value) -> datetime:
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as error:
        raise UnexpectedReply(f"Bluesky gave a time the connector cannot read: {value!r}") from error
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _rkey(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


def _split_uri(uri: str) -> tuple[str, str, str]:
    """at://<did>/<collection>/<rkey> as its three parts."""
    parts = uri.removeprefix("at://").split("/")
    if len(parts) != 3 or not uri.startswith("at://"):
        raise Refused(f"Not a Bluesky post address: {uri!r}")
    return parts[0], parts[1], parts[2]


def session_keeper(credential) -> dict:
    """The callbacks that store what happens to this credential's session (the services do the writing): a renewed
    pair of tokens, or a refresh Bluesky refused ("needs reconnecting")."""
    from metrics import services

    def keep(access_token: str, refresh_token: str) -> None:
        services.credential_session_renewed(
            credential=credential, access_token=access_token, refresh_token=refresh_token
        )

    def refused(reason: str) -> None:
        services.credential_session_refused(credential=credential, reason=reason)

    return {"on_session": keep, "on_refresh_refused": refused}


def session_create(*, identifier: str, app_password: str, timeout: float | None = None) -> dict:
    """Sign in with an app password (com.atproto.server.createSession): the session's tokens, DID and handle. The
    app password is sent once and never kept."""
    connector = BlueskyConnector(handle=identifier, timeout=timeout)
    reply = connector._call(
        "POST", connector.service, "com.atproto.server.createSession",
        json={"identifier": identifier.strip().lstrip("@"), "password": app_password},
    )  # fmt: skip
    if not all(reply.get(k) for k in ("accessJwt", "refreshJwt", "did", "handle")):
        raise UnexpectedReply("Bluesky signed in but its reply lacks the session's tokens, DID or handle")
    return reply


def permalink(handle: str, uri: str) -> str:
    return f"https://bsky.app/profile/{handle}/post/{_rkey(uri)}"


class BlueskyConnector(Connector):
    platform = "bluesky"

    def __init__(
        self,
        *,
        access_token: str = "",
        refresh_token: str = "",
        did: str = "",
        handle: str = "",
        on_session: Callable[[str, str], None] | None = None,
        on_refresh_refused: Callable[[str], None] | None = None,
        timeout: float | None = None,
        base_url: str | None = None,
    ):
        self.session = TimeoutSession(timeout, base_url=base_url)
        self.appview = settings.BLUESKY_APPVIEW_URL.rstrip("/")
        self.service = settings.BLUESKY_SERVICE_URL.rstrip("/")
        self.access_token, self.refresh_token = access_token, refresh_token
        self.did, self.handle = did, handle.lstrip("@")
        self.on_session, self.on_refresh_refused = on_session, on_refresh_refused
        self._who = self.handle

    # ---- one call -------------------------------------------------------------------------------------------

    def _call(self, method: str, host: str, nsid: str, *, token: str = "", write: bool = False, **kwargs) -> dict:
        """One XRPC call; every failure comes out as a classified ConnectorError. `write`: the call creates
        something, so a failure after sending may have happened."""
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            response = self.session.request(method, f"{host}/xrpc/{nsid}", headers=headers, **kwargs)
        except requests.RequestException as error:
            raise request_failure(error, platform="Bluesky", write=write) from error
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise unreadable_reply(response, platform="Bluesky", write=write)
        if 200 <= response.status_code < 300:
            return body
        raise self._error(response, body, nsid, write=write)

    def _error(self, response, body: dict, nsid: str, *, write: bool):
        name, message = str(body.get("error") or ""), str(body.get("message") or "")
        detail = f"{name}: {message}" if message else name or describe(response)
        if response.status_code == 429:
            reset = response.headers.get("ratelimit-reset", "")
            wait = seconds_until(int(reset)) if reset.isdigit() else None
            return rate_limited(f"Bluesky rate limit reached ({detail})", wait=wait, default=5 * 60)
        if response.status_code >= 500:
            return TransientError(f"Bluesky server error: {detail}", may_have_happened=write)
        if name in TOKEN_ERRORS or response.status_code in (401, 403):
            return AuthExpired(f"Bluesky refused the session: {detail}")
        if name in GONE_ERRORS or message.lower().startswith(("profile not found", "actor not found")):
            return HandleNotFound(f"{self._who}: {detail}")
        if name == "InvalidRequest" and "actor" in message.lower() and "valid" in message.lower():
            return InvalidHandle(f"{self._who} cannot be a Bluesky handle: {detail}")
        if name == "RecordNotFound":
            return _RecordNotFound(detail)
        return Refused(f"Bluesky refused the request ({nsid}): {detail}")

    def _public(self, nsid: str, **params) -> dict:
        return self._call("GET", self.appview, nsid, params=params)

    def _refresh(self) -> None:
        """A new access token (and refresh token: Bluesky rotates them) for the stored session."""
        if not self.refresh_token:
            raise AuthExpired("Bluesky is not connected for this workspace: connect it with an app password.")
        try:
            reply = self._call("POST", self.service, "com.atproto.server.refreshSession", token=self.refresh_token)
        except AuthExpired as error:
            if self.on_refresh_refused is not None:
                self.on_refresh_refused(str(error))
            raise
        if not reply.get("accessJwt") or not reply.get("refreshJwt"):
            raise UnexpectedReply(f"Bluesky renewed the session without tokens: {describe(self.session.last_response)}")
        self.access_token, self.refresh_token = reply["accessJwt"], reply["refreshJwt"]
        self.did = reply.get("did") or self.did
        self.handle = reply.get("handle") or self.handle
        if self.on_session is not None:
            self.on_session(self.access_token, self.refresh_token)

    def _authed(self, method: str, nsid: str, *, write: bool = False, **kwargs) -> dict:
        """A call with the session's access token, renewed once if the service says it expired."""
        renewed = not self.access_token
        if renewed:
            self._refresh()
        try:
            return self._call(method, self.service, nsid, token=self.access_token, write=write, **kwargs)
        except AuthExpired:
            if renewed:
                raise
            # Refused before anything was done (the token is checked first): safe to send again once renewed.
            self._refresh()
            return self._call(method, self.service, nsid, token=self.access_token, write=write, **kwargs)

    # ---- pull ----------------------------------------------------------------------------------------------

    def fetch_profile(self, *, handle: str, external_id: str = "") -> ProfileData:
        self._who = handle.lstrip("@")
        actor = self._public("app.bsky.actor.getProfile", actor=external_id or self._who)
        followers = _count(actor, "followersCount")
        if not actor.get("did") or followers is None:
            raise UnexpectedReply(f"{self._who}: Bluesky's profile reply carries no did or follower count")
        return ProfileData(
            external_id=actor["did"],
            handle=actor.get("handle") or self._who,
            display_name=actor.get("displayName") or "",
            followers=followers,
            following=_count(actor, "followsCount"),
            posts_count=_count(actor, "postsCount"),
        )

    def fetch_posts(
        self, *, external_id: str, since: datetime | None = None, cursor: str | None = None, page_size: int = 100
    ) -> PostsPage:
        """One page of the account's posts, newest first; reposts of others' posts are not its posts."""
        self._who = self._who or external_id
        params = {"actor": external_id, "limit": max(1, min(page_size, PAGE_SIZE))}
        if cursor:
            params["cursor"] = cursor
        reply = self._public("app.bsky.feed.getAuthorFeed", **params)
        feed = reply.get("feed")
        if not isinstance(feed, list):
            raise UnexpectedReply(f"{self._who}: Bluesky's feed reply has no feed list")
        posts, older = [], False
        for item in feed:
            if not isinstance(item, dict) or not isinstance(item.get("post"), dict):
                raise UnexpectedReply(f"{self._who}: a feed item without its post")
            if (item.get("reason") or {}).get("$type") == REPOST:
                continue
            post = _post(item["post"])
            if since is not None and post.published_at < since:
                older = True
                continue
            posts.append(post)
        next_cursor = reply.get("cursor") or None
        if older or not feed or next_cursor == cursor:
            next_cursor = None  # past `since`, an empty page, or the same page again: nothing further to reach
        return PostsPage(posts=posts, next_cursor=next_cursor)

    # ---- publish -------------------------------------------------------------------------------------------

    def publish(
        self, *, text: str, media_urls: Sequence[str] = (), attempt_id: str = "", media: Sequence[MediaSource] = ()
    ) -> PublishResult:
        """The post under the attempt's record key, its images uploaded first (nothing is public until the record
        is created, so a failed upload is a definite failure, never looked up)."""
        if len(media_urls) > len(media):
            raise PublishNotSupported(
                "Bluesky takes a post's images as files: put the photos typed as addresses in the media library."
            )
        if any(not item.content_type.startswith("image/") for item in media):
            raise PublishNotSupported("Videos on Bluesky are not published by this connection yet: images only.")
        if len(media) > MAX_IMAGES:
            raise Refused(f"Bluesky takes at most {MAX_IMAGES} images per post.")
        images = [{"alt": item.alt_text, "image": self._upload(item)} for item in media]
        record = self._record(text)
        if images:
            record["embed"] = {"$type": "app.bsky.embed.images", "images": images}
        rkey = record_key(attempt_id) if attempt_id else None
        created = self._create(record, rkey=rkey)
        return PublishResult(external_id=created["uri"], permalink=permalink(self.handle or self.did, created["uri"]))

    def _upload(self, item: MediaSource) -> dict:
        with item.open() as stream:
            data = stream.read()
        reply = self._authed(
            "POST", "com.atproto.repo.uploadBlob", data=data, headers={"Content-Type": item.content_type}
        )
        if not isinstance(reply.get("blob"), dict):
            raise UnexpectedReply(
                f"Bluesky stored {item.name} but gave no blob: {describe(self.session.last_response)}"
            )
        return reply["blob"]

    def _record(self, text: str) -> dict:
        record = {"$type": POST, "text": text, "createdAt": datetime.now(UTC).isoformat(timespec="milliseconds")}
        record["createdAt"] = record["createdAt"].replace("+00:00", "Z")
        if facets := self._facets(text):
            record["facets"] = facets
        return record

    def _create(self, record: dict, *, rkey: str | None) -> dict:
        if not self.access_token:
            self._refresh()  # the repo is the session's DID
        payload = {"repo": self.did, "collection": POST, "record": record}
        if rkey:
            payload["rkey"] = rkey
        reply = self._authed("POST", "com.atproto.repo.createRecord", write=True, json=payload)
        if not str(reply.get("uri", "")).startswith("at://"):
            raise UnexpectedReply(
                f"Bluesky accepted the post but its reply has no uri: {describe(self.session.last_response)}",
                may_have_happened=True,
            )
        return reply

    def _facets(self, text: str) -> list[dict]:
        """Links, mentions and hashtags as app.bsky.richtext.facet, with byte offsets into the UTF-8 text. A mention
        whose handle does not resolve to a DID stays plain text."""
        raw, facets = text.encode(), []
        for match in LINK.finditer(raw):
            url = match.group(0).rstrip(TRAILING_PUNCTUATION)
            facets.append(_facet(match.start(), match.start() + len(url), "link", uri=url.decode()))
        for match in MENTION.finditer(raw):
            did = self._resolve(match.group(1).decode())
            if did:
                facets.append(_facet(match.start(), match.end(), "mention", did=did))
        for match in HASHTAG.finditer(raw):
            tag = match.group(1).rstrip(TRAILING_PUNCTUATION)
            if tag and not tag.isdigit():
                facets.append(_facet(match.start(), match.start(1) + len(tag), "tag", tag=tag.decode()))
        return sorted(facets, key=lambda f: f["index"]["byteStart"])

    def _resolve(self, handle: str) -> str:
        try:
            return str(self._public("com.atproto.identity.resolveHandle", handle=handle).get("did") or "")
        except (HandleNotFound, Refused, InvalidHandle):
            return ""

    def _get_post(self, uri: str) -> dict:
        repo, collection, rkey = _split_uri(uri)
        return self._call(
            "GET", self.service, "com.atproto.repo.getRecord",
            params={"repo": repo, "collection": collection, "rkey": rkey},
        )  # fmt: skip

    def comment(self, *, post_id: str, text: str) -> str:
        """A first comment is a reply record pointing at the post as both root and parent."""
        try:
            parent = self._get_post(post_id)
        except _RecordNotFound as error:
            raise Refused(f"The post to comment on is gone: {error}") from error
        ref = {"uri": parent.get("uri") or post_id, "cid": parent.get("cid")}
        if not ref["cid"]:
            raise UnexpectedReply("Bluesky gave the post without its cid")
        root = ((parent.get("value") or {}).get("reply") or {}).get("root") or ref
        record = self._record(text)
        record["reply"] = {"root": root, "parent": ref}
        return self._create(record, rkey=None)["uri"]

    def find_published(self, *, text: str, since: datetime, attempt_id: str = "") -> PublishResult | None:
        """The post this attempt wrote, read back by its record key; None if the repo has no record there."""
        if not attempt_id:
            return super().find_published(text=text, since=since, attempt_id=attempt_id)
        if not self.did:
            self._refresh()
        uri = f"at://{self.did}/{POST}/{record_key(attempt_id)}"
        try:
            found = self._get_post(uri)
        except _RecordNotFound:
            return None
        found_uri = found.get("uri") or uri
        return PublishResult(external_id=found_uri, permalink=permalink(self.handle or self.did, found_uri))


class _RecordNotFound(Refused):
    """getRecord found no record under that key (XRPC error RecordNotFound)."""

    kind = "not_found"


def _facet(start: int, end: int, kind: str, **value) -> dict:
    return {
        "index": {"byteStart": start, "byteEnd": end},
        "features": [{"$type": f"app.bsky.richtext.facet#{kind}", **value}],
    }


def _post(item: dict) -> PostData:
    uri, record = str(item.get("uri") or ""), item.get("record") or {}
    if not uri.startswith("at://"):
        raise UnexpectedReply("Bluesky gave a post without its at:// uri")
    embed_type = str((item.get("embed") or {}).get("$type") or "")
    if embed_type == "app.bsky.embed.recordWithMedia#view":
        embed_type = str(((item.get("embed") or {}).get("media") or {}).get("$type") or "")
    author = (item.get("author") or {}).get("handle") or _split_uri(uri)[0]
    return PostData(
        # The record key: unique within the account's repo, and short enough for Post.external_id (an at:// address
        # is the profile's DID, which the profile keeps, plus the collection and this key).
        external_id=_rkey(uri),
        published_at=_time(record.get("createdAt") or item.get("indexedAt")),
        text=str(record.get("text") or ""),
        permalink=permalink(author, uri),
        media_type=EMBED_MEDIA.get(embed_type, "media" if embed_type else "text"),
        likes=_count(item, "likeCount"),
        comments=_count(item, "replyCount"),
        # Reposts and quotes both spread the post to other audiences.
        shares=_sum(_count(item, "repostCount"), _count(item, "quoteCount")),
        views=None,  # Bluesky gives no view counts
    )
