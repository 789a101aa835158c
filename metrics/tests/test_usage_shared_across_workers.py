"""Usage and budget signals are remembered in Redis, where every worker process sees them.

A connector in this process meets a reply (replayed with `responses`) that says the token's usage is at its
limit; then a second process, a fresh Python interpreter with its own connector and nothing but the same Redis
and token, is asked to call the same platform. It must wait (RateLimited with the remaining time) without calling:
it has no network to the platform here, so a call would come out as a TransientError instead.
"""

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import responses
from django.conf import settings

from metrics.connectors.meta import FacebookPageConnector
from metrics.connectors.x import XConnector
from tests.markers import requires_redis

pytestmark = [requires_redis, pytest.mark.fault]

ROOT = Path(__file__).resolve().parents[2]
GRAPH = "https://graph.facebook.com/v24.0"
OTHER_WORKER = """
import json, django
django.setup()
from metrics.connectors.base import ConnectorError
from metrics.connectors.meta import FacebookPageConnector
from metrics.connectors.x import XConnector
connector = {kind}
try:
    connector.{call}
    print(json.dumps({{"outcome": "called"}}))
except ConnectorError as error:
    print(json.dumps({{"outcome": type(error).__name__, "retry_after": error.retry_after, "message": str(error)}}))
"""


@pytest.fixture
def shared_cache(settings):
    """The project's cache on the test Redis, under a key prefix of this test's own."""
    prefix = f"usage-test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield prefix
    from django.core.cache import cache

    cache.clear()


def other_worker(prefix: str, kind: str, call: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "smm.settings",
        "CACHE_URL": settings.REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "PLATFORM_HTTP_TIMEOUT": "2",
    }
    script = OTHER_WORKER.format(kind=kind, call=call)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@responses.activate
def test_meta_usage_at_its_limit_pauses_another_worker_until_meta_says(shared_cache):
    usage = {
        "102938475610293": [
            {
                "type": "pages",
                "call_count": 100,
                "total_cputime": 20,
                "total_time": 30,
                "estimated_time_to_regain_access": 12,
            }
        ]
    }
    responses.get(
        f"{GRAPH}/102938475610293/posts",
        headers={"X-Business-Use-Case-Usage": json.dumps(usage)},
        json={
            "data": [
                {
                    "id": "1_2",
                    "created_time": "2026-11-20T10:00:00+0000",
                    "comments": {"data": [], "summary": {"total_count": 1}},
                }
            ]
        },
    )
    page = FacebookPageConnector(token="shared-page-token", page_id="102938475610293")
    assert len(page.fetch_posts(external_id="102938475610293").posts) == 1  # the call that saw it succeeds

    seen = other_worker(
        shared_cache,
        'FacebookPageConnector(token="shared-page-token", page_id="102938475610293")',
        'fetch_posts(external_id="102938475610293")',
    )
    assert seen["outcome"] == "RateLimited", seen
    assert 12 * 60 - 30 <= seen["retry_after"] <= 12 * 60
    # Another token (another Page or app user) is not paused.
    other = other_worker(shared_cache, 'FacebookPageConnector(token="another-token")', 'fetch_profile(handle="p")')
    assert other["outcome"] == "TransientError", other


@responses.activate
def test_an_exhausted_x_window_holds_another_worker_until_its_reset(shared_cache):
    reset = int(time.time()) + 300
    responses.get(
        "https://api.twitter.com/2/users/by/username/acme",
        status=429,
        headers={"x-rate-limit-limit": "300", "x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)},
        json={"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429},
    )
    with pytest.raises(Exception, match="rate limit"):
        XConnector(token="shared-x-token").fetch_profile(handle="acme")

    seen = other_worker(shared_cache, 'XConnector(token="shared-x-token")', 'fetch_profile(handle="acme")')
    assert seen["outcome"] == "RateLimited", seen
    assert 270 <= seen["retry_after"] <= 301


@responses.activate
def test_a_429_whose_reset_is_already_past_still_holds_every_worker_a_minute(shared_cache):
    # The reset is X's clock; ours is ahead of it. Asking again at once would only earn another 429.
    responses.get(
        "https://api.twitter.com/2/users/by/username/acme",
        status=429,
        headers={"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(int(time.time()) - 120)},
        json={"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429},
    )
    with pytest.raises(Exception, match="rate limit"):
        XConnector(token="shared-x-token").fetch_profile(handle="acme")

    seen = other_worker(shared_cache, 'XConnector(token="shared-x-token")', 'fetch_profile(handle="acme")')
    assert seen["outcome"] == "RateLimited", seen
    assert 30 <= seen["retry_after"] <= 60
