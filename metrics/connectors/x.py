"""X (Twitter) through tweepy.Client on API v2, with an app bearer token (or a user token to publish)."""

import hashlib
import time
from collections.abc import Sequence
from contextlib import contextmanager
from datetime import datetime

import tweepy
from django.core.cache import cache

from .base import (
    AuthExpired,
    Connector,
    ConnectorError,
    HandleNotFound,
    PostData,
    PostsPage,
    ProfileData,
    PublishNotSupported,
    PublishResult,
    RateLimited,
    TransientError,
)
from .http import TRANSIENT_HTTP_ERRORS, TimeoutSession

PAGE_SIZE = 100  # the most X gives per page
# X answers 429 for the monthly usage cap too, usually with no useful reset: wait long, do not hammer it.
USAGE_CAP_WAIT = 6 * 3600
DEFAULT_RATE_LIMIT_WAIT = 15 * 60  # X's rate-limit windows are 15 minutes
# Problem types X sends in `errors` with HTTP 200 for handles we cannot read.
NOT_FOUND_PROBLEMS = ("resource-not-found", "not-authorized-for-resource")


class XConnector(Connector):
    platform = "x"

    def __init__(self, *, token: str, timeout: float | None = None):
        # Never wait_on_rate_limit in a worker: it sleeps inside the task. We raise RateLimited instead.
        self.client = tweepy.Client(bearer_token=token, wait_on_rate_limit=False)
        self.client.session = TimeoutSession(timeout)
        self.client.session.hooks["response"].append(self._remember_budget)
        self.handle = ""
        self._token_key = hashlib.sha256(token.encode()).hexdigest()[:16]
        self._endpoint = ""

    # X's limits are per token and endpoint, and every worker shares them: the budget lives in the
    # shared cache (Redis in production), so no worker calls an endpoint that another has exhausted.
    def _budget_key(self) -> str:
        return f"x-budget:{self._token_key}:{self._endpoint}"

    def _check_budget(self, endpoint: str) -> None:
        self._endpoint = endpoint
        reset = cache.get(self._budget_key())
        if reset and reset > time.time():
            raise RateLimited(
                f"X budget for {endpoint} used up until its reset", retry_after=int(reset - time.time()) + 1
            )

    def _remember_budget(self, response, *args, **kwargs):
        remaining, reset = response.headers.get("x-rate-limit-remaining"), response.headers.get("x-rate-limit-reset")
        if remaining == "0" and reset and reset.isdigit():
            cache.set(self._budget_key(), int(reset), timeout=max(1, int(reset) - int(time.time()) + 1))
        return response

    def fetch_profile(self, *, handle: str, external_id: str = "") -> ProfileData:
        self.handle = handle.lstrip("@")
        self._check_budget("users_by_username")
        with _translated_errors():
            response = self.client.get_user(username=self.handle, user_fields=["public_metrics", "protected"])
        user = _data_or_raise(response, self.handle)
        metrics = user.public_metrics or {}
        return ProfileData(
            external_id=str(user.id),
            handle=user.username or self.handle,
            display_name=user.name or "",
            followers=metrics.get("followers_count", 0),
            following=metrics.get("following_count"),
            posts_count=metrics.get("tweet_count"),
        )

    def fetch_posts(
        self, *, external_id: str, since: datetime | None = None, cursor: str | None = None, page_size: int = 100
    ) -> PostsPage:
        """One page of the user's posts, newest first (X reaches back 3,200 posts at most)."""
        self._check_budget("users_tweets")
        with _translated_errors():
            response = self.client.get_users_tweets(
                external_id,
                max_results=max(5, min(page_size, PAGE_SIZE)),
                pagination_token=cursor,
                start_time=since,
                tweet_fields=["created_at", "public_metrics", "attachments"],
                expansions=["attachments.media_keys"],
                media_fields=["type"],
            )
        if response.data is None and response.errors:
            _raise_for_errors(response.errors, self.handle or external_id)
        media_types = {m.media_key: m.type for m in response.includes.get("media", [])}
        posts = [_post(tweet, self.handle or "i", media_types) for tweet in response.data or []]
        return PostsPage(posts=posts, next_cursor=response.meta.get("next_token"))

    def publish(self, *, text: str, media_urls: Sequence[str] = (), attempt_id: str = "") -> PublishResult:
        if media_urls:
            raise PublishNotSupported("Posting images to X is not supported yet: publish the text, add media by hand.")
        # Needs an OAuth 2.0 user access token with tweet.write; an app bearer token is refused with 403.
        self._check_budget("create_tweet")
        with _translated_errors():
            response = self.client.create_tweet(text=text, user_auth=False)
        post_id = str(response.data["id"])
        return PublishResult(external_id=post_id, permalink=f"https://x.com/{self.handle or 'i'}/status/{post_id}")


def _post(tweet, handle: str, media_types: dict[str, str]) -> PostData:
    metrics = tweet.public_metrics or {}
    keys = (tweet.attachments or {}).get("media_keys", [])
    return PostData(
        external_id=str(tweet.id),
        published_at=tweet.created_at,
        text=tweet.text or "",
        permalink=f"https://x.com/{handle}/status/{tweet.id}",
        media_type=media_types.get(keys[0], "media") if keys else "text",
        likes=metrics.get("like_count", 0),
        comments=metrics.get("reply_count", 0),
        # Reposts and quotes both spread the post to other audiences.
        shares=metrics.get("retweet_count", 0) + metrics.get("quote_count", 0),
        views=metrics.get("impression_count"),
    )


def _data_or_raise(response, handle: str):
    if response.data is None:
        _raise_for_errors(response.errors, handle)
    return response.data


def _raise_for_errors(errors: list[dict], handle: str):
    """X answers HTTP 200 with an `errors` array for unknown, suspended or protected users."""
    for error in errors or [{}]:
        problem = error.get("type", "")
        detail = error.get("detail") or error.get("title") or "unknown error"
        if any(problem.endswith(p) for p in NOT_FOUND_PROBLEMS) or "suspended" in detail.lower():
            raise HandleNotFound(f"@{handle}: {detail}")
    raise ConnectorError(f"@{handle}: {detail}")


@contextmanager
def _translated_errors():
    """Turn tweepy's and requests' exceptions into the connector's own."""
    try:
        yield
    except tweepy.TooManyRequests as error:
        if "UsageCapExceeded" in str(error.api_errors) or "usage cap" in str(error).lower():
            raise RateLimited("X monthly usage cap reached", retry_after=USAGE_CAP_WAIT) from error
        wait = error.reset_time - int(time.time()) if error.reset_time else DEFAULT_RATE_LIMIT_WAIT
        raise RateLimited("X rate limit reached", retry_after=max(wait, 1)) from error
    except tweepy.Unauthorized as error:
        raise AuthExpired(f"X refused the token: {error}") from error
    except tweepy.Forbidden as error:
        # The token is valid but its access tier or scope does not allow this endpoint.
        raise AuthExpired(f"X refused access with this token: {error}") from error
    except tweepy.NotFound as error:
        raise HandleNotFound(str(error)) from error
    except tweepy.TwitterServerError as error:
        raise TransientError(f"X server error: {error}") from error
    except TRANSIENT_HTTP_ERRORS as error:
        raise TransientError(f"X did not answer: {error}") from error
    except tweepy.HTTPException as error:
        raise ConnectorError(f"X refused the request: {error}") from error
