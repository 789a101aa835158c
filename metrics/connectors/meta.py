"""Meta Graph API through python-facebook-api: Facebook Pages and Instagram professional accounts."""

from collections.abc import Sequence
from contextlib import contextmanager
from datetime import datetime
from urllib.parse import parse_qsl, urlparse

import pyfacebook

from .base import (
    AuthExpired,
    Connector,
    ConnectorError,
    HandleNotFound,
    NotAvailable,
    PostData,
    PostsPage,
    ProfileData,
    PublishNotSupported,
    PublishResult,
    RateLimited,
    TransientError,
)
from .http import TRANSIENT_HTTP_ERRORS, TimeoutSession

GRAPH_VERSION = "v24.0"
THROTTLING_CODES = {4, 17, 32, 613}  # app, user, page, custom rate limits
TOKEN_EXPIRED_CODE = 190
PERMISSION_CODES = {10, 200}
NOT_FOUND_CODES = {110, 803}  # unknown user (business discovery), alias does not exist
NO_ACCESS_CODE = 100  # other brands' Pages without Page Public Content Access
DEFAULT_THROTTLE_WAIT = 3600  # Meta's app usage is counted over a rolling hour
SLOW_DOWN_PERCENT = 95  # stop before Meta blocks us at 100 % of a usage header

FB_POST_FIELDS = (
    "id,message,created_time,permalink_url,status_type,shares,"
    "likes.summary(true).limit(0),comments.summary(true).limit(0)"
)
IG_MEDIA_FIELDS = "id,caption,timestamp,permalink,media_type,like_count,comments_count"


def _graph(token: str, timeout: float | None) -> pyfacebook.GraphAPI:
    # sleep_on_rate_limit would sleep inside the worker's task: we re-queue instead.
    api = pyfacebook.GraphAPI(access_token=token, version=GRAPH_VERSION, sleep_on_rate_limit=False)
    api.session = TimeoutSession(timeout)
    return api


def _parse_time(value: str) -> datetime:
    # Graph API times look like 2026-05-01T10:00:00+0000.
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")


def _next_cursor(data: dict) -> str | None:
    paging = data.get("paging") or {}
    if not paging.get("next"):
        return None
    return (paging.get("cursors") or {}).get("after") or dict(parse_qsl(urlparse(paging["next"]).query)).get("after")


class _MetaConnector(Connector):
    def __init__(self, *, token: str, timeout: float | None = None):
        self.api = _graph(token, timeout)

    @contextmanager
    def _translated_errors(self):
        try:
            yield
        except pyfacebook.FacebookError as error:
            raise _translate(error, self._regain_seconds()) from error
        except TRANSIENT_HTTP_ERRORS as error:
            raise TransientError(f"Meta did not answer: {error}") from error
        self._slow_down_if_near_limit()

    def _regain_seconds(self) -> int | None:
        """Meta's own estimate (X-Business-Use-Case-Usage, in minutes) of when access comes back."""
        minutes = [
            int(header.estimated_time_to_regain_access or 0)
            for types in self.api.rate_limit.resources["business"].values()
            for header in types.values()
        ]
        return max(minutes) * 60 if minutes and max(minutes) else None

    def _slow_down_if_near_limit(self):
        usage = [self.api.rate_limit.get_max_percent()] + [
            header.max_percent()
            for types in self.api.rate_limit.resources["business"].values()
            for header in types.values()
        ]
        if max(usage) >= SLOW_DOWN_PERCENT:
            raise RateLimited(
                f"Meta usage at {max(usage)} %: pausing", retry_after=self._regain_seconds() or DEFAULT_THROTTLE_WAIT
            )


def _translate(error: pyfacebook.FacebookError, regain: int | None) -> ConnectorError:
    code = getattr(error, "code", None)
    message = f"Meta error {code}: {getattr(error, 'message', error)}"
    if code in THROTTLING_CODES or (isinstance(code, int) and 80000 <= code < 80100):
        return RateLimited(message, retry_after=regain or DEFAULT_THROTTLE_WAIT)
    if code == TOKEN_EXPIRED_CODE or code in PERMISSION_CODES:
        return AuthExpired(message)
    if code in NOT_FOUND_CODES:
        return HandleNotFound(message)
    if code == NO_ACCESS_CODE:
        return NotAvailable(f"Not available through the API ({message})")
    if getattr(error, "is_transient", False) or code in {1, 2}:
        return TransientError(message)
    return ConnectorError(message)


class FacebookPageConnector(_MetaConnector):
    platform = "facebook"

    def __init__(self, *, token: str, timeout: float | None = None, page_id: str = ""):
        super().__init__(token=token, timeout=timeout)
        self.page_id = page_id

    def fetch_profile(self, *, handle: str, external_id: str = "") -> ProfileData:
        with self._translated_errors():
            data = self.api.get_object(external_id or handle, fields="id,name,username,followers_count,fan_count")
        return ProfileData(
            external_id=str(data["id"]),
            handle=data.get("username") or handle,
            display_name=data.get("name", ""),
            followers=data.get("followers_count", data.get("fan_count", 0)),
        )

    def fetch_posts(
        self, *, external_id: str, since: datetime | None = None, cursor: str | None = None, page_size: int = 100
    ) -> PostsPage:
        args = {"fields": FB_POST_FIELDS, "limit": page_size}
        if since is not None:
            args["since"] = int(since.timestamp())
        if cursor:
            args["after"] = cursor
        with self._translated_errors():
            data = self.api.get_connection(external_id, "posts", **args)
        posts = [
            PostData(
                external_id=item["id"],
                published_at=_parse_time(item["created_time"]),
                text=item.get("message", ""),
                permalink=item.get("permalink_url", ""),
                media_type=item.get("status_type", ""),
                likes=(item.get("likes") or {}).get("summary", {}).get("total_count", 0),
                comments=(item.get("comments") or {}).get("summary", {}).get("total_count", 0),
                shares=(item.get("shares") or {}).get("count", 0),  # absent when nobody shared
            )
            for item in data.get("data", [])
        ]
        return PostsPage(posts=posts, next_cursor=_next_cursor(data))

    def publish(self, *, text: str, media_urls: Sequence[str] = (), attempt_id: str = "") -> PublishResult:
        page_id = self.page_id
        if not page_id:
            raise PublishNotSupported("Pull this Page once before publishing to it.")
        payload = {"message": text}
        if media_urls:
            payload["link"] = media_urls[0]
        with self._translated_errors():
            data = self.api.post_object(page_id, "feed", data=payload)
        return PublishResult(external_id=data["id"], permalink=f"https://www.facebook.com/{data['id']}")


class InstagramConnector(_MetaConnector):
    """Own professional accounts directly; other brands through business discovery on our own account."""

    platform = "instagram"

    def __init__(self, *, token: str, timeout: float | None = None, own_account_id: str = "", is_own: bool = True):
        super().__init__(token=token, timeout=timeout)
        self.own_account_id = own_account_id
        self.is_own = is_own
        self.handle = ""

    def fetch_profile(self, *, handle: str, external_id: str = "") -> ProfileData:
        self.handle = handle.lstrip("@")
        fields = "id,username,name,followers_count,follows_count,media_count"
        with self._translated_errors():
            if self.is_own:
                data = self.api.get_object(external_id or self.own_account_id, fields=fields)
            else:
                data = self.api.get_object(
                    self.own_account_id, fields=f"business_discovery.username({self.handle}){{{fields}}}"
                ).get("business_discovery", {})
        if not data.get("id"):
            raise HandleNotFound(f"@{self.handle} is not an Instagram professional account.")
        return ProfileData(
            external_id=str(data["id"]),
            handle=data.get("username") or self.handle,
            display_name=data.get("name", ""),
            followers=data.get("followers_count", 0),
            following=data.get("follows_count"),
            posts_count=data.get("media_count"),
        )

    def fetch_posts(
        self, *, external_id: str, since: datetime | None = None, cursor: str | None = None, page_size: int = 100
    ) -> PostsPage:
        with self._translated_errors():
            if self.is_own:
                args = {"fields": IG_MEDIA_FIELDS, "limit": page_size}
                if cursor:
                    args["after"] = cursor
                data = self.api.get_connection(external_id, "media", **args)
            else:
                after = f".after({cursor})" if cursor else ""
                query = f"business_discovery.username({self.handle}){{media{after}.limit({page_size}){{{IG_MEDIA_FIELDS}}}}}"
                data = self.api.get_object(self.own_account_id, fields=query)
                data = data.get("business_discovery", {}).get("media", {})
        posts = [
            PostData(
                external_id=item["id"],
                published_at=_parse_time(item["timestamp"]),
                text=item.get("caption", ""),
                permalink=item.get("permalink", ""),
                media_type=item.get("media_type", "").lower(),
                likes=item.get("like_count", 0),  # hidden like counts come back absent
                comments=item.get("comments_count", 0),
            )
            for item in data.get("data", [])
        ]
        next_cursor = _next_cursor(data) if not self.is_own or (data.get("paging") or {}).get("next") else None
        # The media edge ignores `since`: stop paging once we are past it.
        if since is not None and posts and posts[-1].published_at <= since:
            posts = [p for p in posts if p.published_at > since]
            next_cursor = None
        return PostsPage(posts=posts, next_cursor=next_cursor)

    def publish(self, *, text: str, media_urls: Sequence[str] = (), attempt_id: str = "") -> PublishResult:
        if not self.is_own or not self.own_account_id:
            raise PublishNotSupported("Instagram publishing needs the brand's own professional account.")
        if not media_urls:
            raise PublishNotSupported("Instagram posts need an image: add one before publishing.")
        with self._translated_errors():
            container = self.api.post_object(
                self.own_account_id, "media", data={"image_url": media_urls[0], "caption": text}
            )
            published = self.api.post_object(
                self.own_account_id, "media_publish", data={"creation_id": container["id"]}
            )
            media = self.api.get_object(published["id"], fields="permalink")
        return PublishResult(external_id=published["id"], permalink=media.get("permalink", ""))
