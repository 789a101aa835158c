"""Meta Graph API through python-facebook-api: Facebook Pages and Instagram professional accounts.

Every call goes through `_MetaConnector._call`: the shared usage memory is checked before it, the usage headers of
every reply are remembered after it, and every way it can fail (a Graph error object, a gateway's HTML page, a body
that is not JSON, the network) becomes a classified ConnectorError there. A usage header near 100 % after a call
that succeeded never turns it into an error: it pauses the next calls instead, in every worker.
"""

import hashlib
import json
import logging
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlparse

import pyfacebook
import requests
from django.conf import settings
from django.core.cache import cache

from .base import (
    AuthExpired,
    Connector,
    ConnectorError,
    DuplicatePost,
    HandleNotFound,
    LookupNotPossible,
    MediaSource,
    NotAvailable,
    PostData,
    PostsPage,
    ProfileData,
    PublishNotSupported,
    PublishResult,
    RateLimited,
    Refused,
    TransientError,
    UnexpectedReply,
)
from .http import TimeoutSession, describe, rate_limited, request_failure, seconds_until, unreadable_reply

log = logging.getLogger(__name__)

GRAPH_VERSION = "v24.0"
THROTTLING_CODES = {4, 17, 32, 341, 613}  # app, user, page, application limit, custom rate limits
BUSINESS_THROTTLING_CODES = range(80000, 80100)  # Business Use Case limits: 80001 Pages, 80002 Instagram, ...
TOKEN_CODES = {102, 190}  # session or access token expired, revoked or invalid
PERMISSION_CODES = {3, 10, *range(200, 300)}
NOT_FOUND_CODES = {110, 803}  # unknown user (business discovery), alias does not exist
INVALID_PARAMETER_CODE = 100  # also: another brand's Page without Page Public Content Access
TEMPORARY_CODES = {1, 2}  # "API Unknown" and "API Service": downtime, retry
DUPLICATE_POST_CODE = 506
POLICY_BLOCK_CODE = 368  # temporarily blocked for policy violations: wait and retry
NOT_READY_SUBCODE = 2207027  # Instagram: the container is not finished yet
DEFAULT_THROTTLE_WAIT = 3600  # Meta's app usage is counted over a rolling hour
USAGE_COOLDOWN = 10 * 60  # near the limit without Meta's estimate: look again in ten minutes
SLOW_DOWN_PERCENT = 95  # stop before Meta blocks us at 100 % of a usage header
USAGE_HEADERS = ("X-App-Usage", "X-Page-Usage", "X-Business-Use-Case-Usage", "X-Ad-Account-Usage")
LOOKUP_MARGIN = timedelta(minutes=5)
LOOKUP_PAGES = 5

FB_POST_FIELDS = (
    "id,message,created_time,permalink_url,status_type,shares,"
    "reactions.summary(total_count).limit(0),likes.summary(true).limit(0),comments.summary(true).limit(0)"
)
IG_MEDIA_FIELDS = "id,caption,timestamp,permalink,media_type,like_count,comments_count"


class _QuietRateLimit(pyfacebook.RateLimit):
    """pyfacebook parses the usage headers into a fixed dataclass and raises TypeError on a key it does not know;
    the connector reads the headers itself (`usage_from_headers`), so the library's copy must never fail a call."""

    def set_limit(self, headers):
        try:
            super().set_limit(headers)
        except (TypeError, KeyError, ValueError, AttributeError):
            log.info("Meta usage headers in a shape pyfacebook does not read: %s", dict(headers))


def _graph(token: str, timeout: float | None, base_url: str | None) -> pyfacebook.GraphAPI:
    # sleep_on_rate_limit would sleep inside the worker's task: we re-queue instead.
    api = pyfacebook.GraphAPI(
        access_token=token, version=GRAPH_VERSION, sleep_on_rate_limit=False, base_url=base_url or None
    )
    api.session = TimeoutSession(timeout)
    api.rate_limit = _QuietRateLimit()
    return api


def _parse_time(value) -> datetime:
    # Graph API times look like 2026-05-01T10:00:00+0000.
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
    except (TypeError, ValueError) as error:
        raise UnexpectedReply(f"Meta gave a time the connector cannot read: {value!r}") from error


def usage_from_headers(headers) -> tuple[float, int | None]:
    """The highest usage percentage in a reply's usage headers, and Meta's own estimate (seconds) of when access
    comes back, if it gave one. Shapes as documented (graph-api/overview/rate-limiting): X-App-Usage and
    X-Page-Usage `{"call_count", "total_cputime", "total_time"}`; X-Business-Use-Case-Usage
    `{"<object id>": [{"type", "call_count", "total_cputime", "total_time", "estimated_time_to_regain_access"
    (minutes)}]}`; X-Ad-Account-Usage `{"acc_id_util_pct", "reset_time_duration" (seconds)}`."""
    percents, regain = [0.0], []
    for name in USAGE_HEADERS:
        raw = headers.get(name)
        if not raw:
            continue
        try:
            usage = json.loads(raw)
        except ValueError:
            log.info("Meta sent a %s header that is not JSON: %r", name, raw)
            continue
        items = (
            [item for group in usage.values() if isinstance(group, list) for item in group]
            if name == "X-Business-Use-Case-Usage" and isinstance(usage, dict)
            else [usage]
        )
        for item in items:
            if not isinstance(item, dict):
                continue
            for key in ("call_count", "total_cputime", "total_time", "acc_id_util_pct"):
                if isinstance(item.get(key), int | float):
                    percents.append(float(item[key]))
            if isinstance(item.get("estimated_time_to_regain_access"), int | float):
                regain.append(int(item["estimated_time_to_regain_access"]) * 60)
            near = isinstance(item.get("acc_id_util_pct"), int | float) and item["acc_id_util_pct"] >= SLOW_DOWN_PERCENT
            if near and isinstance(item.get("reset_time_duration"), int | float):
                regain.append(int(item["reset_time_duration"]))
    return max(percents), (max(regain) or None) if regain else None


def _cursor_args(cursor: str | None) -> dict:
    """A cursor is either Meta's `after` value, or (for time-paged edges such as a Page's posts, whose `next`
    carries `until` and `__paging_token` instead) the paging part of the next page's query, prefixed `q:`."""
    if not cursor:
        return {}
    if cursor.startswith("q:"):
        return dict(parse_qsl(cursor[2:]))
    return {"after": cursor}


def _next_cursor(data: dict, asked: str | None, *, needs_next: bool = True) -> str | None:
    """The cursor of the next page, None on the last. `needs_next`: the edge says "no next page" by leaving out
    `paging.next` (a Page's posts, an account's media); business discovery gives only `paging.cursors.after`."""
    paging = data.get("paging") if isinstance(data.get("paging"), dict) else {}
    after = (paging.get("cursors") or {}).get("after")
    query = dict(parse_qsl(urlparse(paging.get("next") or "").query))
    if needs_next and not paging.get("next"):
        return None
    if not data.get("data"):
        return None  # an empty page is the last, whatever cursor it carries
    if after or query.get("after"):
        cursor = after or query["after"]
    else:
        paging_args = {k: v for k, v in query.items() if k in ("until", "since", "__paging_token") and v}
        cursor = f"q:{urlencode(paging_args)}" if paging_args else None
    if cursor is not None and cursor == asked:
        # The same cursor again would only return this page again: nothing further can be reached, so this is
        # the last page (the pull keeps what it has instead of looping or failing).
        log.warning("Meta gave back the cursor it was asked with (%s): treated as the last page", asked)
        return None
    return cursor


def _summary_count(item: dict, field: str) -> int | None:
    value = ((item.get(field) or {}).get("summary") or {}).get("total_count")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _count(item: dict, field: str) -> int | None:
    value = item.get(field)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _check_figures(posts: list[PostData], who: str) -> None:
    """Posts none of which carries a single engagement figure mean the reply's shape changed: say so rather than
    store a page of blanks."""
    if posts and all(p.likes is None and p.comments is None for p in posts):
        raise UnexpectedReply(f"{who}: Meta gave {len(posts)} posts without any engagement figure")


def _comparable(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").strip()


class _MetaConnector(Connector):
    def __init__(self, *, token: str, timeout: float | None = None, base_url: str | None = None):
        self.api = _graph(token, timeout, base_url)
        # Usage is counted per app and per token (user, Page or system user): remembered per token, in the shared
        # cache (Redis in production), so that every worker pauses when one has seen the limit near.
        self._usage_key = f"meta-usage:{hashlib.sha256(token.encode()).hexdigest()[:16]}"

    def _check_usage(self) -> None:
        wait = seconds_until(cache.get(self._usage_key))
        if wait is not None and wait > 0:
            raise rate_limited("Meta usage for this connection is near its limit: paused", wait=wait)

    def _pause_until(self, until: float) -> None:
        current = cache.get(self._usage_key) or 0
        if until > current:
            cache.set(self._usage_key, until, timeout=max(1, int(until - time.time()) + 1))

    def _remember_usage(self) -> None:
        """After every reply, success or not: usage near the limit pauses the next calls until Meta's estimate
        of when access comes back (or a cooldown when it gives none). It never fails the call that brought it."""
        response = self.api.session.last_response
        if response is None:
            return
        percent, regain = usage_from_headers(response.headers)
        if percent >= SLOW_DOWN_PERCENT or regain:
            log.info("Meta usage at %s %%: pausing this connection", percent)
            self._pause_until(time.time() + (regain or USAGE_COOLDOWN))

    def _call(self, request: Callable, *, write: bool = False) -> dict:
        """Call the Graph API; every failure comes out as a classified ConnectorError. `write`: the call creates
        something, so a failure after sending may have happened."""
        self._check_usage()
        try:
            data = request()
        except pyfacebook.FacebookError as error:
            self._remember_usage()
            translated = self._translate(error, write=write)
            if isinstance(translated, RateLimited):
                self._pause_until(time.time() + translated.retry_after)
            raise translated from error
        except requests.JSONDecodeError as error:
            self._remember_usage()
            raise unreadable_reply(self.api.session.last_response, platform="Meta", write=write) from error
        except requests.RequestException as error:
            raise request_failure(error, platform="Meta", write=write) from error
        except (pyfacebook.LibraryError, KeyError, TypeError, ValueError, AttributeError) as error:
            # pyfacebook refuses a body that is not JSON (a gateway's HTML page), or meets a shape it does not
            # expect (a body of `false`, no Content-Type): classified by the reply's status.
            self._remember_usage()
            raise unreadable_reply(self.api.session.last_response, platform="Meta", write=write) from error
        self._remember_usage()
        response = self.api.session.last_response
        status = response.status_code if response is not None else 200
        if status >= 400 or not isinstance(data, dict):
            # pyfacebook reads any JSON without "error" as a success, whatever the status.
            raise unreadable_reply(response, platform="Meta", write=write)
        return data

    def _translate(self, error: pyfacebook.FacebookError, *, write: bool) -> ConnectorError:
        code, subcode = getattr(error, "code", None), getattr(error, "error_subcode", None)
        text = str(getattr(error, "message", "") or error)
        if getattr(error, "error_user_msg", None):
            text = f"{text} ({error.error_user_msg})"
        message = f"Meta error {code}{f'/{subcode}' if subcode else ''}: {text}"
        response = self.api.session.last_response
        if code in THROTTLING_CODES or code in BUSINESS_THROTTLING_CODES:
            _, regain = usage_from_headers(response.headers) if response is not None else (0, None)
            return rate_limited(message, wait=regain, default=DEFAULT_THROTTLE_WAIT)
        if code in TOKEN_CODES:
            return AuthExpired(message)
        if code in PERMISSION_CODES or code == INVALID_PARAMETER_CODE:
            lowered = text.lower()
            if "public content access" in lowered or "public metadata access" in lowered or subcode == 33:
                # Another brand's Page without Meta's Page Public Content Access: the figure is not given to us.
                return NotAvailable(f"Not available through the API ({message})")
            if code == INVALID_PARAMETER_CODE and ("nonexisting field" in lowered or "no longer supported" in lowered):
                # A field or metric this version no longer has: the request is out of date, not the profile.
                return UnexpectedReply(f"The Graph API no longer answers this request ({message})")
            if code == INVALID_PARAMETER_CODE and "does not exist" in lowered:
                return NotAvailable(f"Not available through the API ({message})")
            if code == INVALID_PARAMETER_CODE:
                return Refused(message)
            return AuthExpired(f"This connection lacks a permission ({message})")
        if code in NOT_FOUND_CODES:
            return HandleNotFound(message)
        if code == DUPLICATE_POST_CODE:
            return DuplicatePost(message, may_have_happened=True)
        if subcode == NOT_READY_SUBCODE:
            return TransientError(message, retry_after=60)
        if code == POLICY_BLOCK_CODE:
            return TransientError(message, retry_after=DEFAULT_THROTTLE_WAIT)
        status = response.status_code if response is not None else 0
        if code in TEMPORARY_CODES or getattr(error, "is_transient", False) or status >= 500:
            # Meta says "temporary": on a write it may still have been done before the failure.
            return TransientError(message, may_have_happened=write)
        return Refused(message)

    def _pages(self, fetch: Callable[[str | None], dict], *, needs_next: bool = True):
        """Up to LOOKUP_PAGES pages of an edge, for a lookup."""
        cursor = None
        for _ in range(LOOKUP_PAGES):
            data = fetch(cursor)
            yield data.get("data") or []
            cursor = _next_cursor(data, cursor, needs_next=needs_next)
            if not cursor:
                return
        raise LookupNotPossible(f"More than {LOOKUP_PAGES} pages of posts to look through: check on the platform.")


def _lookup(find: Callable) -> PublishResult | None:
    """Run a lookup; a connection that cannot read its own posts cannot tell (transient failures and rate
    limits still raise, so the caller asks again later)."""
    try:
        return find()
    except (AuthExpired, NotAvailable, Refused, HandleNotFound) as error:
        raise LookupNotPossible(f"Meta cannot tell whether the post went out: {error}") from error


def _comment(connector: "_MetaConnector", post_id: str, text: str) -> str:
    """One comment under a post or a media (the same edge on Facebook and Instagram): its id, or a refusal."""
    data = connector._call(lambda: connector.api.post_object(post_id, "comments", data={"message": text}), write=True)
    if not data.get("id"):
        raise UnexpectedReply(
            f"Meta accepted the comment but its reply has no id: {describe(connector.api.session.last_response)}",
            may_have_happened=True,
        )
    return str(data["id"])


MAX_CAROUSEL_ITEMS = 10
CONTAINER_WAIT_SECONDS = 120.0  # within the send's time limit (calendar_app/tasks.py)
VIDEO_ENDINGS = (".mp4", ".mov")


@dataclass(frozen=True)
class _Item:
    url: str
    is_video: bool
    alt_text: str = ""


def _media_items(media_urls: Sequence[str], media: Sequence[MediaSource]) -> list[_Item]:
    """Each address with what it is: the library's (the last len(media) addresses) by their type, a typed address by
    its ending (a video ends in .mp4 or .mov)."""
    typed = list(media_urls[: len(media_urls) - len(media)])
    items = [_Item(url, urlparse(url).path.lower().endswith(VIDEO_ENDINGS)) for url in typed]
    library = zip(media_urls[len(typed) :], media, strict=True)
    return items + [_Item(url, source.content_type.startswith("video/"), source.alt_text) for url, source in library]


class FacebookPageConnector(_MetaConnector):
    platform = "facebook"

    def __init__(self, *, token: str, timeout: float | None = None, page_id: str = "", base_url: str | None = None):
        super().__init__(token=token, timeout=timeout, base_url=base_url)
        self.page_id = page_id

    def fetch_profile(self, *, handle: str, external_id: str = "") -> ProfileData:
        data = self._call(
            lambda: self.api.get_object(external_id or handle, fields="id,name,username,followers_count,fan_count")
        )
        # New Pages Experience: followers_count is the audience; fan_count (likes of the Page) stands in on
        # Pages that give no followers_count. Neither: the reply is not one we can read.
        followers = _count(data, "followers_count")
        followers = followers if followers is not None else _count(data, "fan_count")
        if followers is None or not data.get("id"):
            raise UnexpectedReply(f"Meta's Page reply carries no follower count ({sorted(data)})")
        return ProfileData(
            external_id=str(data["id"]),
            handle=data.get("username") or handle,
            display_name=data.get("name", ""),
            followers=followers,
        )

    def fetch_posts(
        self, *, external_id: str, since: datetime | None = None, cursor: str | None = None, page_size: int = 100
    ) -> PostsPage:
        args = {"fields": FB_POST_FIELDS, "limit": page_size, **_cursor_args(cursor)}
        if since is not None and "since" not in args:
            args["since"] = int(since.timestamp())
        data = self._call(lambda: self.api.get_connection(external_id, "posts", **args))
        posts = [self._post(item) for item in data.get("data") or []]
        _check_figures(posts, external_id)
        return PostsPage(posts=posts, next_cursor=_next_cursor(data, cursor))

    @staticmethod
    def _post(item: dict) -> PostData:
        if not isinstance(item, dict) or not item.get("id"):
            raise UnexpectedReply(f"Meta gave a Page post without an id: {str(item)[:200]}")
        reactions, likes = _summary_count(item, "reactions"), _summary_count(item, "likes")
        return PostData(
            external_id=item["id"],
            published_at=_parse_time(item.get("created_time")),
            text=item.get("message", ""),
            permalink=item.get("permalink_url", ""),
            media_type=item.get("status_type", ""),
            # Reactions (like, love, care, ...) are what Meta now recommends counting; likes where they are absent.
            likes=reactions if reactions is not None else likes,
            comments=_summary_count(item, "comments"),
            shares=(item.get("shares") or {}).get("count", 0),  # documented as absent when nobody shared
        )

    def publish(
        self, *, text: str, media_urls: Sequence[str] = (), attempt_id: str = "", media: Sequence[MediaSource] = ()
    ) -> PublishResult:
        """Text alone (with its link) on the feed; one photo through /photos, several as unpublished photos attached
        to one feed post; a video through /videos (Meta's Pages API docs). Meta fetches each address itself."""
        page_id = self.page_id
        if not page_id:
            raise PublishNotSupported("Pull this Page once before publishing to it.")
        items = _media_items(media_urls, media)
        videos = [item for item in items if item.is_video]
        if videos and len(items) > 1:
            raise Refused("A Facebook post takes photos or one video, not both.")
        if videos:
            data = self._created(page_id, "videos", {"file_url": videos[0].url, "description": text})
            return PublishResult(external_id=data["id"], permalink=f"https://www.facebook.com/{data['id']}")
        if len(items) == 1:
            data = self._created(page_id, "photos", {"url": items[0].url, "caption": text})
            post_id = data.get("post_id") or data["id"]
            return PublishResult(external_id=post_id, permalink=f"https://www.facebook.com/{post_id}")
        payload = {"message": text}
        if items:
            # Unpublished photos are not public: only the feed post that attaches them is.
            photos = [
                self._call(lambda item=item: self.api.post_object(
                    page_id, "photos", data={"url": item.url, "published": "false"}
                ))
                for item in items
            ]  # fmt: skip
            if not all(photo.get("id") for photo in photos):
                raise UnexpectedReply(f"Meta took a photo without an id: {describe(self.api.session.last_response)}")
            payload["attached_media"] = json.dumps([{"media_fbid": photo["id"]} for photo in photos])
        data = self._created(page_id, "feed", payload)
        return PublishResult(external_id=data["id"], permalink=f"https://www.facebook.com/{data['id']}")

    def _created(self, page_id: str, edge: str, payload: dict) -> dict:
        """A call that makes something public: its reply must carry the id, else it may exist anyway."""
        data = self._call(lambda: self.api.post_object(page_id, edge, data=payload), write=True)
        if not data.get("id"):
            raise UnexpectedReply(
                f"Meta accepted the post but its reply has no id: {describe(self.api.session.last_response)}",
                may_have_happened=True,
            )
        return data

    def comment(self, *, post_id: str, text: str) -> str:
        """POST /{post-id}/comments with `message`, as the Page (its token): Meta answers with the comment's id."""
        return _comment(self, post_id, text)

    def find_published(self, *, text: str, since: datetime, attempt_id: str = "") -> PublishResult | None:
        """The Page's post with this message created since `since`, if the Page shows one (Meta stores no attempt
        id: the message is matched exactly, after Unicode NFC and surrounding blanks)."""
        if not self.page_id:
            raise LookupNotPossible("This Page has never been pulled: its id is unknown.")
        wanted = _comparable(text)
        args = {"fields": "id,message,created_time,permalink_url", "limit": 100}
        args["since"] = int((since - LOOKUP_MARGIN).timestamp())

        def find():
            fetch = lambda cursor: self._call(  # noqa: E731
                lambda: self.api.get_connection(self.page_id, "posts", **{**args, **_cursor_args(cursor)})
            )
            for items in self._pages(fetch):
                # Newest first: the oldest match is the one this publish created.
                for item in reversed(items):
                    if _comparable(item.get("message", "")) == wanted:
                        link = item.get("permalink_url") or f"https://www.facebook.com/{item['id']}"
                        return PublishResult(external_id=item["id"], permalink=link)
            return None

        return _lookup(find)


class InstagramConnector(_MetaConnector):
    """Own professional accounts directly; other brands through business discovery on our own account."""

    platform = "instagram"

    def __init__(
        self,
        *,
        token: str,
        timeout: float | None = None,
        own_account_id: str = "",
        is_own: bool = True,
        handle: str = "",
        base_url: str | None = None,
    ):
        super().__init__(token=token, timeout=timeout, base_url=base_url)
        self.own_account_id = own_account_id
        self.is_own = is_own
        # Business discovery asks by username: known from the profile, so that a resumed pull can ask for a
        # page of posts without asking for the profile first.
        self.handle = handle.lstrip("@")

    def fetch_profile(self, *, handle: str, external_id: str = "") -> ProfileData:
        self.handle = handle.lstrip("@")
        fields = "id,username,name,followers_count,follows_count,media_count"
        if self.is_own:
            data = self._call(lambda: self.api.get_object(external_id or self.own_account_id, fields=fields))
        else:
            query = f"business_discovery.username({self.handle}){{{fields}}}"
            data = self._call(lambda: self.api.get_object(self.own_account_id, fields=query))
            data = data.get("business_discovery") if isinstance(data.get("business_discovery"), dict) else {}
        if not data.get("id"):
            raise HandleNotFound(f"@{self.handle} is not an Instagram professional account.")
        followers = _count(data, "followers_count")
        if followers is None:
            raise UnexpectedReply(f"@{self.handle}: Meta's Instagram reply carries no follower count ({sorted(data)})")
        return ProfileData(
            external_id=str(data["id"]),
            handle=data.get("username") or self.handle,
            display_name=data.get("name", ""),
            followers=followers,
            following=_count(data, "follows_count"),
            posts_count=_count(data, "media_count"),
        )

    def _media_page(self, *, external_id: str, cursor: str | None, page_size: int, fields: str) -> tuple[dict, bool]:
        """One page of media and whether its last page is told by a missing `paging.next`."""
        if self.is_own:
            args = {"fields": fields, "limit": page_size, **_cursor_args(cursor)}
            return self._call(lambda: self.api.get_connection(external_id, "media", **args)), True
        after = f".after({cursor})" if cursor else ""
        query = f"business_discovery.username({self.handle}){{media{after}.limit({page_size}){{{fields}}}}}"
        data = self._call(lambda: self.api.get_object(self.own_account_id, fields=query))
        discovery = data.get("business_discovery") if isinstance(data.get("business_discovery"), dict) else {}
        # Business discovery pages by `paging.cursors.after` alone: it never sends `paging.next`.
        return (discovery.get("media") if isinstance(discovery.get("media"), dict) else {}), False

    def fetch_posts(
        self, *, external_id: str, since: datetime | None = None, cursor: str | None = None, page_size: int = 100
    ) -> PostsPage:
        data, needs_next = self._media_page(
            external_id=external_id, cursor=cursor, page_size=page_size, fields=IG_MEDIA_FIELDS
        )
        posts = [self._post(item) for item in data.get("data") or []]
        _check_figures(posts, f"@{self.handle or external_id}")
        next_cursor = _next_cursor(data, cursor, needs_next=needs_next)
        # The media edge ignores `since`: stop paging once we are past it.
        if since is not None and posts and posts[-1].published_at <= since:
            posts = [p for p in posts if p.published_at > since]
            next_cursor = None
        return PostsPage(posts=posts, next_cursor=next_cursor)

    @staticmethod
    def _post(item: dict) -> PostData:
        if not isinstance(item, dict) or not item.get("id"):
            raise UnexpectedReply(f"Meta gave Instagram media without an id: {str(item)[:200]}")
        return PostData(
            external_id=item["id"],
            published_at=_parse_time(item.get("timestamp")),
            text=item.get("caption", ""),
            permalink=item.get("permalink", ""),
            media_type=str(item.get("media_type", "")).lower(),
            likes=_count(item, "like_count"),  # absent when the owner hides like counts: unknown, not zero
            comments=_count(item, "comments_count"),
            shares=0,  # Instagram has no share count for media: nothing to add to the interactions
        )

    def publish(
        self, *, text: str, media_urls: Sequence[str] = (), attempt_id: str = "", media: Sequence[MediaSource] = ()
    ) -> PublishResult:
        """The container flow (Meta's content publishing docs): a container per photo or video (a reel when alone,
        carousel items when several, then the carousel's own), each video's awaited until FINISHED, then one
        media_publish. Containers are not posts: until media_publish nothing is public, whatever fails."""
        if not self.is_own or not self.own_account_id:
            raise PublishNotSupported("Instagram publishing needs the brand's own professional account.")
        if not media_urls:
            raise PublishNotSupported("Instagram posts need an image: add one before publishing.")
        items = _media_items(media_urls, media)
        if len(items) > MAX_CAROUSEL_ITEMS:
            raise Refused(f"Instagram takes at most {MAX_CAROUSEL_ITEMS} photos or videos in a post.")
        if len(items) == 1:
            creation_id = self._container(items[0], caption=text, alone=True)
        else:
            children = [self._container(item, carousel_item=True) for item in items]
            creation_id = self._container(None, caption=text, children=children)
        published = self._call(
            lambda: self.api.post_object(self.own_account_id, "media_publish", data={"creation_id": creation_id}),
            write=True,
        )
        if not published.get("id"):
            raise UnexpectedReply(
                f"Meta published but its reply has no id: {describe(self.api.session.last_response)}",
                may_have_happened=True,
            )
        try:
            permalink = self._call(lambda: self.api.get_object(published["id"], fields="permalink")).get(
                "permalink", ""
            )
        except ConnectorError as error:
            # The post is out: a failed look-up of its link must not turn a publish into a failure.
            log.warning("Instagram media %s published; its permalink could not be read: %s", published["id"], error)
            permalink = ""
        return PublishResult(external_id=published["id"], permalink=permalink or "")

    def comment(self, *, post_id: str, text: str) -> str:
        """POST /{ig-media-id}/comments with `message` (instagram_manage_comments), on the brand's own media."""
        if not self.is_own or not self.own_account_id:
            raise PublishNotSupported("Instagram comments need the brand's own professional account.")
        return _comment(self, post_id, text)

    def _container(self, item, *, caption: str = "", alone: bool = False, carousel_item: bool = False,
                   children: Sequence[str] = ()) -> str:  # fmt: skip
        """One container's id, once it is ready to publish (a video's is polled until FINISHED)."""
        if children:
            data = {"media_type": "CAROUSEL", "children": ",".join(children), "caption": caption}
        elif item.is_video:
            data = {"media_type": "REELS" if alone else "VIDEO", "video_url": item.url}
        else:
            data = {"image_url": item.url}
            if item.alt_text:
                data["alt_text"] = item.alt_text  # for photos, since March 2025
        if carousel_item:
            data["is_carousel_item"] = "true"
        elif not children:
            data["caption"] = caption
        container = self._call(lambda: self.api.post_object(self.own_account_id, "media", data=data))
        if not container.get("id"):
            raise UnexpectedReply(f"Meta created no container: {describe(self.api.session.last_response)}")
        if children or item.is_video:  # a photo is ready at once; a video, and a carousel, when Meta says so
            self._ready(container["id"])
        return container["id"]

    def _ready(self, container_id: str) -> None:
        """Poll a container's status_code (IN_PROGRESS, FINISHED, ERROR, EXPIRED, PUBLISHED) until it can be
        published, within CONTAINER_WAIT_SECONDS; a container still in progress then is a passing fault."""
        waited = 0.0
        while True:
            state = self._call(lambda: self.api.get_object(container_id, fields="status_code,status"))
            code = state.get("status_code")
            if code in ("FINISHED", "PUBLISHED"):
                return
            if code in ("ERROR", "EXPIRED"):
                raise Refused(f"Instagram could not prepare the media ({code}): {state.get('status') or 'no reason'}")
            poll = settings.INSTAGRAM_CONTAINER_POLL_SECONDS
            if waited + poll > CONTAINER_WAIT_SECONDS:
                raise TransientError(
                    f"Instagram was still preparing the media after {waited:.0f} s: tried again later."
                )
            time.sleep(poll)
            waited += poll

    def find_published(self, *, text: str, since: datetime, attempt_id: str = "") -> PublishResult | None:
        """The account's media with this caption posted since `since`, if Instagram shows one (matched exactly,
        after Unicode NFC and surrounding blanks)."""
        if not self.is_own or not self.own_account_id:
            raise LookupNotPossible("Only the brand's own Instagram account can be looked through.")
        wanted, start = _comparable(text), since - LOOKUP_MARGIN

        def find():
            fetch = lambda cursor: self._media_page(  # noqa: E731
                external_id=self.own_account_id, cursor=cursor, page_size=100, fields="id,caption,timestamp,permalink"
            )[0]
            for items in self._pages(fetch):
                recent = [item for item in items if _parse_time(item.get("timestamp")) >= start]
                for item in reversed(recent):
                    if _comparable(item.get("caption", "")) == wanted:
                        return PublishResult(external_id=item["id"], permalink=item.get("permalink", ""))
                if len(recent) < len(items):
                    return None  # newest first: the rest is older than the publish
            return None

        return _lookup(find)
