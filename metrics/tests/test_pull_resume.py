"""Pulls commit page by page and resume where they stopped: after a rate limit, a crash, a gateway's page.

X's replies are replayed in the shapes X documents and sends: the user lookup and the timeline as in tweepy's
own cassettes (tests/cassettes/test_client_get_user.yaml, test_client_get_users_tweets.yaml: `data` with
`edit_history_tweet_ids`, `meta` with `next_token` until the last page) with the fields we ask for, and the
429 that X answers when a window is spent (its problem body and its x-rate-limit-* headers).
"""

import html
import json
import logging
import re
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlparse

import pytest
import responses
import time_machine
from django.utils import timezone

from metrics import services
from metrics.connectors.demo import DemoConnector
from metrics.models import DailySnapshot, Post, PullRun, TrackedProfile
from metrics.platforms import Platform
from metrics.services import PullCrashed, credential_save, pull_run
from metrics.tasks import pull_due_profiles, pull_profile

from .factories import TrackedProfileFactory

pytestmark = pytest.mark.django_db
DEMO_FETCH_POSTS = DemoConnector.fetch_posts  # the demo platform's own, before any test wraps it
API = "https://api.twitter.com/2"
NOW = "2026-11-23 10:00Z"
NEXT_TOKEN = "7140dibdnow9c7btw4232poeq0wapgnwgwqwvuwn3peex"  # as X gives them (tweepy's cassette)
TOO_MANY_REQUESTS = {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429}
USER = {
    "data": {
        "id": "2244994945",
        "name": "Acme",
        "username": "acme",
        "protected": False,
        "public_metrics": {"followers_count": 5120, "following_count": 310, "tweet_count": 137, "listed_count": 12},
    }
}


def _tweet(n: int) -> dict:
    tweet_id = str(1_860_000_000_000_000_000 - n)
    return {
        "edit_history_tweet_ids": [tweet_id],
        "id": tweet_id,
        "text": f"Post number {n} https://t.co/3OQ4eGsUku",
        "created_at": (datetime(2026, 11, 23, 9, 0) - timedelta(hours=n)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "public_metrics": {
            "retweet_count": 2,
            "reply_count": 3,
            "like_count": 40 + n,
            "quote_count": 1,
            "bookmark_count": 0,
            "impression_count": 900,
        },
    }


def _timeline_page(numbers, next_token=None) -> dict:
    tweets = [_tweet(n) for n in numbers]
    meta = {"result_count": len(tweets), "newest_id": tweets[0]["id"], "oldest_id": tweets[-1]["id"]}
    if next_token:
        meta["next_token"] = next_token
    else:
        meta["previous_token"] = "77qp8zb0bhkf6qenbmzpdnvxpzdtaiv0gxdwicjsd4ox"
    return {"data": tweets, "meta": meta}


def _rate_headers(remaining: int, reset: int) -> dict:
    return {"x-rate-limit-limit": "1500", "x-rate-limit-remaining": str(remaining), "x-rate-limit-reset": str(reset)}


@pytest.fixture
def live_x(workspace):
    credential_save(workspace=workspace, platform=Platform.X, token="live-bearer-token")
    return TrackedProfileFactory(workspace=workspace, handle="acme", source=TrackedProfile.Source.LIVE)


@responses.activate
@time_machine.travel(NOW, tick=False)
def test_a_rate_limit_on_page_two_keeps_page_one_and_the_next_pull_goes_on_from_page_two(live_x):
    reset = int(time.time()) + 900
    responses.get(f"{API}/users/by/username/acme", json=USER, headers=_rate_headers(299, reset))
    asked = []

    def timeline(request):
        token = request.params.get("pagination_token")
        asked.append(token)
        if token is None:
            return 200, _rate_headers(1, reset), json.dumps(_timeline_page(range(100), NEXT_TOKEN))
        if asked.count(NEXT_TOKEN) == 1:  # the window is spent on page 2
            return 429, _rate_headers(0, reset), json.dumps(TOO_MANY_REQUESTS)
        return 200, _rate_headers(1499, reset + 900), json.dumps(_timeline_page(range(100, 137)))

    responses.add_callback(
        responses.GET,
        re.compile(f"{API}/users/2244994945/tweets.*"),
        callback=timeline,
        content_type="application/json",
    )

    assert pull_due_profiles.delay().get() == 1  # the scheduled fan-out
    # Page 1 is kept (the old all-or-nothing pull kept none of it), with the cursor of page 2.
    assert Post.objects.filter(profile=live_x).count() == 100
    assert DailySnapshot.objects.filter(profile=live_x).count() == 1
    run = PullRun.objects.get(profile=live_x)
    assert (run.status, run.pages_done, run.posts_done, run.cursor) == (PullRun.Status.RATE_LIMITED, 1, 100, NEXT_TOKEN)
    live_x.refresh_from_db()
    assert live_x.next_pull_at == run.retry_at == datetime.fromtimestamp(reset, tz=UTC)
    assert pull_due_profiles.delay().get() == 0  # nothing before the reset

    with time_machine.travel(run.retry_at + timedelta(seconds=1), tick=False):
        assert pull_due_profiles.delay().get() == 1
    # The resumed attempt asked for page 2 first and never for page 1 again.
    assert asked == [None, NEXT_TOKEN, NEXT_TOKEN]
    assert Post.objects.filter(profile=live_x).count() == 137
    assert Post.objects.filter(profile=live_x).values("external_id").distinct().count() == 137
    run.refresh_from_db()
    assert (run.status, run.attempts, run.pages_done, run.posts_done) == (PullRun.Status.SUCCESS, 2, 2, 137)
    assert PullRun.objects.filter(profile=live_x).count() == 1  # the same run, not a new one


@pytest.fixture
def backfilled_in_pages(workspace, monkeypatch):
    """A demo profile whose history comes in pages of 50 posts."""
    monkeypatch.setattr(services, "PAGE_SIZE", 50)
    return TrackedProfileFactory(workspace=workspace, handle="pages_brand")


def _on_page(number: int, fault):
    """DemoConnector.fetch_posts that calls fault() on the given page (cursors are offsets of 50) and records
    the cursors it was asked for."""
    asked = []

    def fetch(self, *, cursor=None, **kwargs):
        asked.append(cursor)
        if int(cursor or 0) == (number - 1) * 50 and fault is not None:
            fault()
        return DEMO_FETCH_POSTS(self, cursor=cursor, **kwargs)

    return fetch, asked


@time_machine.travel(NOW, tick=False)
def test_a_crash_mid_pull_keeps_its_pages_and_cursor_and_closes_the_run_classified(
    backfilled_in_pages, monkeypatch, caplog
):
    profile = backfilled_in_pages

    def bug():
        raise KeyError("public_metrics")

    fetch, asked = _on_page(3, bug)
    monkeypatch.setattr(DemoConnector, "fetch_posts", fetch)
    with caplog.at_level(logging.ERROR, logger="metrics.services"):
        # Through the task, as a worker runs it: the crash is recorded, nothing is raised into Celery.
        assert pull_profile.apply(args=[profile.pk, PullRun.Kind.BACKFILL, True]).get() is None
    assert Post.objects.filter(profile=profile).count() == 100  # pages 1 and 2
    run = PullRun.objects.get(profile=profile)
    assert run.status == PullRun.Status.INTERRUPTED  # closed, not left running
    assert (run.error_kind, run.pages_done, run.cursor) == ("unexpected", 2, "100")
    assert "KeyError" in run.error_message
    assert any(record.exc_info for record in caplog.records)  # the traceback is in the log
    profile.refresh_from_db()
    assert profile.last_error_kind == "unexpected" and not profile.pulls_are_stopped

    fetch, asked = _on_page(3, None)
    monkeypatch.setattr(DemoConnector, "fetch_posts", fetch)
    resumed = pull_run(profile=profile)  # the next pull, whatever its kind, continues the backfill
    assert resumed.pk == run.pk and resumed.status == PullRun.Status.SUCCESS and resumed.kind == PullRun.Kind.BACKFILL
    assert asked[0] == "100" and None not in asked
    expected = DemoConnector("x").fetch_profile(handle=profile.handle).posts_count
    assert Post.objects.filter(profile=profile).count() == resumed.posts_done == expected


@time_machine.travel(NOW, tick=False)
def test_the_service_raises_a_crash_as_a_classified_connector_error(backfilled_in_pages, monkeypatch):
    def bug():
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(DemoConnector, "fetch_posts", _on_page(2, bug)[0])
    with pytest.raises(PullCrashed) as caught:
        pull_run(profile=backfilled_in_pages, backfill=True)
    assert caught.value.kind == "unexpected" and "ZeroDivisionError" in str(caught.value)
    assert not PullRun.objects.filter(status=PullRun.Status.RUNNING).exists()


@responses.activate
@time_machine.travel(NOW, tick=False)
def test_a_gateways_html_page_mid_pull_is_recorded_and_resumed_not_left_running(live_x):
    reset = int(time.time()) + 900
    responses.get(f"{API}/users/by/username/acme", json=USER, headers=_rate_headers(299, reset))
    gateway_page = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"
    responses.get(
        re.compile(f"{API}/users/2244994945/tweets.*"),
        json=_timeline_page(range(100), NEXT_TOKEN),
        headers=_rate_headers(10, reset),
    )
    responses.get(
        re.compile(f"{API}/users/2244994945/tweets.*"), body=gateway_page, status=200, content_type="text/html"
    )
    with pytest.raises(services.ConnectorError) as caught:
        pull_run(profile=live_x)
    run = PullRun.objects.get(profile=live_x)
    # However the connector classifies an HTML body (an unexpected reply, or a crash of the JSON decoder), the
    # outcome is recorded, the run is not left running and page 1 stays with its cursor.
    assert caught.value.kind in {"unexpected", "unexpected_reply"}
    assert run.status == PullRun.Status.INTERRUPTED and run.error_kind == caught.value.kind
    assert (run.pages_done, run.cursor) == (1, NEXT_TOKEN)
    assert Post.objects.filter(profile=live_x).count() == 100


@pytest.mark.parametrize(
    ("zone", "utc", "local_day"),
    [
        ("Pacific/Auckland", "2026-11-23 20:00Z", "2026-11-24"),  # already tomorrow in New Zealand
        ("America/Los_Angeles", "2026-11-23 03:00Z", "2026-11-22"),  # still yesterday in California
        ("Europe/Paris", "2026-11-23 10:00Z", "2026-11-23"),
    ],
)
def test_the_snapshot_day_is_the_workspaces_local_day(workspace, zone, utc, local_day):
    workspace.time_zone = zone
    workspace.save(update_fields=["time_zone"])
    profile = TrackedProfileFactory(workspace=workspace, handle="local_day_brand")
    with time_machine.travel(utc, tick=False):
        pull_run(profile=profile)
    assert list(DailySnapshot.objects.filter(profile=profile).values_list("date", flat=True)) == [
        datetime.fromisoformat(local_day).date()
    ]


class ReachLimitedDemo(DemoConnector):
    """The demo platform letting anyone page back through its newest 300 posts only, as X does with 3,200."""

    max_reachable_posts = 300

    def fetch_posts(self, *, external_id, since=None, cursor=None, page_size=100):
        page = super().fetch_posts(external_id=external_id, since=since, cursor=cursor, page_size=page_size)
        reached = int(cursor or 0) + len(page.posts)
        return page if reached < self.max_reachable_posts else type(page)(posts=page.posts, next_cursor=None)


@time_machine.travel(NOW, tick=False)
def test_backfill_progress_counts_only_the_posts_the_platform_lets_us_reach(client_as, workspace, monkeypatch):
    from django.urls import reverse

    from accounts.roles import Role

    profile = TrackedProfileFactory(workspace=workspace, handle="long_history")
    monkeypatch.setattr(services, "connector_for", lambda p: ReachLimitedDemo(p.platform, handle=p.handle))
    run = pull_run(profile=profile, backfill=True)
    on_platform = DemoConnector("x").fetch_profile(handle="long_history").posts_count
    assert on_platform > 300
    assert (run.posts_expected, run.posts_on_platform, run.posts_done) == (300, on_platform, 300)
    assert run.status == PullRun.Status.SUCCESS  # done at 300 of 300, not stuck at 300 of the platform's count

    # While it runs, the page says why the count stops there.
    PullRun.objects.filter(pk=run.pk).update(status=PullRun.Status.RUNNING, heartbeat_at=timezone.now())
    content = html.unescape(client_as(Role.ADMIN).get(reverse("metrics:connections")).content.decode())
    assert "300 of 300 posts" in content
    assert f"X (Twitter) lets apps read only the newest 300 of the account's {on_platform:,} posts" in content


@responses.activate
@time_machine.travel(NOW, tick=False)
def test_a_cursor_that_comes_back_stops_the_run_as_an_unexpected_reply_instead_of_looping(live_x):
    responses.get(f"{API}/users/by/username/acme", json=USER)
    # The pages go round in a circle: none, then A, then B, then A again. (A page that points to itself is the
    # connector's to stop: it is the last page, see metrics/tests/test_x_connector.py.)
    following = {None: "tokenA", "tokenA": "tokenB", "tokenB": "tokenA"}

    def circle(request):
        asked = dict(parse_qsl(urlparse(request.url).query)).get("pagination_token")
        start = {None: 0, "tokenA": 5, "tokenB": 10}[asked]
        return 200, {}, json.dumps(_timeline_page(range(start, start + 5), following[asked]))

    responses.add_callback(
        responses.GET, re.compile(f"{API}/users/2244994945/tweets.*"), callback=circle, content_type="application/json"
    )
    with pytest.raises(services.PaginationRunaway):
        pull_run(profile=live_x)
    timeline_calls = [c for c in responses.calls if "/tweets" in c.request.url]
    assert len(timeline_calls) == 3
    run = PullRun.objects.get(profile=live_x)
    assert (run.status, run.error_kind) == (PullRun.Status.FAILED, "unexpected_reply")
    assert "same page cursor twice" in run.error_message
    live_x.refresh_from_db()
    # Not a permanent outcome: the profile stays on its normal schedule, and the next pull starts afresh.
    assert not live_x.pulls_are_stopped
    assert live_x.next_pull_at == timezone.now() + timedelta(hours=6)
    assert PullRun.Status.FAILED not in PullRun.OPEN_STATUSES


@responses.activate
@time_machine.travel(NOW, tick=False)
def test_pages_that_never_end_stop_at_what_the_profile_can_fill(live_x):
    user = json.loads(json.dumps(USER))
    user["data"]["public_metrics"]["tweet_count"] = 10
    responses.get(f"{API}/users/by/username/acme", json=user)
    counter = iter(range(10_000))

    def endless(request):  # empty pages, each with a new cursor
        return 200, {}, json.dumps({"meta": {"result_count": 0, "next_token": f"t{next(counter)}"}})

    responses.add_callback(
        responses.GET, re.compile(f"{API}/users/2244994945/tweets.*"), callback=endless, content_type="application/json"
    )
    with pytest.raises(services.PaginationRunaway, match="beyond what the profile can have"):
        pull_run(profile=live_x)
    # Ten posts fill at most two pages of five (X's smallest), two more for posts published meanwhile.
    assert len([c for c in responses.calls if "/tweets" in c.request.url]) == 5
    assert PullRun.objects.get(profile=live_x).error_kind == "unexpected_reply"
