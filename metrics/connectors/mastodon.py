"""Mastodon through Mastodon.py (halcy/Mastodon.py, the maintained client), one server at a time.

Every call goes through `MastodonConnector._call`, which turns every way Mastodon.py can fail (its error classes for
a 401, a 404, a 429, a 5xx, a refusal, a body that is not JSON, the network) into a classified ConnectorError. The
client speaks through the platform timeout session, so every request has PLATFORM_HTTP_TIMEOUT and the last reply
is at hand to describe. A handle is `user@server`; the connector is built for the server, and a token is only
ever sent to the server that issued it.
"""

import html
import re
import time
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import requests
from django.utils.dateparse import parse_datetime
from mastodon import (
    Mastodon,
    MastodonAPIError,
    MastodonError,
    MastodonNetworkError,
    MastodonNotFoundError,
    MastodonRatelimitError,
    MastodonServerError,
    MastodonUnauthorizedError,
)

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
from .http import TimeoutSession, describe, rate_limited, request_failure, seconds_until, unreadable_reply

PAGE_SIZE = 40  # the most Mastodon gives per page of an account's statuses
DEFAULT_RATE_LIMIT_WAIT = 5 * 60  # Mastodon's windows are 5 minutes (300 calls per account)
LOOKUP_MARGIN = timedelta(minutes=5)
LOOKUP_PAGES = 5
MEDIA_POLL_SECONDS = 1.0  # tests set it lower
MAX_MEDIA_WAIT_SECONDS = 60.0
# The server version Mastodon.py is told to assume, so that it never asks /api/v1/instance first: 4.0 has every
# call used here (accounts/lookup since 3.4, the v2 media upload since 3.1.4, Idempotency-Key). With
# version_check_mode "none" Mastodon.py would take a declared version as 1.0.0 and upload to the old v1 media.
ASSUMED_VERSION = "4.0.0"
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
        self.api = Mastodon(
            api_base_url=f"https://{self.server}",
            request_timeout=self.session.timeout,
            session=self.session,
            mastodon_version=ASSUMED_VERSION,
            version_check_mode="created",
            ratelimit_method="throw",  # a 429 is ours to schedule, never a sleep inside a worker
        )
        # Set after the constructor, never through it: Mastodon.py reads `access_token` as a file's path when a
        # file of that name exists, and a pasted token is a member's text.
        self.api.access_token = token or None

    def _call(self, method: str, *args, write: bool = False, creating: bool = False, **kwargs):
        """One Mastodon.py call; its result, or a classified ConnectorError. `write`: the call creates something,
        so a failure after sending may have happened. `creating`: a 422 is Mastodon refusing the post itself (its
        validation message)."""
        try:
            return getattr(self.api, method)(*args, **kwargs)
        except MastodonError as error:
            raise self._classified(error, write=write, creating=creating) from error

    def _classified(self, error: MastodonError, *, write: bool, creating: bool):
        reply = self.session.last_response
        if isinstance(error, MastodonNetworkError):  # raised while handling the requests exception it replaces
            cause = error.__cause__ or error.__context__
            if isinstance(cause, requests.RequestException):
                return request_failure(cause, platform="Mastodon", write=write)
            return TransientError(f"Mastodon ({self.server}) could not be reached: {error}", may_have_happened=write)
        if isinstance(error, MastodonRatelimitError):
            if reply is None or reply.status_code != 429:  # an X-RateLimit-Reset it could not read, on any reply
                return unreadable_reply(reply, platform="Mastodon", write=write)
            return rate_limited(
                f"Mastodon ({self.server}) rate limit reached",
                wait=seconds_until(self.api.ratelimit_reset),  # X-RateLimit-Reset, an ISO time, as epoch seconds
                default=DEFAULT_RATE_LIMIT_WAIT,
            )
        # MastodonAPIError("Mastodon API returned error", status, reason, Mastodon's `error`), or one saying the
        # body of a 2xx is not JSON (two arguments). A reply that is not Mastodon's Error entity (a gateway's or a
        # proxy's page, to which Mastodon.py gives its own words, "Endpoint not found." on a 404) is read by status.
        status, message = (error.args[1], error.args[3]) if len(error.args) == 4 else (None, None)
        if not isinstance(error, MastodonAPIError) or not isinstance(message, str) or not _error_entity(reply):
            return unreadable_reply(reply, platform="Mastodon", write=write)
        if isinstance(error, MastodonUnauthorizedError):
            return AuthExpired(f"Mastodon ({self.server}) refused the token: {message}")
        if status == 403:
            # A token without the scope, or an account the server suspended: a person must look at it.
            return AuthExpired(f"Mastodon ({self.server}) refused access with this token: {message}")
        if isinstance(error, MastodonNotFoundError):
            return HandleNotFound(f"{self.handle or 'that account'} on {self.server}: {message}")
        if isinstance(error, MastodonServerError) or not isinstance(status, int) or status >= 500:
            return TransientError(f"Mastodon ({self.server}) server error: {message}", may_have_happened=write)
        what = "the post" if creating else "the request"
        return Refused(f"Mastodon ({self.server}) refused {what}: {message}")

    def fetch_profile(self, *, handle: str, external_id: str = "") -> ProfileData:
        user, server = split_handle(handle)
        if server != self.server:
            raise InvalidHandle(f"{handle} is on {server}, not on {self.server}.")
        self.handle = f"{user}@{server}"
        account = self._call("account_lookup", user)
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
        `max_id` as the `Link` header's next page gives it (Mastodon.py's pagination info)."""
        statuses = self._call(
            "account_statuses",
            external_id,
            exclude_reblogs=True,
            limit=max(1, min(page_size, PAGE_SIZE)),
            max_id=cursor or None,
        )
        if not isinstance(statuses, list):
            raise UnexpectedReply(
                f"Mastodon gave {describe(self.session.last_response)} where a list of statuses was expected"
            )
        posts = [_post(status) for status in statuses if isinstance(status, dict)]
        kept = [p for p in posts if since is None or p.published_at > since]
        following = self.api.get_pagination_info(statuses, "next")
        next_cursor = str(following["max_id"]) if following and following.get("max_id") is not None else None
        if len(kept) < len(posts) or next_cursor == cursor:
            next_cursor = None  # reached `since`, or the server gave back the cursor it was asked with
        return PostsPage(posts=kept, next_cursor=next_cursor)

    def publish(
        self, *, text: str, media_urls: Sequence[str] = (), attempt_id: str = "", media: Sequence[MediaSource] = ()
    ) -> PublishResult:
        """The status, with its files uploaded first (nothing is public until the status is created, so a failed
        upload is a definite failure). `idempotency_key=attempt_id`: for an hour, Mastodon answers a retry of the
        same attempt with the status it already created instead of a second one."""
        if len(media_urls) > len(media):
            raise PublishNotSupported(
                "Mastodon takes a post's media as files: put the photos typed as addresses in the media library."
            )
        media_ids = [self._upload(item) for item in media]
        return self._create_status(text, media_ids=media_ids or None, idempotency_key=attempt_id or None)

    def comment(self, *, post_id: str, text: str) -> str:
        """A first comment on Mastodon is a reply to the status (`in_reply_to_id`)."""
        return self._create_status(text, in_reply_to_id=post_id).external_id

    def _create_status(self, text: str, **fields) -> PublishResult:
        if not self.token:
            raise AuthExpired(f"Publishing on {self.server} needs a connected Mastodon account.")
        status = self._call("status_post", text, write=True, creating=True, **fields)
        if not isinstance(status, dict) or not status.get("id"):
            raise UnexpectedReply(
                f"Mastodon accepted the post but its reply has no id: {describe(self.session.last_response)}",
                may_have_happened=True,
            )
        return PublishResult(external_id=str(status["id"]), permalink=status.get("url") or "")

    def _upload(self, item: MediaSource) -> str:
        """The id of one uploaded file, waiting (within our own bound, not Mastodon.py's endless `synchronous`
        loop) for the server to process it: a 202's attachment has no `url` until it is done."""
        if not self.token:
            raise AuthExpired(f"Uploading media on {self.server} needs a connected Mastodon account.")
        with item.open() as file:
            attachment = self._call(
                "media_post",
                file,
                mime_type=item.content_type,
                file_name=item.name,
                description=item.alt_text[:1500] or None,
            )
        if not isinstance(attachment, dict) or not attachment.get("id"):
            raise UnexpectedReply(
                f"{item.name}: Mastodon's upload reply has no media id: {describe(self.session.last_response)}"
            )
        media_id, waited = str(attachment["id"]), 0.0
        while not (isinstance(attachment, dict) and attachment.get("url")):  # GET answers 206 until it is done
            if waited + MEDIA_POLL_SECONDS > MAX_MEDIA_WAIT_SECONDS:
                raise TransientError(f"{item.name}: Mastodon was still processing the file after {waited:.0f} s.")
            time.sleep(MEDIA_POLL_SECONDS)
            waited += MEDIA_POLL_SECONDS
            attachment = self._call("media", media_id)
        return media_id

    def find_published(self, *, text: str, since: datetime, attempt_id: str = "") -> PublishResult | None:
        """The account's status with this text created since `since`, if the server shows one. Mastodon keeps no
        attempt id we can read back (sending the idempotency key again would be a publish, not a look-up), so the
        status's HTML `content` is compared as text."""
        if not self.token:
            raise LookupNotPossible(f"Without a connected account, {self.server} cannot say which posts are ours.")
        try:
            me = self._call("account_verify_credentials")
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


def _error_entity(reply) -> bool:
    """Whether a reply's body is Mastodon's Error entity (`{"error": "…"}`)."""
    try:
        body = reply.json() if reply is not None else None
    except ValueError:
        return False
    return isinstance(body, dict) and isinstance(body.get("error"), str)


def _count(data: dict, name: str) -> int | None:
    value = data.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _published_at(value) -> datetime | None:
    """A status's `created_at`: Mastodon.py gives a datetime in the machine's zone (a string it could not read
    stays a string)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else None
    return parse_datetime(value) if isinstance(value, str) else None


def _post(status: dict) -> PostData:
    published_at = _published_at(status.get("created_at"))
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
