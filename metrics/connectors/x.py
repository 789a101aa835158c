"""X (Twitter) through tweepy.Client on API v2, with an app bearer token (or a user token to publish).

Every call goes through `XConnector._call`: the shared budget is checked before it, and every way it can fail
(tweepy's errors, requests' errors, a body tweepy cannot read) becomes a classified ConnectorError there.
The replies are read by name, old and new: X's newest API spec renamed `retweet_count` to `repost_count` and
`tweet_count` to `post_count`, and a missing figure is None, never zero.
"""

import hashlib
import html
import logging
import re
import time
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

import requests
import tweepy
from django.core.cache import cache

from .base import (
    AuthExpired,
    Connector,
    DuplicatePost,
    HandleNotFound,
    InvalidHandle,
    LookupNotPossible,
    MediaSource,
    NotAvailable,
    PostData,
    PostsPage,
    ProfileData,
    PublishNotSupported,
    PublishResult,
    Refused,
    TransientError,
    UnexpectedReply,
)
from .http import (
    TimeoutSession,
    describe,
    rate_limited,
    request_failure,
    seconds_until,
    unreadable_reply,
)

log = logging.getLogger(__name__)
# X's newest spec names a post's edit history edit_history_post_ids; tweepy 4.17 still looks for the old name and
# warns on every post. The connector reads neither.
warnings.filterwarnings("ignore", message="Tweet data missing default edit_history_tweet_ids", category=RuntimeWarning)

PAGE_SIZE = 100  # the most X gives per page
REACHABLE_POSTS = 3200  # X's user timeline reaches back this far, however many posts the user has
# X answers 429 for the monthly usage cap too, usually with no useful reset: wait hours, do not hammer it.
USAGE_CAP_WAIT = 6 * 3600
# Headers that each carry a window's remaining calls and its reset (epoch seconds): the 15-minute window, and
# the 24-hour caps on creating posts.
BUDGET_HEADERS = (
    ("x-rate-limit-remaining", "x-rate-limit-reset"),
    ("x-app-limit-24hour-remaining", "x-app-limit-24hour-reset"),
    ("x-user-limit-24hour-remaining", "x-user-limit-24hour-reset"),
)
# The same figure under each name X has given it, newest first.
FOLLOWERS = ("followers_count",)
FOLLOWING = ("following_count",)
POSTS_COUNT = ("post_count", "tweet_count")
LIKES = ("like_count",)
REPLIES = ("reply_count",)
REPOSTS = ("repost_count", "retweet_count")
QUOTES = ("quote_count",)
VIEWS = ("impression_count",)
# A lookup after an unanswered publish reads the user's posts since then; clocks differ by a little.
LOOKUP_MARGIN = timedelta(minutes=5)
LOOKUP_PAGES = 5
URL = re.compile(r"https?://\S+")
# Media upload (X API v2 OpenAPI spec 2.167: MediaUploadRequest, InitializeMediaUploadRequest, processing_info): a
# photo goes in one call, a video or an animated GIF in chunks (segment_index 0-999), then X processes it.
MEDIA_HOST = "https://api.twitter.com"
MEDIA_CATEGORIES = {
    "image/jpeg": "tweet_image", "image/png": "tweet_image", "image/webp": "tweet_image",
    "image/gif": "tweet_gif", "video/mp4": "tweet_video", "video/quicktime": "tweet_video",
}  # fmt: skip
UPLOAD_CHUNK_BYTES = 4 * 1024 * 1024
MAX_PROCESSING_POLL_SECONDS = 10.0
MAX_PROCESSING_WAIT_SECONDS = 90.0


class XConnector(Connector):
    platform = "x"
    max_reachable_posts = REACHABLE_POSTS

    def __init__(self, *, token: str, timeout: float | None = None, base_url: str | None = None):
        # Never wait_on_rate_limit in a worker: it sleeps inside the task. We raise RateLimited instead.
        self.client = tweepy.Client(bearer_token=token, wait_on_rate_limit=False)
        self.session = TimeoutSession(timeout, base_url=base_url)
        self.client.session = self.session
        self.session.hooks["response"].append(self._remember_budget)
        self.handle = ""
        self._token_key = hashlib.sha256(token.encode()).hexdigest()[:16]
        self._endpoint = ""

    # X's limits are per token and endpoint, and every worker shares them: the budget lives in the shared cache
    # (Redis in production), so no worker calls an endpoint that another has exhausted. The key holds the time
    # (epoch seconds) before which nobody calls; `*` stands for every endpoint (the monthly usage cap).
    def _budget_key(self, endpoint: str) -> str:
        return f"x-budget:{self._token_key}:{endpoint}"

    def _block(self, endpoint: str, until: float) -> None:
        cache.set(self._budget_key(endpoint), until, timeout=max(1, int(until - time.time()) + 1))

    def _check_budget(self, endpoint: str) -> None:
        self._endpoint = endpoint
        for key in (endpoint, "*"):
            wait = seconds_until(cache.get(self._budget_key(key)))
            if wait is not None and wait > 0:
                raise rate_limited(f"X budget for {endpoint} used up until its reset", wait=wait)

    def _remember_budget(self, response, *args, **kwargs):
        """After every reply, success or not: a window with nothing left blocks that endpoint until its reset."""
        for remaining, reset in BUDGET_HEADERS:
            left, at = response.headers.get(remaining), response.headers.get(reset)
            if left == "0" and at and at.isdigit() and int(at) > time.time():
                self._block(self._endpoint, int(at))
        return response

    def _call(self, endpoint: str, request: Callable, *, write: bool = False):
        """Call X through tweepy; every failure comes out as a classified ConnectorError. `write`: the call
        creates something, so a failure after sending may have happened."""
        self._check_budget(endpoint)
        try:
            return request()
        except tweepy.TooManyRequests as error:
            raise self._rate_limited(error) from error
        except tweepy.Unauthorized as error:
            raise AuthExpired(f"X refused the token: {_detail(error)}") from error
        except tweepy.Forbidden as error:
            if "deleted or not visible" in _detail(error).lower():
                # A reply (a first comment) to a post that is gone: the token is fine, this call cannot be made.
                raise Refused(f"X refused the reply: {_detail(error)}") from error
            if "duplicate content" in _detail(error).lower():
                # X keeps one post per text: the post this publish meant to create is already there.
                raise DuplicatePost(f"X refused a duplicate: {_detail(error)}", may_have_happened=True) from error
            # The token is valid but its access tier, scope or kind (app-only) does not allow this endpoint.
            raise AuthExpired(f"X refused access with this token: {_detail(error)}") from error
        except tweepy.BadRequest as error:
            if endpoint == "users_by_username" and _about_username(error):
                raise InvalidHandle(f"@{self.handle} cannot be an X username: {_detail(error)}") from error
            raise Refused(f"X refused the request: {_detail(error)}") from error
        except tweepy.NotFound as error:
            raise HandleNotFound(f"@{self.handle}: {_detail(error)}") from error
        except tweepy.TwitterServerError as error:
            raise TransientError(f"X server error: {_detail(error)}", may_have_happened=write) from error
        except tweepy.HTTPException as error:
            raise Refused(f"X refused the request: {_detail(error)}") from error
        except requests.JSONDecodeError as error:
            # Raised by tweepy reading a 2xx body that is not JSON (a proxy's page): X may have done it.
            raise unreadable_reply(self.session.last_response, platform="X", write=write) from error
        except requests.RequestException as error:
            raise request_failure(error, platform="X", write=write) from error
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            # tweepy met a shape it does not expect (a list for an object, a missing id, a reset header that is
            # not a number): classified by the reply's status.
            raise unreadable_reply(self.session.last_response, platform="X", write=write) from error

    def _rate_limited(self, error: tweepy.TooManyRequests):
        body = _json(error.response)
        problem = f"{body.get('title', '')} {body.get('type', '')} {body.get('detail', '')}".lower()
        if "usagecap" in problem or "usage-capped" in problem or "usage cap" in problem:
            self._block("*", time.time() + USAGE_CAP_WAIT)
            return rate_limited(
                f"X usage cap reached ({body.get('period') or 'monthly'}): {body.get('detail', '')}".strip(),
                wait=USAGE_CAP_WAIT,
            )
        resets = [
            int(error.response.headers[reset])
            for remaining, reset in BUDGET_HEADERS
            if error.response.headers.get(remaining) == "0" and (error.response.headers.get(reset) or "").isdigit()
        ] or ([error.reset_time] if error.reset_time else [])
        limited = rate_limited("X rate limit reached", wait=seconds_until(max(resets)) if resets else None)
        self._block(self._endpoint, time.time() + limited.retry_after)
        return limited

    def fetch_profile(self, *, handle: str, external_id: str = "") -> ProfileData:
        self.handle = handle.lstrip("@")
        response = self._call(
            "users_by_username",
            lambda: self.client.get_user(username=self.handle, user_fields=["public_metrics", "protected"]),
        )
        user = _data_or_raise(response, self.handle)
        metrics = user.public_metrics if isinstance(user.public_metrics, dict) else {}
        followers = _figure(metrics, FOLLOWERS)
        if followers is None:
            raise UnexpectedReply(f"@{self.handle}: X's profile reply carries no follower count ({sorted(metrics)})")
        return ProfileData(
            external_id=str(user.id),
            handle=user.username or self.handle,
            display_name=user.name or "",
            followers=followers,
            following=_figure(metrics, FOLLOWING),
            posts_count=_figure(metrics, POSTS_COUNT),
        )

    def fetch_posts(
        self, *, external_id: str, since: datetime | None = None, cursor: str | None = None, page_size: int = 100
    ) -> PostsPage:
        """One page of the user's posts, newest first (X reaches back 3,200 posts at most)."""
        response = self._call(
            "users_tweets",
            lambda: self.client.get_users_tweets(
                external_id,
                max_results=max(5, min(page_size, PAGE_SIZE)),
                pagination_token=cursor,
                start_time=since,
                tweet_fields=["created_at", "public_metrics", "attachments"],
                expansions=["attachments.media_keys"],
                media_fields=["type"],
            ),
        )
        if response.data is None and response.errors:
            _raise_for_problems(response.errors, self.handle or external_id)
        media_types = {m.media_key: m.type for m in response.includes.get("media", [])}
        posts = [_post(tweet, self.handle or "i", media_types) for tweet in response.data or []]
        _check_figures(posts, self.handle or external_id)
        next_cursor = response.meta.get("next_token")
        if next_cursor and next_cursor == cursor:
            # Asking again with the same token can only return this page again: there is nothing further to
            # reach, so this is the last page (the pull keeps what it has instead of looping or failing).
            log.warning("X gave back the pagination token it was asked with (%s): treated as the last page", cursor)
            next_cursor = None
        return PostsPage(posts=posts, next_cursor=next_cursor)

    def publish(
        self, *, text: str, media_urls: Sequence[str] = (), attempt_id: str = "", media: Sequence[MediaSource] = ()
    ) -> PublishResult:
        """The post, with its media uploaded first (X takes the files, not addresses): nothing is public until the
        post is created, so a failed upload is a definite refusal, retried or failed, never looked up."""
        if len(media_urls) > len(media):
            raise PublishNotSupported(
                "X takes a post's media as files: put the photos typed as addresses in the media library."
            )
        media_ids = [self._upload(item) for item in media]
        # Needs an OAuth 2.0 user access token with tweet.write (and media.write for media); an app bearer token is
        # refused with 403.
        response = self._call(
            "create_tweet",
            lambda: self.client.create_tweet(text=text, media_ids=media_ids or None, user_auth=False),
            write=True,
        )
        post_id = str((response.data or {}).get("id") or "")
        if not post_id:
            raise UnexpectedReply(
                f"X accepted the post but its reply has no id: {describe(self.session.last_response)}",
                may_have_happened=True,
            )
        return PublishResult(external_id=post_id, permalink=f"https://x.com/{self.handle or 'i'}/status/{post_id}")

    # ---- media upload (X API v2: POST /2/media/upload, or initialize / append / finalize for a video) ----------

    def _media(self, method: str, route: str, **kwargs) -> dict:
        """One call to X's media endpoints, which tweepy 4.17 does not wrap: its errors raised as tweepy's own, so
        `_call` classifies them as every other call's."""
        headers = {"Authorization": f"Bearer {self.client.bearer_token}", "User-Agent": self.client.user_agent}
        response = self.session.request(method, MEDIA_HOST + route, headers=headers, **kwargs)
        if response.status_code == 400:
            raise tweepy.BadRequest(response)
        if response.status_code == 401:
            raise tweepy.Unauthorized(response)
        if response.status_code == 403:
            raise tweepy.Forbidden(response)
        if response.status_code == 404:
            raise tweepy.NotFound(response)
        if response.status_code == 429:
            reset = response.headers.get("x-rate-limit-reset", "")
            raise tweepy.TooManyRequests(response, reset_time=int(reset) if reset.isdigit() else None)
        if response.status_code >= 500:
            raise tweepy.TwitterServerError(response)
        if not 200 <= response.status_code < 300:
            raise tweepy.HTTPException(response)
        return response.json().get("data") if response.content else {}

    def _upload(self, item: MediaSource) -> str:
        """The media id of one file, with its alt text (POST /2/media/metadata, at most 1,000 characters)."""
        media_id = self._upload_file(item)
        if item.alt_text:
            metadata = {"id": media_id, "metadata": {"alt_text": {"text": item.alt_text[:1000]}}}
            self._call("media_metadata", lambda: self._media("POST", "/2/media/metadata", json=metadata))
        return media_id

    def _upload_file(self, item: MediaSource) -> str:
        """The media id of one file: a photo in one call; a video or GIF in chunks, then its processing awaited."""
        category = MEDIA_CATEGORIES.get(item.content_type)
        if category is None:
            raise Refused(f"{item.name}: X does not take {item.content_type} files.")
        if category == "tweet_image":
            with item.open() as data:
                files = {"media": (item.name, data, item.content_type)}
                answer = self._call(
                    "media_upload",
                    lambda: self._media("POST", "/2/media/upload", files=files, data={"media_category": category}),
                )
            return self._media_id(answer, item)
        started = self._call(
            "media_upload",
            lambda: self._media(
                "POST",
                "/2/media/upload/initialize",
                json={"media_type": item.content_type, "total_bytes": item.size, "media_category": category},
            ),
        )
        media_id = self._media_id(started, item)
        with item.open() as data:
            for index, chunk in enumerate(iter(lambda: data.read(UPLOAD_CHUNK_BYTES), b"")):
                self._call(
                    "media_upload",
                    lambda chunk=chunk, index=index: self._media(
                        "POST",
                        f"/2/media/upload/{media_id}/append",
                        files={"media": (item.name, chunk, "application/octet-stream")},
                        data={"segment_index": str(index)},
                    ),
                )
        done = self._call("media_upload", lambda: self._media("POST", f"/2/media/upload/{media_id}/finalize"))
        self._processed(media_id, done.get("processing_info"), item)
        return media_id

    def _processed(self, media_id: str, info: dict | None, item: MediaSource) -> None:
        """Wait for X to process an uploaded video (`processing_info`), as long as it asks and within a bound."""
        waited = 0.0
        while info and info.get("state") in ("pending", "in_progress"):
            wait = min(max(float(info.get("check_after_secs") or 1), 1.0), MAX_PROCESSING_POLL_SECONDS)
            if waited + wait > MAX_PROCESSING_WAIT_SECONDS:
                raise TransientError(f"{item.name}: X was still processing the video after {waited:.0f} s.")
            time.sleep(wait)
            waited += wait
            status = self._call(
                "media_upload",
                lambda: self._media("GET", "/2/media/upload", params={"command": "STATUS", "media_id": media_id}),
            )
            info = status.get("processing_info")
        if info and info.get("state") == "failed":
            raise Refused(
                f"{item.name}: X could not process this video (its format, length or size): check it against X's "
                "limits and upload it again."
            )

    def _media_id(self, data: dict | None, item: MediaSource) -> str:
        media_id = str((data or {}).get("id") or "")
        if not media_id:
            raise UnexpectedReply(
                f"{item.name}: X's upload reply has no media id: {describe(self.session.last_response)}"
            )
        return media_id

    def comment(self, *, post_id: str, text: str) -> str:
        """A first comment on X is a reply to the post (POST /2/tweets with reply.in_reply_to_tweet_id)."""
        response = self._call(
            "create_tweet",
            lambda: self.client.create_tweet(text=text, in_reply_to_tweet_id=post_id, user_auth=False),
            write=True,
        )
        reply_id = str((response.data or {}).get("id") or "")
        if not reply_id:
            raise UnexpectedReply(
                f"X accepted the reply but its answer has no id: {describe(self.session.last_response)}",
                may_have_happened=True,
            )
        return reply_id

    def find_published(self, *, text: str, since: datetime, attempt_id: str = "") -> PublishResult | None:
        """The user's post with this text created since `since`, if X shows one.

        X stores no attempt id, so the text is matched: after X's normalisation (HTML entities such as &amp;
        unescaped, Unicode NFC, line ends and surrounding blanks), with each t.co link compared by the address
        it expands to (a trailing slash aside). X refuses a second post with the same text, so a match is ours.
        """
        try:
            me = self._call("users_me", lambda: self.client.get_me(user_auth=False, user_fields=["username"]))
        except (AuthExpired, Refused, HandleNotFound) as error:
            raise LookupNotPossible(f"X cannot tell which posts are this connection's: {error}") from error
        if me.data is None:
            raise LookupNotPossible("X did not say whose token this is.")
        wanted, cursor = _comparable(text), None
        for _ in range(LOOKUP_PAGES):
            response = self._call(
                "users_tweets",
                lambda cursor=cursor: self.client.get_users_tweets(
                    me.data.id,
                    max_results=PAGE_SIZE,
                    pagination_token=cursor,
                    start_time=since - LOOKUP_MARGIN,
                    tweet_fields=["created_at", "entities", "note_tweet"],
                ),
            )
            if response.data is None and response.errors:
                _raise_for_problems(response.errors, me.data.username or str(me.data.id))
            # Newest first: the oldest match is the one this publish created.
            for tweet in reversed(response.data or []):
                if _comparable(_expanded_text(tweet)) == wanted:
                    handle = me.data.username or "i"
                    return PublishResult(
                        external_id=str(tweet.id), permalink=f"https://x.com/{handle}/status/{tweet.id}"
                    )
            cursor = response.meta.get("next_token")
            if not cursor:
                return None
        raise LookupNotPossible(f"More than {LOOKUP_PAGES * PAGE_SIZE} posts since {since:%Y-%m-%d %H:%M}: check on X.")


def _figure(metrics: dict, names: tuple[str, ...]) -> int | None:
    """The figure under the first of its names that the reply carries, else None (never a silent zero)."""
    for name in names:
        value = metrics.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def _sum(*figures: int | None) -> int | None:
    present = [f for f in figures if f is not None]
    return sum(present) if present else None


def _post(tweet, handle: str, media_types: dict[str, str]) -> PostData:
    if tweet.created_at is None:
        raise UnexpectedReply(f"X gave post {tweet.id} without created_at")
    metrics = tweet.public_metrics if isinstance(tweet.public_metrics, dict) else {}
    keys = (tweet.attachments or {}).get("media_keys", [])
    return PostData(
        external_id=str(tweet.id),
        published_at=tweet.created_at,
        text=tweet.text or "",
        permalink=f"https://x.com/{handle}/status/{tweet.id}",
        media_type=media_types.get(keys[0], "media") if keys else "text",
        likes=_figure(metrics, LIKES),
        comments=_figure(metrics, REPLIES),
        # Reposts and quotes both spread the post to other audiences.
        shares=_sum(_figure(metrics, REPOSTS), _figure(metrics, QUOTES)),
        views=_figure(metrics, VIEWS),
    )


def _check_figures(posts: list[PostData], who: str) -> None:
    """Posts none of which carries a single engagement figure mean the reply's shape changed: say so rather than
    store a page of blanks."""
    if posts and all(p.likes is None and p.comments is None and p.shares is None for p in posts):
        raise UnexpectedReply(f"@{who}: X gave {len(posts)} posts without any engagement figure (public_metrics)")


def _data_or_raise(response, handle: str):
    if response.data is None:
        _raise_for_problems(response.errors, handle)
    return response.data


def _raise_for_problems(errors: list, handle: str):
    """X answers HTTP 200 with an `errors` array (and no data) for unknown, suspended or protected users."""
    detail = "no data and no error"
    for error in errors or []:
        if not isinstance(error, dict):
            continue
        problem = str(error.get("type", ""))
        detail = str(error.get("detail") or error.get("title") or error.get("message") or "unknown error")
        if problem.endswith("/resource-not-found") or "suspended" in detail.lower():
            raise HandleNotFound(f"@{handle}: {detail}")
        if problem.endswith("/not-authorized-for-resource"):
            raise HandleNotFound(f"@{handle} is protected: {detail}")
        if problem.endswith("/resource-unavailable"):
            raise NotAvailable(f"@{handle}: {detail}")
    raise UnexpectedReply(f"@{handle}: X answered without data: {detail}")


def _json(response) -> dict:
    try:
        body = response.json()
    except (ValueError, AttributeError):
        return {}
    return body if isinstance(body, dict) else {}


def _detail(error: tweepy.HTTPException) -> str:
    """X's own words for a refusal: the problem's detail, else tweepy's summary."""
    body = _json(error.response)
    messages = [e.get("message") for e in body.get("errors", []) if isinstance(e, dict) and e.get("message")]
    return "; ".join(messages) or str(body.get("detail") or body.get("title") or "") or str(error)


def _about_username(error: tweepy.BadRequest) -> bool:
    body = _json(error.response)
    for problem in body.get("errors", []):
        if isinstance(problem, dict) and (
            "username" in (problem.get("parameters") or {}) or "username" in str(problem.get("message", ""))
        ):
            return True
    return False


def _expanded_text(tweet) -> str:
    """The post's whole text (a post longer than 280 characters comes cut short in `text`, whole in
    `note_tweet`) with each t.co link replaced by the address it stands for."""
    note = tweet.data.get("note_tweet") if isinstance(tweet.data.get("note_tweet"), dict) else {}
    text, entities = (note["text"], note.get("entities")) if note.get("text") else (tweet.text or "", tweet.entities)
    for link in (entities or {}).get("urls", []):
        if link.get("url") and (link.get("unwound_url") or link.get("expanded_url")):
            text = text.replace(link["url"], link.get("unwound_url") or link["expanded_url"])
    return text


def _comparable(text: str) -> str:
    text = unicodedata.normalize("NFC", html.unescape(text)).replace("\r\n", "\n").strip()
    return URL.sub(lambda m: m.group(0).rstrip("/"), text)
