"""The X connector against replies in the shapes X API v2 documents, through tweepy with HTTP intercepted."""

import re
import time
from datetime import UTC, datetime

import pytest
import requests
import responses

from metrics.connectors.base import AuthExpired, HandleNotFound, LookupNotPossible, RateLimited, TransientError
from metrics.connectors.x import XConnector

API = "https://api.twitter.com/2"
USER = {
    "data": {
        "id": "2244994945",
        "name": "Acme",
        "username": "acme",
        "protected": False,
        "public_metrics": {"followers_count": 5120, "following_count": 310, "tweet_count": 842, "listed_count": 12},
    }
}


def tweet(n, **metrics):
    figures = {"retweet_count": 2, "reply_count": 3, "like_count": 40, "quote_count": 1, "bookmark_count": 0}
    figures.update(metrics)
    return {
        "id": str(1000 + n),
        "text": f"Post {n}",
        "created_at": "2026-11-20T10:00:00.000Z",
        "edit_history_tweet_ids": [str(1000 + n)],
        "public_metrics": figures,
    }


@pytest.fixture
def x():
    return XConnector(token="bearer-token", timeout=5)


@responses.activate
def test_profile_figures_come_from_public_metrics(x):
    responses.get(f"{API}/users/by/username/acme", json=USER)
    profile = x.fetch_profile(handle="@acme")
    assert (profile.external_id, profile.followers, profile.following, profile.posts_count) == (
        "2244994945",
        5120,
        310,
        842,
    )
    assert "public_metrics" in responses.calls[0].request.params["user.fields"]
    assert responses.calls[0].request.req_kwargs["timeout"] == 5  # outbound HTTP never waits forever


@responses.activate
def test_posts_follow_pagination_until_there_is_no_next_token(x):
    responses.get(
        re.compile(f"{API}/users/2244994945/tweets.*"),
        json={"data": [tweet(1), tweet(2, impression_count=900)], "meta": {"result_count": 2, "next_token": "p2"}},
    )
    responses.get(
        re.compile(f"{API}/users/2244994945/tweets.*"),
        json={"data": [tweet(3)], "meta": {"result_count": 1}},
    )
    first = x.fetch_posts(external_id="2244994945")
    second = x.fetch_posts(external_id="2244994945", cursor=first.next_cursor)
    assert first.next_cursor == "p2" and second.next_cursor is None
    assert responses.calls[1].request.params["pagination_token"] == "p2"
    post = first.posts[1]
    # Reposts and quotes count as shares; impressions as views when X gives them.
    assert (post.likes, post.comments, post.shares, post.views) == (40, 3, 3, 900)
    assert first.posts[0].views is None
    assert post.published_at.year == 2026


@responses.activate
def test_an_empty_timeline_is_an_empty_last_page(x):
    responses.get(re.compile(f"{API}/users/1/tweets.*"), json={"meta": {"result_count": 0}})
    page = x.fetch_posts(external_id="1")
    assert page.posts == [] and page.next_cursor is None


@responses.activate
def test_rate_limit_waits_until_the_reset_time_x_gives(x):
    reset = int(time.time()) + 600
    responses.get(
        f"{API}/users/by/username/acme",
        status=429,
        headers={"x-rate-limit-limit": "300", "x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)},
        json={"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429},
    )
    with pytest.raises(RateLimited) as caught:
        x.fetch_profile(handle="acme")
    assert 590 <= caught.value.retry_after <= 600


@responses.activate
def test_monthly_usage_cap_waits_hours_not_seconds(x):
    responses.get(
        f"{API}/users/by/username/acme",
        status=429,
        json={
            "title": "UsageCapExceeded",
            "detail": "Usage cap exceeded: Monthly product cap",
            "type": "https://api.twitter.com/2/problems/usage-capped",
        },
    )
    with pytest.raises(RateLimited) as caught:
        x.fetch_profile(handle="acme")
    assert caught.value.retry_after >= 3600


@responses.activate
def test_an_expired_or_revoked_token_needs_attention(x):
    responses.get(
        f"{API}/users/by/username/acme",
        status=401,
        json={"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"},
    )
    with pytest.raises(AuthExpired):
        x.fetch_profile(handle="acme")


@responses.activate
def test_an_unknown_user_answered_with_200_and_errors_is_not_found(x):
    responses.get(
        f"{API}/users/by/username/nobody_here",
        json={
            "errors": [
                {
                    "value": "nobody_here",
                    "detail": "Could not find user with username: [nobody_here].",
                    "title": "Not Found Error",
                    "resource_type": "user",
                    "parameter": "username",
                    "resource_id": "nobody_here",
                    "type": "https://api.twitter.com/2/problems/resource-not-found",
                }
            ]
        },
    )
    with pytest.raises(HandleNotFound, match="Could not find user"):
        x.fetch_profile(handle="nobody_here")


@responses.activate
def test_a_suspended_user_is_not_found(x):
    responses.get(
        f"{API}/users/by/username/gone",
        json={
            "errors": [
                {
                    "detail": "User has been suspended: [gone].",
                    "title": "Forbidden",
                    "type": "https://api.twitter.com/2/problems/resource-not-found",
                }
            ]
        },
    )
    with pytest.raises(HandleNotFound):
        x.fetch_profile(handle="gone")


@responses.activate
def test_missing_metrics_are_unknown_not_zero(x):
    bare = tweet(1)
    bare["public_metrics"] = {"like_count": 5}
    responses.get(re.compile(f"{API}/users/1/tweets.*"), json={"data": [bare], "meta": {"result_count": 1}})
    post = x.fetch_posts(external_id="1").posts[0]
    # A figure X did not send is unknown (None), not zero: a zero would be stored as a real count.
    assert (post.likes, post.comments, post.shares, post.views) == (5, None, None, None)


@responses.activate
def test_timeouts_are_transient_and_every_request_has_one(x):
    responses.get(f"{API}/users/by/username/acme", body=requests.Timeout("read timed out"))
    with pytest.raises(TransientError):
        x.fetch_profile(handle="acme")
    assert x.client.session.timeout == 5


@responses.activate
def test_server_errors_are_transient(x):
    responses.get(f"{API}/users/by/username/acme", status=503, json={"title": "Service Unavailable"})
    with pytest.raises(TransientError):
        x.fetch_profile(handle="acme")


@responses.activate
def test_an_exhausted_budget_is_shared_so_no_worker_calls_before_the_reset():
    reset = int(time.time()) + 300
    responses.get(
        f"{API}/users/by/username/acme",
        json=USER,
        headers={"x-rate-limit-limit": "300", "x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)},
    )
    XConnector(token="shared-token").fetch_profile(handle="acme")
    # Another connector with the same token (another worker) waits without calling X.
    with pytest.raises(RateLimited) as caught:
        XConnector(token="shared-token").fetch_profile(handle="acme")
    assert 290 <= caught.value.retry_after <= 301
    assert len(responses.calls) == 1
    # Other endpoints keep their own budget.
    responses.get(re.compile(f"{API}/users/1/tweets.*"), json={"meta": {"result_count": 0}})
    XConnector(token="shared-token").fetch_posts(external_id="1")


def test_only_the_newest_3200_posts_are_reachable(x):
    # Backfill progress compares with this, not with the profile's post count.
    assert x.max_reachable_posts == 3200


def _me():
    return {"data": {"id": "1072250532645998596", "name": "Acme", "username": "acme"}}


@responses.activate
def test_find_published_pages_back_and_compares_links_by_their_address(x):
    since = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    responses.get(f"{API}/users/me", json=_me())
    timeline = re.compile(f"{API}/users/1072250532645998596/tweets.*")
    responses.get(timeline, json={"data": [tweet(9)], "meta": {"result_count": 1, "next_token": "p2"}})
    ours = {
        "id": "1861",
        "text": "Read it &lt;here&gt;: https://t.co/Zz9",
        "created_at": "2026-11-20T10:00:03.000Z",
        "edit_history_tweet_ids": ["1861"],
        "entities": {
            "urls": [{"start": 18, "end": 39, "url": "https://t.co/Zz9", "expanded_url": "https://acme.example/r/"}]
        },
    }
    responses.get(timeline, json={"data": [ours], "meta": {"result_count": 1}})
    found = x.find_published(text="Read it <here>: https://acme.example/r", since=since)
    assert found is not None and found.external_id == "1861"
    assert responses.calls[2].request.params["pagination_token"] == "p2"
    # Asked from a little before the attempt: clocks differ.
    assert responses.calls[1].request.params["start_time"] == "2026-11-20T09:55:00Z"


@responses.activate
def test_find_published_does_not_match_another_text(x):
    responses.get(f"{API}/users/me", json=_me())
    responses.get(
        re.compile(f"{API}/users/1072250532645998596/tweets.*"),
        json={"data": [tweet(1)], "meta": {"result_count": 1}},
    )
    assert x.find_published(text="Post 1 from elsewhere", since=datetime(2026, 11, 20, tzinfo=UTC)) is None


@responses.activate
def test_find_published_gives_up_plainly_after_a_bounded_number_of_pages(x):
    responses.get(f"{API}/users/me", json=_me())
    responses.get(
        re.compile(f"{API}/users/1072250532645998596/tweets.*"),
        json={"data": [tweet(1)], "meta": {"result_count": 1, "next_token": "more"}},
    )
    responses.get(
        re.compile(f"{API}/users/1072250532645998596/tweets.*"),
        json={"data": [tweet(2)], "meta": {"result_count": 1, "next_token": "evenmore"}},
    )
    with pytest.raises(LookupNotPossible):
        x.find_published(text="not there", since=datetime(2026, 11, 20, tzinfo=UTC))
    assert len(responses.calls) == 1 + 5


@responses.activate
def test_find_published_reads_a_long_post_whole_from_note_tweet(x):
    long_text = "A long announcement. " * 20  # over 280 characters: X cuts `text` short
    responses.get(f"{API}/users/me", json=_me())
    responses.get(
        re.compile(f"{API}/users/1072250532645998596/tweets.*"),
        json={
            "data": [
                {
                    "id": "1862",
                    "text": long_text[:270] + "… https://t.co/more",
                    "created_at": "2026-11-20T10:00:03.000Z",
                    "edit_history_tweet_ids": ["1862"],
                    "note_tweet": {"text": long_text.strip()},
                }
            ],
            "meta": {"result_count": 1},
        },
    )
    found = x.find_published(text=long_text, since=datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
    assert found is not None and found.external_id == "1862"
    assert "note_tweet" in responses.calls[1].request.params["tweet.fields"]
