"""The one choke point for outbound HTTP to the platforms: every request has a timeout, and every failure of the
network is classified here, in one place, for every connector."""

import math
import time
from urllib.parse import urlsplit, urlunsplit

import httpx
import requests
from django.conf import settings
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NameResolutionError, NewConnectionError

from .base import ConnectorError, RateLimited, Refused, TransientError, UnexpectedReply

# A rate limit whose reset is already past (the platform's clock and ours differ) or only seconds away still
# waits this long: asking again at once would only earn another 429.
MIN_RETRY_AFTER = 60


class TimeoutSession(requests.Session):
    """A requests session that never waits forever (the client libraries set no timeout of their own).

    It keeps the last response it received (`last_response`), so that a connector can classify a reply the client
    library could not read by its status. `base_url` sends every request to another address (a test's own server
    on loopback) with the same path and query.
    """

    def __init__(self, timeout: float | None = None, *, base_url: str | None = None):
        super().__init__()
        self.timeout = timeout if timeout is not None else settings.PLATFORM_HTTP_TIMEOUT
        self.base_url = base_url
        self.last_response: requests.Response | None = None

    def request(self, method, url, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        if self.base_url:
            base, target = urlsplit(self.base_url), urlsplit(url)
            url = urlunsplit((base.scheme, base.netloc, target.path, target.query, target.fragment))
        self.last_response = None
        response = super().request(method, url, **kwargs)
        self.last_response = response
        return response


def _never_sent(error: requests.RequestException) -> bool:
    """True when the request cannot have reached the platform: no connection was ever made (refused, no route,
    a name that does not resolve, a connect timeout, a TLS handshake that failed)."""
    if isinstance(error, (requests.ConnectTimeout, requests.exceptions.SSLError, requests.exceptions.ProxyError)):
        return True
    cause = error.args[0] if error.args else None
    if isinstance(cause, MaxRetryError):
        cause = cause.reason
    return isinstance(cause, (NewConnectionError, NameResolutionError, ConnectTimeoutError, ConnectionRefusedError))


def request_failure(error: requests.RequestException, *, platform: str, write: bool) -> TransientError:
    """A request that failed in the network. For a write (a publish), whether it may have reached the platform:
    a read timeout or a connection dropped after sending may have left a post behind; a connection that was
    never made cannot have."""
    if _never_sent(error):
        return TransientError(f"{platform} could not be reached: {error}", may_have_happened=False)
    what = "did not answer in time" if isinstance(error, requests.Timeout) else "dropped the connection"
    return TransientError(f"{platform} {what}: {error}", may_have_happened=write)


def httpx_failure(error: httpx.HTTPError, *, platform: str, write: bool) -> TransientError:
    """request_failure for a client library that speaks httpx (Bluesky's atproto): a connection never made (refused,
    no route, a name that does not resolve, a TLS handshake that failed: httpx's ConnectError; a connect or pool
    timeout) cannot have reached the platform; a read timeout or a dropped connection may have, on a write."""
    if isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError)):
        return TransientError(f"{platform} could not be reached: {error}", may_have_happened=False)
    what = "did not answer in time" if isinstance(error, httpx.TimeoutException) else "dropped the connection"
    return TransientError(f"{platform} {what}: {error}", may_have_happened=write)


def describe(response: requests.Response | httpx.Response | None) -> str:
    """A short, log-safe description of a reply, for error messages: its status and the kind of body."""
    if response is None:
        return "no reply"
    kind = (response.headers.get("Content-Type") or "no content type").split(";")[0]
    return f"HTTP {response.status_code} ({kind}, {len(response.content or b'')} bytes)"


def unreadable_reply(
    response: requests.Response | httpx.Response | None, *, platform: str, write: bool
) -> ConnectorError:
    """A reply the client library could not read (an HTML page from a gateway, a body that is not JSON, an
    unknown shape), classified by its status: a server or gateway failure is transient (and on a write, may have
    happened: the platform may have created the post before the gateway failed); a 200 we cannot read may be a
    changed API; a 4xx page is a refusal before anything happened."""
    status = response.status_code if response is not None else 0
    if status == 429:
        return rate_limited(f"{platform} answered 429 without a readable body", wait=None)
    if status >= 500 or status == 0:
        return TransientError(
            f"{platform} or a gateway in front of it failed: {describe(response)}", may_have_happened=write
        )
    if status >= 400:
        return Refused(f"{platform} refused the request with a page it does not usually send: {describe(response)}")
    return UnexpectedReply(
        f"{platform} answered in a shape the connector cannot read: {describe(response)}", may_have_happened=write
    )


def wait_seconds(seconds: float | None, *, default: float) -> int:
    """Seconds to wait before asking again: the platform's figure when it gives one, never less than
    MIN_RETRY_AFTER."""
    if seconds is None or not math.isfinite(seconds):
        seconds = default
    return max(MIN_RETRY_AFTER, math.ceil(seconds))


def seconds_until(epoch: float | None) -> float | None:
    return None if epoch is None else epoch - time.time()


DEFAULT_RATE_LIMIT_WAIT = 15 * 60  # X's windows are 15 minutes; Meta's usage is counted over a rolling hour


def rate_limited(message: str, *, wait: float | None, default: float = DEFAULT_RATE_LIMIT_WAIT) -> RateLimited:
    """A RateLimited whose retry_after is always sane: the platform's wait, else `default`, at least a minute."""
    return RateLimited(message, retry_after=wait_seconds(wait, default=default))
