"""The pull tasks: fan-out, retries after the platform's reset, backoff, and stops on auth errors."""

import time

import pytest
import responses
import time_machine
from celery.exceptions import Retry
from django.utils import timezone

from metrics.models import PullRun, TrackedProfile
from metrics.platforms import Platform
from metrics.services import credential_save
from metrics.tasks import backoff_with_jitter, pull_due_profiles, pull_profile

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
def test_a_rate_limited_pull_is_requeued_for_the_reset_time_not_before(live_x):
    responses.get(
        "https://api.twitter.com/2/users/by/username/acme",
        status=429,
        headers={"x-rate-limit-reset": str(int(time.time()) + 840)},
        json={"title": "Too Many Requests"},
    )
    with pytest.raises(Retry) as caught:
        pull_profile.apply(args=[live_x.pk], throw=True)
    assert caught.value.when == 840


@responses.activate
@time_machine.travel(NOW, tick=False)
def test_a_server_error_is_retried_with_backoff(live_x):
    responses.get("https://api.twitter.com/2/users/by/username/acme", status=503, json={"title": "Unavailable"})
    with pytest.raises(Retry) as caught:
        pull_profile.apply(args=[live_x.pk], throw=True)
    assert 30 <= caught.value.when <= 60


def test_backoff_grows_with_each_retry_and_is_capped():
    assert max(backoff_with_jitter(0) for _ in range(50)) <= 60
    assert max(backoff_with_jitter(6) for _ in range(200)) > 300
    assert max(backoff_with_jitter(20) for _ in range(50)) <= 3600


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
