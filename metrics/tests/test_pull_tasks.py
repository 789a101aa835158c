"""The pull tasks: fan-out, waits for the platform's reset kept in the database, short backoffs through the
broker, and stops on auth errors."""

import time

import pytest
import responses
import time_machine
from celery.exceptions import Retry
from django.utils import timezone

from metrics.models import PullRun, TrackedProfile
from metrics.platforms import Platform
from metrics.refresh import transient_backoff
from metrics.services import credential_save
from metrics.tasks import pull_due_profiles, pull_profile

from .factories import TrackedProfileFactory

pytestmark = pytest.mark.django_db
NOW = "2026-11-23 10:00Z"


@pytest.fixture
def live_x(workspace):
    credential_save(workspace=workspace, platform=Platform.X, token="live-bearer-token")
    return TrackedProfileFactory(workspace=workspace, handle="acme", source=TrackedProfile.Source.LIVE)


def test_pull_tasks_acknowledge_late():
    assert pull_profile.acks_late and pull_due_profiles.acks_late


@time_machine.travel(NOW, tick=False)
def test_the_fan_out_queues_every_due_active_profile_once(workspace):
    due = TrackedProfileFactory(workspace=workspace)
    TrackedProfileFactory(workspace=workspace, is_active=False)
    TrackedProfileFactory(workspace=workspace, needs_attention=True)
    TrackedProfileFactory(workspace=workspace, next_pull_at=timezone.now() + timezone.timedelta(hours=2))
    assert pull_due_profiles.delay().get() == 1
    assert list(PullRun.objects.values_list("profile_id", "status")) == [(due.pk, PullRun.Status.SUCCESS)]
    # Pulled profiles are no longer due at the next tick.
    assert pull_due_profiles.delay().get() == 0


@responses.activate
@time_machine.travel(NOW, tick=False)
def test_a_rate_limit_with_a_long_reset_waits_in_the_database_not_in_the_broker(live_x):
    responses.get(
        "https://api.twitter.com/2/users/by/username/acme",
        status=429,
        headers={"x-rate-limit-reset": str(int(time.time()) + 840), "x-rate-limit-remaining": "0"},
        json={"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429},
    )
    responses.get(  # after the reset
        "https://api.twitter.com/2/users/by/username/acme",
        json={"data": {"id": "42", "name": "Acme", "username": "acme", "public_metrics": {"followers_count": 10}}},
    )
    responses.get("https://api.twitter.com/2/users/42/tweets", json={"meta": {"result_count": 0}})
    # No Celery countdown of 14 minutes: the fan-out picks the profile up at its reset time.
    assert pull_profile.apply(args=[live_x.pk], throw=True).get() is None
    live_x.refresh_from_db()
    assert live_x.next_pull_at == timezone.now() + timezone.timedelta(seconds=840)
    assert pull_due_profiles.delay().get() == 0
    assert len(responses.calls) == 1
    with time_machine.travel(live_x.next_pull_at, tick=False):
        assert pull_due_profiles.delay().get() == 1
    assert len(responses.calls) == 3
    run = PullRun.objects.get(profile=live_x)  # the same run, tried again
    assert (run.status, run.attempts) == (PullRun.Status.SUCCESS, 2)


@responses.activate
@time_machine.travel(NOW, tick=False)
def test_a_rate_limit_with_a_short_reset_is_requeued_for_the_reset_time_not_before(live_x):
    responses.get(
        "https://api.twitter.com/2/users/by/username/acme",
        status=429,
        headers={"x-rate-limit-reset": str(int(time.time()) + 120)},
        json={"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429},
    )
    with pytest.raises(Retry) as caught:
        pull_profile.apply(args=[live_x.pk], throw=True)
    assert caught.value.when == 120


@responses.activate
@time_machine.travel(NOW, tick=False)
def test_a_rate_limit_whose_reset_is_already_past_waits_a_minute(live_x):
    responses.get(
        "https://api.twitter.com/2/users/by/username/acme",
        status=429,
        headers={"x-rate-limit-reset": str(int(time.time()) - 30)},  # the platform's clock is behind ours
        json={"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429},
    )
    with pytest.raises(Retry) as caught:
        pull_profile.apply(args=[live_x.pk], throw=True)
    assert caught.value.when == 60


@responses.activate
@time_machine.travel(NOW, tick=False)
def test_a_server_error_is_retried_with_backoff(live_x):
    responses.get("https://api.twitter.com/2/users/by/username/acme", status=503, json={"title": "Unavailable"})
    with pytest.raises(Retry) as caught:
        pull_profile.apply(args=[live_x.pk], throw=True)
    assert 30 <= caught.value.when <= 60


def test_backoff_grows_with_each_failure_is_capped_at_five_minutes_then_leaves_it_to_the_schedule():
    assert max(transient_backoff(1).total_seconds() for _ in range(50)) <= 60
    assert max(transient_backoff(3).total_seconds() for _ in range(200)) > 120
    assert all(30 <= transient_backoff(n).total_seconds() <= 300 for n in (1, 2, 3) for _ in range(50))
    assert transient_backoff(4) is None


@responses.activate
@time_machine.travel(NOW, tick=False)
def test_an_expired_token_stops_retrying_and_needs_attention(live_x):
    responses.get(
        "https://api.twitter.com/2/users/by/username/acme", status=401, json={"title": "Unauthorized", "status": 401}
    )
    assert pull_profile.apply(args=[live_x.pk], throw=True).get() is None
    live_x.refresh_from_db()
    assert live_x.needs_attention
    # A profile that needs attention is not pulled again, neither by the fan-out nor by a queued task.
    assert pull_due_profiles.delay().get() == 0
    assert len(responses.calls) == 1
