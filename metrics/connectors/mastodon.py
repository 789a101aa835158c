"""Mastodon through its documented REST API (docs.joinmastodon.org), one server at a time.

Mastodon.py is not installed in this project's environment, so the connector speaks the REST API itself through
the platform timeout session. Every call goes through `MastodonConnector._call`: every way it can fail (an error
object, a 429 with its ISO reset, a gateway's HTML page, a body that is not JSON, the network) becomes a classified
ConnectorError there. A handle is `user@server`; the connector is built for the server, and a token is only ever
sent to the server that issued it.
"""

import html
import re
import time
import unicodedata
from collections.abc import Sequence
from datetime import datetime, timedelta

import requests
from django.utils.dateparse import parse_datetime

from .base import (
    AuthExpired,
    Connector,
    HandleNotFound,
    InvalidHandle,
    LookupNotPossible,
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
from .http import TimeoutSession, describe, rate_limited, request_failure, unreadable_reply

PAGE_SIZE = 40  # the most Mastodon gives per page of an account's statuses
DEFAULT_RATE_LIMIT_WAIT = 5 * 60  # Mastodon's windows are 5 minutes (300 calls per account)
LOOKUP_MARGIN = timedelta(minutes=5)
LOOKUP_PAGES = 5
MEDIA_POLL_SECONDS = 1.0  # tests set it lower
MAX_MEDIA_WAIT_SECONDS = 60.0
NEXT_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="next"')
MAX_ID = re.compile(r"[?&]max_id=([^&]+)")
TAG = re.compile(r"<[^>]+>")
BREAK = re.compile(r"<br\s*/?>|</p>\s*<p>", re.IGNORECASE)


def split_handle(handle: str) -> tuple[str, str]:
    """`user@server` (or `@user@server`) as (user, server); InvalidHandle for anything else."""
    user, _, server = handle.strip().lstrip("@").partition("@")
    if not user or not server or "@" in server or "/" in server:
        raise InvalidHandle(f"{handle!r} is not a Mastodon address: it should be user@server.")
    return user, server.lower()


def status_text(content: str) -> str:
    """The plain text of a status's HTML `content`: paragraphs and line breaks as new lines, tags dropped."""
    text = TAG.sub("", BREAK.sub("\n", content or ""))
    return unicodedata.normalize("NFC", html.unescape(text)).replace("\r\n", "\n").strip()


class MastodonConnector(Connector):
    platform = "mastodon"

    def __init__(self, *, server: str, token: str = "", timeout: float | None = None, base_url: str | None = None):
        self.server = server.lower()
        self.token = token
        self.session = TimeoutSession(timeout, base_url=base_url)
        self.handle = ""

    def _url(self, path: str) -> str:
        return f"https://{self.server}{path}"

    def _call(self, method: str, path: str, *, write: bool = False, creating: bool = False, **kwargs):
        """One call to the server; its reply as a response whose status is 2xx, or a classified ConnectorError.
        `write`: the call creates something, so a failure after sending may have happened. `creating`: a 422 is
        Mastodon refusing the post itself (its validation message)."""
        headers = kwargs.pop("headers", {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            response = self.session.request(method, self._url(path), headers=headers, **kwargs)
        except requests.RequestException as error:
            raise request_failure(error, platform="Mastodon", write=write) from error
        status = response.status_code
        if 200 <= status < 300:
            return response
        message = _error_message(response)
        if status == 429:
            raise rate_limited(
                f"Mastodon ({self.server}) rate limit reached: {message or 'Too many requests'}",
                wait=_seconds_until_iso(response.headers.get("X-RateLimit-Reset")),
                default=DEFAULT_RATE_LIMIT_WAIT,
            )
        if message is None:  # not Mastodon's JSON error object: a gateway's or a proxy's page
            raise unreadable_reply(response, platform="Mastodon", write=write)
        if status == 401:
            raise AuthExpired(f"Mastodon ({self.server}) refused the token: {message}")
        if status == 403:
            # A token without the scope, or an account the server suspended: a person must look at it.
            raise AuthExpired(f"Mastodon ({self.server}) refused access with this token: {message}")
        if status == 404:
            raise HandleNotFound(f"{self.handle or path} on {self.server}: {message}")
        if status == 422 or 400 <= status < 500:
            what = "the post" if creating else "the request"
            raise Refused(f"Mastodon ({self.server}) refused {what}: {message}")
        raise TransientError(f"Mastodon ({self.server}) server error: {message}", may_have_happened=write)

    def _json(self, response, *, write: bool = False):
        try:
            return response.json()
        except ValueError as error:
            raise unreadable_reply(response, platform="Mastodon", write=write) from error

    def fetch_profile(self, *, handle: str, external_id: str = "") -> ProfileData:
        user, server = split_handle(handle)
        if server != self.server:
            raise InvalidHandle(f"{handle} is on {server}, not on {self.server}.")
        self.handle = f"{user}@{server}"
        account = self._json(self._call("GET", "/api/v1/accounts/lookup", params={"acct": user}))
        if not isinstance(account, dict) or not account.get("id"):
            raise UnexpectedReply(f"{self.handle}: Mastodon's lookup reply has no account id")
        followers = _count(account, "followers_count")
        if followers is None:
            raise UnexpectedReply(f"{self.handle}: Mastodon's account carries no follower count")
        return ProfileData(
            external_id=str(account["id"]),
            handle=self.handle,
            display_name=account.get("display_name") or account.get("username") or user,
            followers=followers,
            following=_count(account, "following_count"),
            posts_count=_count(account, "statuses_count"),
        )

    def fetch_posts(
        self, *, external_id: str, since: datetime | None = None, cursor: str | None = None, page_size: int = 100
    ) -> PostsPage:
        """One page of the account's own statuses (replies included, boosts left out), newest first, paged by
        `max_id` as the `Link` header's next page gives it."""
        params = {"limit": max(1, min(page_size, PAGE_SIZE)), "exclude_reblogs": "true"}
        if cursor:
            params["max_id"] = cursor
        response = self._call("GET", f"/api/v1/accounts/{external_id}/statuses", params=params)
        statuses = self._json(response)
        if not isinstance(statuses, list):
            raise UnexpectedReply(f"Mastodon gave {describe(response)} where a list of statuses was expected")
        posts = [_post(status) for status in statuses if isinstance(status, dict)]
        kept = [p for p in posts if since is None or p.published_at > since]
        next_cursor = _next_max_id(response.headers.get("Link", ""))
        if len(kept) < len(posts) or next_cursor == cursor:
            next_cursor = None  # reached `since`, or the server gave back the cursor it was asked with
        return PostsPage(posts=kept, next_cursor=next_cursor)

    def publish(
        self, *, text: str, media_urls: Sequence[str] = (), attempt_id: str = "", media: Sequence[MediaSource] = ()
    ) -> PublishResult:
        """The status, with its files uploaded first (nothing is public until the status is created, so a failed
        upload is a definite failure). `Idempotency-Key: attempt_id`: for an hour, Mastodon answers a retry of the
        same attempt with the status it already created instead of a second one."""
        if len(media_urls) > len(media):
            raise PublishNotSupported(
                "Mastodon takes a post's media as files: put the photos typed as addresses in the media library."
            )
        media_ids = [self._upload(item) for item in media]
        return self._create_status({"status": text, "media_ids[]": media_ids}, attempt_id=attempt_id)

    def comment(self, *, post_id: str, text: str) -> str:
        """A first comment on Mastodon is a reply to the status (`in_reply_to_id`)."""
        return self._create_status({"status": text, "in_reply_to_id": post_id}).external_id

    def _create_status(self, fields: dict, *, attempt_id: str = "") -> PublishResult:
        if not self.token:
            raise AuthExpired(f"Publishing on {self.server} needs a connected Mastodon account.")
        headers = {"Idempotency-Key": attempt_id} if attempt_id else {}
        response = self._call("POST", "/api/v1/statuses", data=fields, headers=headers, write=True, creating=True)
        status = self._json(response, write=True)
        if not isinstance(status, dict) or not status.get("id"):
            raise UnexpectedReply(
                f"Mastodon accepted the post but its reply has no id: {describe(response)}", may_have_happened=True
            )
        return PublishResult(external_id=str(status["id"]), permalink=status.get("url") or "")

    def _upload(self, item: MediaSource) -> str:
        """The id of one uploaded file, waiting (within a bound) for the server to process a 202's file."""
        if not self.token:
            raise AuthExpired(f"Uploading media on {self.server} needs a connected Mastodon account.")
        with item.open() as file:
            response = self._call(
                "POST",
                "/api/v2/media",
                files={"file": (item.name, file, item.content_type)},
                data={"description": item.alt_text[:1500]} if item.alt_text else {},
            )
        attachment = self._json(response)
        if not isinstance(attachment, dict) or not attachment.get("id"):
            raise UnexpectedReply(f"{item.name}: Mastodon's upload reply has no media id: {describe(response)}")
        media_id, waited = str(attachment["id"]), 0.0
        # 202: accepted, still processing (a video); GET answers 206 until it is done, then 200 with its `url`.
        while not (response.status_code == 200 and isinstance(attachment, dict) and attachment.get("url")):
            if waited + MEDIA_POLL_SECONDS > MAX_MEDIA_WAIT_SECONDS:
                raise TransientError(f"{item.name}: Mastodon was still processing the file after {waited:.0f} s.")
            time.sleep(MEDIA_POLL_SECONDS)
            waited += MEDIA_POLL_SECONDS
            response = self._call("GET", f"/api/v1/media/{media_id}")
            attachment = self._json(response)
        return media_id

    def find_published(self, *, text: str, since: datetime, attempt_id: str = "") -> PublishResult | None:
        """The account's status with this text created since `since`, if the server shows one. Mastodon keeps no
        attempt id we can read back (sending the idempotency key again would be a publish, not a look-up), so the
        status's HTML `content` is compared as text."""
        if not self.token:
            raise LookupNotPossible(f"Without a connected account, {self.server} cannot say which posts are ours.")
        try:
            me = self._json(self._call("GET", "/api/v1/accounts/verify_credentials"))
        except (AuthExpired, Refused, HandleNotFound) as error:
            raise LookupNotPossible(f"Mastodon cannot tell which posts are this connection's: {error}") from error
        if not isinstance(me, dict) or not me.get("id"):
            raise LookupNotPossible("Mastodon did not say whose token this is.")
        wanted, cursor = _comparable(text), None
        for _ in range(LOOKUP_PAGES):
            page = self.fetch_posts(external_id=str(me["id"]), since=since - LOOKUP_MARGIN, cursor=cursor)
            # Newest first: the oldest match is the one this publish created.
            for post in reversed(page.posts):
                if _comparable(post.text) == wanted:
                    return PublishResult(external_id=post.external_id, permalink=post.permalink)
            cursor = page.next_cursor
            if not cursor:
                return None
        raise LookupNotPossible(
            f"More than {LOOKUP_PAGES * PAGE_SIZE} posts since {since:%Y-%m-%d %H:%M}: check there."
        )


# A mention of another server's account, `@user@server`: Mastodon's content shows it as `@user` (an h-card link).
REMOTE_MENTION = re.compile(r"(?<![\w@])(@\w+)@[\w-]+(?:\.[\w-]+)+")


def _comparable(text: str) -> str:
    """Text as Mastodon gives it back: blank lines between paragraphs become one line end (`</p><p>`), and a remote
    mention only its `@user` (so a post that mentions one is found again, not sent a second time)."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").strip()
    return REMOTE_MENTION.sub(r"\1", re.sub(r"\n\s*\n+", "\n", text))


def _error_message(response) -> str | None:
    """Mastodon's own words (its Error entity: `error`, and `error_description` on OAuth errors), or None when
    the body is not that object."""
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict) or not isinstance(body.get("error"), str):
        return None
    return body["error"] + (f": {body['error_description']}" if body.get("error_description") else "")


def _seconds_until_iso(value: str | None) -> float | None:
    """Mastodon's X-RateLimit-Reset is an ISO 8601 time, not epoch seconds."""
    moment = parse_datetime(value) if value else None
    return None if moment is None else moment.timestamp() - time.time()


def _next_max_id(link: str) -> str | None:
    match = NEXT_LINK.search(link or "")
    found = MAX_ID.search(match.group(1)) if match else None
    return found.group(1) if found else None


def _count(data: dict, name: str) -> int | None:
    value = data.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _post(status: dict) -> PostData:
    published_at = parse_datetime(status.get("created_at") or "")
    if published_at is None or not status.get("id"):
        raise UnexpectedReply(f"Mastodon gave a status without an id or created_at: {status.get('id')!r}")
    attachments = status.get("media_attachments") or []
    return PostData(
        external_id=str(status["id"]),
        published_at=published_at,
        text=status_text(status.get("content") or ""),
        permalink=status.get("url") or status.get("uri") or "",
        media_type=(attachments[0].get("type") or "media") if attachments else "text",
        likes=_count(status, "favourites_count"),
        comments=_count(status, "replies_count"),
        shares=_count(status, "reblogs_count"),
    )


def credential_server(credential) -> str:
    """The server that issued a connected account's token (its account name is `@user@server`), "" when unknown
    (a pasted token)."""
    name = (credential.account_name or "").lstrip("@")
    return name.partition("@")[2].lower() if "@" in name else ""


def mastodon_connector(profile) -> MastodonConnector:
    """The connector for a tracked profile's server. Public accounts are read without a token; the workspace's token
    goes only to the server that issued it (a pasted token of unknown server: only for the brand's own accounts)."""
    from metrics.models import Credential

    _, server = split_handle(profile.handle)
    credential = Credential.objects.filter(workspace_id=profile.workspace_id, platform=profile.platform).first()
    if credential is None:
        if profile.is_own:
            raise AuthExpired("No Mastodon credential for this workspace: connect the account.")
        return MastodonConnector(server=server)
    if credential.is_demo:  # a demo connection's token never goes to a server (metrics.demo_connect)
        if profile.is_own:
            from . import refuse_demo

            refuse_demo(credential)
        return MastodonConnector(server=server)
    issuer = credential_server(credential)
    if issuer != server and (issuer or not profile.is_own):
        if profile.is_own:
            raise AuthExpired(f"The connected Mastodon account is on {issuer}, not on {server}: connect this one.")
        return MastodonConnector(server=server)
    try:
        token = credential.token
    except ValueError as error:
        raise AuthExpired(str(error)) from error
    return MastodonConnector(server=server, token=token)
