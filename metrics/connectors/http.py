"""The one choke point for outbound HTTP to the platforms: every request has a timeout."""

import requests
from django.conf import settings


class TimeoutSession(requests.Session):
    """A requests session that never waits forever (the client libraries set no timeout of their own)."""

    def __init__(self, timeout: float | None = None):
        super().__init__()
        self.timeout = timeout if timeout is not None else settings.PLATFORM_HTTP_TIMEOUT

    def request(self, method, url, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().request(method, url, **kwargs)


# Network failures that are worth retrying later with backoff.
TRANSIENT_HTTP_ERRORS = (requests.Timeout, requests.ConnectionError)
