"""Two pulls of two profiles on the same network and days, at once, on two PostgreSQL connections: the roll-up per
network they write equals the one rebuilt from the profiles' days (metrics/network_days.py).

Each pull's sum of its network's days is held open 0.2 s after it has read the profiles' days, the window in which
the other pull writes its own; without the group's lock the later writer would overwrite the day with a sum that
misses the other profile (`test_without_the_lock_the_roll_up_misses_a_profile`, the mutant)."""

import threading
import time as clock

import pytest
from django.db import connection

from metrics import network_days
from metrics.models import EntityNetwork, NetworkDay
from metrics.services import pull_run
from tests.markers import requires_postgres

from .factories import TrackedProfileFactory
from .test_network_days import network_days as rows_of_network_days

pytestmark = [requires_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_sums(monkeypatch):
    day_sums = network_days._day_sums

    def slowly(*args):
        sums = day_sums(*args)
        clock.sleep(0.2)
        return sums

    monkeypatch.setattr(network_days, "_day_sums", slowly)


def _at_once(*calls):
    start, errors = threading.Barrier(len(calls)), []

    def run(call):
        try:
            start.wait()
            call()
        except Exception as error:  # the assertion below names it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []


def _race(workspace) -> tuple[list, list]:
    """Two backfills of two X profiles of the brand at once (the demo platform: ~400 days of counts and posts
    each, the same days); returns the roll-up per network as they wrote it and as rebuilt from raw rows."""
    profiles = [TrackedProfileFactory(workspace=workspace, platform="x", handle=h) for h in ("north", "south")]
    _at_once(*[lambda p=p: pull_run(profile=p, backfill=True) for p in profiles])
    written = rows_of_network_days()
    network_days.network_days_rebuild()
    return written, rows_of_network_days()


def test_two_pulls_on_one_network_at_once_write_the_roll_up_a_rebuild_writes(workspace, slow_sums):
    written, rebuilt = _race(workspace)
    assert len(written) >= 300
    assert written == rebuilt
    assert NetworkDay.objects.filter(profiles_counted=2).count() >= 300  # both profiles in every day's followers


def test_without_the_lock_the_roll_up_misses_a_profile(workspace, slow_sums, monkeypatch):
    """The mutant: the group's row is not locked, each pull sums the days from what it sees and writes them."""

    def unlocked(workspace_id, keys):
        EntityNetwork.objects.bulk_create(
            [EntityNetwork(workspace_id=workspace_id, platform=p, active=a) for _, p, a in sorted(set(keys))],
            ignore_conflicts=True,
        )  # the brand's groups: the race is on its X accounts
        groups = EntityNetwork.objects.filter(workspace_id=workspace_id)
        return {(g.entity, g.platform, g.active): g for g in groups}

    monkeypatch.setattr(network_days, "_locked_groups", unlocked)
    written, rebuilt = _race(workspace)
    assert written != rebuilt
