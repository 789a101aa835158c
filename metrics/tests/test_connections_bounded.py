"""The connections page reads each connection's open run and its year of pull health without reading the year of
successful pulls: its queries and the rows they return stay the same however many pulls succeeded."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from metrics.models import PullRun, PullRunDay
from metrics.pull_history import pull_history
from tests.reads import reads

from .factories import TrackedProfileFactory

pytestmark = pytest.mark.django_db
S = PullRun.Status


def pulls(profile, *, days_ago: range, status=S.SUCCESS, per_day: int = 1):
    runs = PullRun.objects.bulk_create(
        PullRun(profile=profile, status=status, error_kind="" if status == S.SUCCESS else "auth")
        for _ in days_ago
        for _ in range(per_day)
    )
    now = timezone.now()
    for i, run in enumerate(runs):
        PullRun.objects.filter(pk=run.pk).update(started_at=now - timedelta(days=days_ago[i // per_day], hours=1))


def measure(client):
    client.get("/metrics/connections/")  # the first request writes the session
    with reads() as seen:
        assert client.get("/metrics/connections/").status_code == 200
    return seen


def test_the_connections_page_does_not_read_the_year_of_successful_pulls(client_as, workspace):
    client = client_as(Role.ADMIN)
    profiles = TrackedProfileFactory.create_batch(2, workspace=workspace)
    for profile in profiles:
        pulls(profile, days_ago=range(3, 6), status=S.FAILED)
        pulls(profile, days_ago=range(1, 20))
    small = measure(client)
    for profile in profiles:
        pulls(profile, days_ago=range(20, 300), per_day=2)
    assert measure(client) == small


def test_a_failed_day_still_counts_its_successful_pulls(workspace):
    profile = TrackedProfileFactory(workspace=workspace)
    pulls(profile, days_ago=range(2, 3), status=S.FAILED)
    pulls(profile, days_ago=range(1, 10), per_day=3)
    PullRun.objects.create(profile=profile, status=S.RUNNING)  # open: not counted yet
    history = pull_history(profiles=[profile], today=timezone.localdate())[profile.pk]
    assert history.runs == 28
    [day] = history.failed_days
    assert (day.runs, day.succeeded, day.failed, day.error_kind) == (4, 3, 1, "auth")


def test_a_compacted_failed_day_adds_the_runs_of_that_day_still_kept(workspace):
    """The prune keeps a profile's newest runs: a day it compacted may still have some, counted once each."""
    profile = TrackedProfileFactory(workspace=workspace)
    with timezone.override("Europe/Paris"):
        today = timezone.localdate()
        compacted = today - timedelta(days=100)
        # 23:30 in Paris on the compacted day: 22:30 UTC, still that day (and not the next UTC day's).
        late = timezone.make_aware(datetime.combine(compacted, time(23, 30)))
        PullRunDay.objects.create(
            profile=profile,
            date=compacted,
            runs=3,
            succeeded=2,
            failed=1,
            last_status=S.FAILED,
            last_error_kind="transient",
            last_started_at=late - timedelta(hours=12),
        )
        kept = PullRun.objects.create(profile=profile, status=S.SUCCESS)
        PullRun.objects.filter(pk=kept.pk).update(started_at=late)
        # The next local day's first run is not the compacted day's.
        after = PullRun.objects.create(profile=profile, status=S.SUCCESS)
        PullRun.objects.filter(pk=after.pk).update(started_at=late + timedelta(hours=1))
        history = pull_history(profiles=[profile], today=today)[profile.pk]
    assert history.runs == 5
    [day] = history.failed_days
    assert (day.date, day.runs, day.succeeded, day.failed, day.error_kind) == (compacted, 4, 3, 1, "transient")


def test_open_runs_count_neither_in_the_year_nor_in_their_day(workspace):
    profile = TrackedProfileFactory(workspace=workspace)
    pulls(profile, days_ago=range(2, 3), status=S.FAILED, per_day=2)
    pulls(profile, days_ago=range(2, 3), status=S.INTERRUPTED)
    pulls(profile, days_ago=range(2, 3), per_day=3)
    history = pull_history(profiles=[profile], today=timezone.localdate())[profile.pk]
    assert history.runs == 5
    [day] = history.failed_days
    assert (day.runs, day.succeeded, day.failed) == (5, 3, 2)
