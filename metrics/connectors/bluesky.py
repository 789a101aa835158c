"""Bluesky (the AT Protocol) through its maintained Python client, MarshalX's `atproto` (requirements.txt).

atproto's `app.bsky.*` and `com.atproto.*` namespaces send the XRPC calls over httpx and read the replies into the
lexicons' models; this module turns those into our data classes, and every way a call can fail (an XRPC error
object, a gateway's HTML page, a reply outside the lexicon's shape, the network) into a classified ConnectorError,
in one place: `BlueskyConnector._call`. Every request has the platforms' timeout (PLATFORM_HTTP_TIMEOUT).

Three clients, each an `atproto.Client`, made when first used:
- `appview`: the public AppView (BLUESKY_APPVIEW_URL), without a session: profiles, feeds and handles of any account,
  so competitors need no connection;
- `service`: the account's service (BLUESKY_SERVICE_URL, bsky.social's entryway by default), without a session:
  signing in with an app password (createSession), renewing the session (refreshSession), reading a record back
  (getRecord needs no session);
- `account`: the same service with the app password's session (imported with `login(session_string=...)`): blobs
  and records.

The session is atproto's: before a call it renews the access token itself when the token's JWT `exp` is less than
15 minutes away. When the service refuses a token that still looked valid (400 ExpiredToken, 401), the connector
renews it with the public `com.atproto.server.refreshSession` and the refresh token (atproto's own renewal after
such a reply is private), imports the new pair and sends the call once more; an access token atproto cannot read
(none, or not a JWT) is renewed before the call. Either way the new pair reaches `on_session` through atproto's
`on_session_change` (the caller stores it; a connector never touches models); a renewal Bluesky refuses reaches
`on_refresh_refused`.

A post's record key is a TID derived from the publish attempt's id: a retry after a lost answer writes to the same
key (the service refuses a second record there), and find_published reads that one record back. Links, mentions and
hashtags become facets through atproto's `client_utils` (a port of Bluesky's own detection); a mention is resolved
to its DID at the AppView and stays plain text if it resolves to none.

`transport` (an httpx transport for every request) is for the tests' replay of recorded replies
(metrics/tests/bsky_replay.py); the app leaves it None.
"""

import hashlib
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import cached_property
from typing import TypeVar

import httpx
import pydantic
from atproto import Client, Request, Session, SessionEvent, client_utils, get_jwt_payload, models
from atproto.exceptions import AtProtocolError, TokenDecodeError, XrpcError
from django.conf import settings

from .base import (
    AuthExpired,
    Connector,
    ConnectorError,
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
from .http import describe, httpx_failure, rate_limited, seconds_until, unreadable_reply

T = TypeVar("T")

PAGE_SIZE = 100  # getAuthorFeed's maximum `limit`
POST = "app.bsky.feed.post"
REFRESH = "com.atproto.server.refreshSession"
TOKEN_ERRORS = {"ExpiredToken", "InvalidToken", "AuthMissing", "AuthRequired", "AuthenticationRequired"}
GONE_ERRORS = {"AccountTakedown", "AccountDeactivated", "BlockedActor", "BlockedByActor", "RepoNotFound"}
MAX_IMAGES = 4
# Record keys of app.bsky.feed.post are TIDs (lexicon `"key": "tid"`): 13 characters of base32-sortable.
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
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


def _sum(*figures: int | None) -> int | None:
    present = [f for f in figures if f is not None]
    return sum(present) if present else None


def _readable(access_token: str) -> bool:
    """Whether atproto can tell from the access token when it expires (a JWT with an `exp`)."""
    try:
        return bool(access_token) and get_jwt_payload(access_token).exp is not None
    except TokenDecodeError:
        return False


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
    """Sign in with an app password (com.atproto.server.createSession, through atproto's `login`): the session's
    tokens, DID and handle. The app password is sent once and never kept."""
    connector = BlueskyConnector(handle=identifier, timeout=timeout)
    login = identifier.strip().lstrip("@")
    connector._call(lambda: connector.account.login(login, app_password, fetch_bsky_profile=False))
    reply = {"accessJwt": connector.access_token, "refreshJwt": connector.refresh_token,
             "did": connector.did, "handle": connector.handle}  # fmt: skip
    if not all(reply.values()):
        raise UnexpectedReply("Bluesky signed in but its reply lacks the session's tokens, DID or handle")
    return reply


def session_end(*, refresh_token: str, timeout: float | None = None) -> None:
    """Sign out (com.atproto.server.deleteSession, with the refresh token as its lexicon asks): the session's tokens
    stop working at once. The app password itself stays until its owner revokes it in Bluesky's settings."""
    connector = BlueskyConnector(refresh_token=refresh_token, timeout=timeout)
    bearer = {"Authorization": f"Bearer {refresh_token}"}
    connector._call(lambda: connector.service.com.atproto.server.delete_session(headers=bearer))


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
        transport: httpx.BaseTransport | None = None,
    ):
        self.timeout = timeout if timeout is not None else settings.PLATFORM_HTTP_TIMEOUT
        self.transport = transport
        # `base_url`: every request to another address (a test's own server), with the same path and query.
        self.appview_url = base_url or settings.BLUESKY_APPVIEW_URL
        self.service_url = base_url or settings.BLUESKY_SERVICE_URL
        self.access_token, self.refresh_token = access_token, refresh_token
        self.did, self.handle = did, handle.lstrip("@")
        self.on_session, self.on_refresh_refused = on_session, on_refresh_refused
        self._who = self.handle
        # The last request sent and its reply (httpx's hooks): what a failure is classified by.
        self.sent: httpx.Request | None = None
        self.last_response: httpx.Response | None = None

    # ---- the clients ---------------------------------------------------------------------------------------

    def _client(self, url: str) -> Client:
        hooks = {"request": [self._sending], "response": [self._received]}
        return Client(url, request=Request(timeout=self.timeout, transport=self.transport, event_hooks=hooks))

    def _sending(self, request: httpx.Request) -> None:
        self.sent, self.last_response = request, None

    def _received(self, response: httpx.Response) -> None:
        self.last_response = response

    @cached_property
    def appview(self) -> Client:
        return self._client(self.appview_url)

    @cached_property
    def service(self) -> Client:
        return self._client(self.service_url)

    @cached_property
    def account(self) -> Client:
        client = self._client(self.service_url)
        client.on_session_change(self._session_changed)
        if self.access_token or self.refresh_token:
            self._import(client, access_token=self.access_token, refresh_token=self.refresh_token)
        return client

    def _import(self, client: Client, *, access_token: str, refresh_token: str) -> None:
        session = Session(self.handle, self.did, access_token, refresh_token, self.service_url)
        client.login(session_string=session.export(), fetch_bsky_profile=False)

    def _session_changed(self, event: SessionEvent, session: Session) -> None:
        """atproto's session changed: created (signing in), imported (the stored pair, or one this connector
        renewed) or renewed by atproto itself. A pair the caller does not keep yet goes to on_session."""
        if (session.access_jwt, session.refresh_jwt) == (self.access_token, self.refresh_token):
            return
        self.access_token, self.refresh_token = session.access_jwt, session.refresh_jwt
        self.did, self.handle = session.did or self.did, session.handle or self.handle
        if self.on_session is not None:
            self.on_session(self.access_token, self.refresh_token)

    # ---- one call ------------------------------------------------------------------------------------------

    def _call(self, send: Callable[[], T], *, write: bool = False) -> T:
        """One call through atproto; every failure comes out as a classified ConnectorError. `write`: the call
        creates something, so a failure after sending may have happened."""
        self.sent = self.last_response = None
        try:
            return send()
        except (AtProtocolError, httpx.HTTPError) as error:
            renewing = self._renewing()
            failure = self._failure(error, write=write and not renewing)
            if renewing and isinstance(failure, AuthExpired) and self.on_refresh_refused is not None:
                self.on_refresh_refused(str(failure))
            raise failure from error

    def _renewing(self) -> bool:
        """The request that failed renewed the session (atproto's own before a call, or the connector's)."""
        return self.sent is not None and self.sent.url.path.endswith(f"/{REFRESH}")

    def _failure(self, error: Exception, *, write: bool) -> ConnectorError:
        reply = getattr(error, "response", None)  # atproto's reading of an error reply; None without one
        if reply is None:
            network = error if isinstance(error, httpx.HTTPError) else error.__cause__
            if isinstance(network, httpx.HTTPError):
                return httpx_failure(network, platform="Bluesky", write=write)
            if self.last_response is None:  # atproto could not make the call at all
                return UnexpectedReply(f"Bluesky's client could not send the request: {error}")
            # A reply atproto could not read into the lexicon's model (a page, not JSON, another shape).
            return unreadable_reply(self.last_response, platform="Bluesky", write=write)
        content = reply.content
        if isinstance(content, XrpcError):
            name, message = content.error, content.message or ""
        elif isinstance(content, dict):  # JSON, but not quite an XRPC error object
            name, message = str(content.get("error") or ""), str(content.get("message") or "")
        else:
            return unreadable_reply(self.last_response, platform="Bluesky", write=write)
        return self._error(reply.status_code, reply.headers, name, message, write=write)

    def _error(self, status: int, headers: dict, name: str, message: str, *, write: bool) -> ConnectorError:
        detail = f"{name}: {message}" if message else name or describe(self.last_response)
        if status == 429:
            reset = str(headers.get("ratelimit-reset", ""))
            wait = seconds_until(int(reset)) if reset.isdigit() else None
            return rate_limited(f"Bluesky rate limit reached ({detail})", wait=wait, default=5 * 60)
        if status >= 500:
            return TransientError(f"Bluesky server error: {detail}", may_have_happened=write)
        if name in TOKEN_ERRORS or status in (401, 403):
            return AuthExpired(f"Bluesky refused the session: {detail}")
        if name in GONE_ERRORS or message.lower().startswith(("profile not found", "actor not found")):
            return HandleNotFound(f"{self._who}: {detail}")
        if name == "InvalidRequest" and "actor" in message.lower() and "valid" in message.lower():
            return InvalidHandle(f"{self._who} cannot be a Bluesky handle: {detail}")
        if name == "RecordNotFound":
            return _RecordNotFound(detail)
        nsid = self.sent.url.path.rsplit("/", 1)[-1] if self.sent is not None else "?"
        return Refused(f"Bluesky refused the request ({nsid}): {detail}")

    def _refresh(self) -> None:
        """A new access token (and refresh token: Bluesky rotates them), imported into the account's client.

        atproto renews a session itself only before a call, from the access token's `exp`; its renewal after a
        token the service refused is private (`Client._refresh_and_set_session`), so the connector asks the public
        com.atproto.server.refreshSession with the refresh token, through the client without a session (the
        account's would first check the access token it is replacing)."""
        if not self.refresh_token:
            raise AuthExpired("Bluesky is not connected for this workspace: connect it with an app password.")
        bearer = {"Authorization": f"Bearer {self.refresh_token}"}
        renewed = self._call(lambda: self.service.com.atproto.server.refresh_session(headers=bearer))
        if not renewed.access_jwt or not renewed.refresh_jwt:
            raise UnexpectedReply(f"Bluesky renewed the session without tokens: {describe(self.last_response)}")
        self.did, self.handle = renewed.did or self.did, renewed.handle or self.handle
        self._import(self.account, access_token=renewed.access_jwt, refresh_token=renewed.refresh_jwt)

    def _authed(self, send: Callable[[], T], *, write: bool = False) -> T:
        """A call with the account's session: renewed first when atproto cannot tell when the access token expires
        (none, or not a JWT), and once more if the service says it expired."""
        renewed = not _readable(self.access_token)
        if renewed:
            self._refresh()
        try:
            return self._call(send, write=write)
        except AuthExpired:
            if renewed or self._renewing():
                raise  # renewed just now, or Bluesky refused the renewal itself
            # Refused before anything was done (the token is checked first): safe to send again once renewed.
            self._refresh()
            return self._call(send, write=write)

    # ---- pull ----------------------------------------------------------------------------------------------

    def fetch_profile(self, *, handle: str, external_id: str = "") -> ProfileData:
        self._who = handle.lstrip("@")
        params = models.AppBskyActorGetProfile.Params(actor=external_id or self._who)
        actor = self._call(lambda: self.appview.app.bsky.actor.get_profile(params))
        if not actor.did or actor.followers_count is None:
            raise UnexpectedReply(f"{self._who}: Bluesky's profile reply carries no did or follower count")
        return ProfileData(
            external_id=actor.did,
            handle=actor.handle or self._who,
            display_name=actor.display_name or "",
            followers=actor.followers_count,
            following=actor.follows_count,
            posts_count=actor.posts_count,
        )

    def fetch_posts(
        self, *, external_id: str, since: datetime | None = None, cursor: str | None = None, page_size: int = 100
    ) -> PostsPage:
        """One page of the account's posts, newest first; reposts of others' posts are not its posts."""
        self._who = self._who or external_id
        params = models.AppBskyFeedGetAuthorFeed.Params(
            actor=external_id, limit=max(1, min(page_size, PAGE_SIZE)), cursor=cursor or None
        )
        reply = self._call(lambda: self.appview.app.bsky.feed.get_author_feed(params))
        posts, older = [], False
        for item in reply.feed:
            if isinstance(item.reason, models.AppBskyFeedDefs.ReasonRepost):
                continue
            post = _post(item.post)
            if since is not None and post.published_at < since:
                older = True
                continue
            posts.append(post)
        next_cursor = reply.cursor or None
        if older or not reply.feed or next_cursor == cursor:
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
        images = [models.AppBskyEmbedImages.Image(alt=item.alt_text, image=self._upload(item)) for item in media]
        embed = models.AppBskyEmbedImages.Main(images=images) if images else None
        rkey = record_key(attempt_id) if attempt_id else None
        created = self._create(text, embed=embed, rkey=rkey)
        return PublishResult(external_id=created.uri, permalink=permalink(self.handle or self.did, created.uri))

    def _upload(self, item: MediaSource) -> models.blob_ref.BlobRef:
        with item.open() as stream:
            data = stream.read()
        headers = {"Content-Type": item.content_type}
        reply = self._authed(lambda: self.account.com.atproto.repo.upload_blob(data, headers=headers))
        return reply.blob

    def _create(self, text: str, *, embed=None, reply=None, rkey: str | None = None):
        """The post record in the account's repo (the session's DID, read when sent: after a renewal), under `rkey`
        when given."""
        record = self._record(text, embed=embed, reply=reply)
        return self._authed(lambda: self.account.app.bsky.feed.post.create(self.did, record, rkey=rkey), write=True)

    def _record(self, text: str, *, embed=None, reply=None) -> models.AppBskyFeedPost.Record:
        """The post as an app.bsky.feed.post record, its facets found (and mentions resolved) first."""
        facets = self._facets(text) or None
        try:
            return models.AppBskyFeedPost.Record(text=text, created_at=_now(), facets=facets, embed=embed, reply=reply)
        except pydantic.ValidationError as error:  # beyond the lexicon's limits (a text too long): never sent
            raise Refused(f"Bluesky would refuse this post: {error}") from error

    def _facets(self, text: str) -> list[models.AppBskyRichtextFacet.Main]:
        """Links, hashtags (and cashtags) as app.bsky.richtext.facet, with byte offsets into the UTF-8 text, as
        Bluesky's own app finds them; a mention whose handle does not resolve to a DID stays plain text."""
        facets = client_utils.facet_detection.detect_facets(text)
        for mention in client_utils.facet_detection.detect_mentions(text):
            if did := self._resolve(mention.handle):
                facets.append(
                    models.AppBskyRichtextFacet.Main(
                        features=[models.AppBskyRichtextFacet.Mention(did=did)],
                        index=models.AppBskyRichtextFacet.ByteSlice(
                            byte_start=mention.byte_start, byte_end=mention.byte_end
                        ),
                    )
                )
        return sorted(facets, key=lambda facet: facet.index.byte_start)

    def _resolve(self, handle: str) -> str:
        params = models.ComAtprotoIdentityResolveHandle.Params(handle=handle)
        try:
            return self._call(lambda: self.appview.com.atproto.identity.resolve_handle(params)).did
        except (HandleNotFound, Refused, InvalidHandle):
            return ""

    def _get_post(self, uri: str) -> models.ComAtprotoRepoGetRecord.Response:
        repo, collection, rkey = _split_uri(uri)
        params = models.ComAtprotoRepoGetRecord.Params(repo=repo, collection=collection, rkey=rkey)
        return self._call(lambda: self.service.com.atproto.repo.get_record(params))

    def comment(self, *, post_id: str, text: str) -> str:
        """A first comment is a reply record pointing at the post as both root and parent."""
        try:
            parent = self._get_post(post_id)
        except _RecordNotFound as error:
            raise Refused(f"The post to comment on is gone: {error}") from error
        if not parent.cid:
            raise UnexpectedReply("Bluesky gave the post without its cid")
        ref = models.ComAtprotoRepoStrongRef.Main(uri=parent.uri or post_id, cid=parent.cid)
        thread = getattr(parent.value, "reply", None)  # the post is itself a reply: its thread's root
        reply = models.AppBskyFeedPost.ReplyRef(root=thread.root if thread else ref, parent=ref)
        return self._create(text, reply=reply).uri

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
        found_uri = found.uri or uri
        return PublishResult(external_id=found_uri, permalink=permalink(self.handle or self.did, found_uri))


class _RecordNotFound(Refused):
    """getRecord found no record under that key (XRPC error RecordNotFound)."""

    kind = "not_found"


def _now() -> str:
    """A record's createdAt: now in UTC, to the millisecond, with a Z."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _post(item: models.AppBskyFeedDefs.PostView) -> PostData:
    if not item.uri.startswith("at://"):
        raise UnexpectedReply("Bluesky gave a post without its at:// uri")
    embed_type = getattr(item.embed, "py_type", "") or ""
    if embed_type == "app.bsky.embed.recordWithMedia#view":
        embed_type = getattr(item.embed.media, "py_type", "") or ""
    author = item.author.handle or _split_uri(item.uri)[0]
    return PostData(
        # The record key: unique within the account's repo, and short enough for Post.external_id (an at:// address
        # is the profile's DID, which the profile keeps, plus the collection and this key).
        external_id=_rkey(item.uri),
        published_at=_time(getattr(item.record, "created_at", None) or item.indexed_at),
        text=str(getattr(item.record, "text", None) or ""),
        permalink=permalink(author, item.uri),
        media_type=EMBED_MEDIA.get(embed_type, "media" if embed_type else "text"),
        likes=item.like_count,
        comments=item.reply_count,
        # Reposts and quotes both spread the post to other audiences.
        shares=_sum(item.repost_count, item.quote_count),
        views=None,  # Bluesky gives no view counts
    )
