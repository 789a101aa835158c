"""The pull service: idempotent upserts, engagement on posts, and a record of every run."""

import time

import pytest
import responses
import time_machine

from metrics.connectors.base import AuthExpired, HandleNotFound, RateLimited
from metrics.models import DailySnapshot, Post, PullRun, TrackedProfile
from metrics.platforms import Platform
from metrics.services import credential_save, pull_run

from .factories import TrackedProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(workspace):
    return TrackedProfileFactory(workspace=workspace, handle="acme")


@time_machine.travel("2026-11-23 10:00Z", tick=False)
def test_pulling_twice_keeps_one_snapshot_per_day_and_one_row_per_post(profile):
    first = pull_run(profile=profile)
    posts = Post.objects.count()
    pull_run(profile=profile)
    assert DailySnapshot.objects.filter(profile=profile).count() == 1
    assert Post.objects.count() == posts > 0
    assert first.status == PullRun.Status.SUCCESS and first.rows_written > 0
    assert PullRun.objects.filter(profile=profile).count() == 2


def test_a_repeated_pull_holds_the_newest_figures(profile):
    with time_machine.travel("2026-11-23 08:00Z", tick=False):
        pull_run(profile=profile, backfill=True)
    young = Post.objects.filter(profile=profile).order_by("-published_at").first()
    with time_machine.travel("2026-11-23 20:00Z", tick=False):
        pull_run(profile=profile)
    young.refresh_from_db()
    # The demo platform's young posts keep gathering engagement, as real ones do.
    assert young.last_refreshed_at.hour == 20
    snapshot = DailySnapshot.objects.get(profile=profile, date="2026-11-23")
    assert snapshot.followers > 0


@time_machine.travel("2026-11-23 10:00Z", tick=False)
def test_posts_carry_interactions_and_the_rate_by_followers_on_the_day_of_posting(profile):
    pull_run(profile=profile, backfill=True)
    post = Post.objects.filter(profile=profile).order_by("-published_at")[50]
    assert post.interactions == post.likes + post.comments + post.shares
    on_the_day = DailySnapshot.objects.get(profile=profile, date=post.published_at.date()).followers
    assert post.followers_at_posting == on_the_day
    assert post.engagement_rate == pytest.approx(post.interactions / on_the_day)


@time_machine.travel("2026-11-23 10:00Z", tick=False)
def test_backfill_records_its_progress_and_history(profile):
    run = pull_run(profile=profile, backfill=True)
    assert run.kind == PullRun.Kind.BACKFILL
    assert run.posts_done == Post.objects.filter(profile=profile).count() == run.posts_expected
    assert DailySnapshot.objects.filter(profile=profile).count() == 400


@time_machine.travel("2026-11-23 10:00Z", tick=False)
def test_young_posts_are_refreshed_hourly_and_old_ones_never(profile):
    pull_run(profile=profile, backfill=True)
    newest = Post.objects.filter(profile=profile).order_by("-published_at").first()
    oldest = Post.objects.filter(profile=profile).order_by("published_at").first()
    assert newest.next_refresh_at.isoformat().startswith("2026-11-23T11:00")
    assert oldest.next_refresh_at is None


@time_machine.travel("2026-11-23 10:00Z", tick=False)
def test_a_suspended_handle_is_recorded_as_not_found(workspace):
    profile = TrackedProfileFactory(workspace=workspace, handle="suspended")
    with pytest.raises(HandleNotFound):
        pull_run(profile=profile)
    run = PullRun.objects.get(profile=profile)
    assert run.status == PullRun.Status.NOT_FOUND and "suspended" in run.error_message
    profile.refresh_from_db()
    assert profile.last_error_kind == "not_found" and not profile.needs_attention


@time_machine.travel("2026-11-23 10:00Z", tick=False)
def test_a_live_profile_without_credential_needs_attention(workspace):
    profile = TrackedProfileFactory(workspace=workspace, source=TrackedProfile.Source.LIVE)
    with pytest.raises(AuthExpired):
        pull_run(profile=profile)
    profile.refresh_from_db()
    assert profile.needs_attention
    assert PullRun.objects.get(profile=profile).status == PullRun.Status.NEEDS_ATTENTION


@responses.activate
@time_machine.travel("2026-11-23 10:00Z", tick=False)
def test_a_rate_limited_live_pull_records_when_it_will_retry(workspace):
    credential_save(workspace=workspace, platform=Platform.X, token="live-bearer-token")
    profile = TrackedProfileFactory(workspace=workspace, handle="acme", source=TrackedProfile.Source.LIVE)
    responses.get(
        "https://api.twitter.com/2/users/by/username/acme",
        status=429,
        headers={"x-rate-limit-reset": str(int(time.time()) + 900)},
        json={"title": "Too Many Requests"},
    )
    with pytest.raises(RateLimited):
        pull_run(profile=profile)
    run = PullRun.objects.get(profile=profile)
    assert run.status == PullRun.Status.RATE_LIMITED
    assert run.retry_at.isoformat().startswith("2026-11-23T10:15")
    profile.refresh_from_db()
    assert profile.next_pull_at == run.retry_at


@responses.activate
@time_machine.travel("2026-11-23 10:00Z", tick=False)
def test_a_live_x_pull_stores_what_the_api_gave(workspace):
    credential_save(workspace=workspace, platform=Platform.X, token="live-bearer-token")
    profile = TrackedProfileFactory(workspace=workspace, handle="acme", source=TrackedProfile.Source.LIVE)
    responses.get(
        "https://api.twitter.com/2/users/by/username/acme",
        json={"data": {"id": "42", "name": "Acme", "username": "acme", "public_metrics": {"followers_count": 1000}}},
    )
    tweet = {
        "id": "7",
        "text": "Hello",
        "edit_history_tweet_ids": ["7"],
        "created_at": "2026-11-22T09:00:00.000Z",
        "public_metrics": {"like_count": 30, "reply_count": 5, "retweet_count": 4, "quote_count": 1},
    }
    responses.get("https://api.twitter.com/2/users/42/tweets", json={"data": [tweet], "meta": {"result_count": 1}})
    pull_run(profile=profile)
    post = Post.objects.get(profile=profile)
    assert (post.external_id, post.interactions, post.engagement_rate) == ("7", 40, 0.04)
    assert responses.calls[1].request.headers["Authorization"] == "Bearer live-bearer-token"


@time_machine.travel("2026-11-23 10:00Z", tick=False)
def test_a_scheduled_pull_that_fails_on_a_later_page_keeps_the_pages_before_and_resumes_there(profile, monkeypatch):
    from metrics import services
    from metrics.connectors.base import TransientError
    from metrics.connectors.demo import DemoConnector

    fetch_posts = DemoConnector.fetch_posts
    asked = []

    def second_page_fails(self, *, cursor=None, **kwargs):
        asked.append(cursor)
        if cursor == "2":
            raise TransientError("The platform answered 503 on page 2.")
        return fetch_posts(self, cursor=cursor, **kwargs)

    monkeypatch.setattr(services, "PAGE_SIZE", 2)  # a page of two posts, so that there is a second page
    monkeypatch.setattr(DemoConnector, "fetch_posts", second_page_fails)
    with pytest.raises(TransientError):
        pull_run(profile=profile)
    run = PullRun.objects.get(profile=profile)
    assert run.status == PullRun.Status.INTERRUPTED and "page 2" in run.error_message
    assert (run.pages_done, run.posts_done, run.cursor) == (1, 2, "2")
    assert Post.objects.filter(profile=profile).count() == 2  # page 1 is kept
    assert DailySnapshot.objects.filter(profile=profile).count() == 1

    monkeypatch.setattr(
        DemoConnector, "fetch_posts", lambda self, **kw: asked.append(kw["cursor"]) or fetch_posts(self, **kw)
    )
    asked.clear()
    retried = pull_run(profile=profile)  # the next pull goes on from page 2, in the same run
    assert retried.pk == run.pk and retried.status == PullRun.Status.SUCCESS
    assert asked[0] == "2" and None not in asked
    assert Post.objects.filter(profile=profile).count() == retried.posts_done > 2
