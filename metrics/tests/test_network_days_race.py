"""Pulls of two profiles on the same network and days, at once, on two PostgreSQL connections: the roll-up per
network they write equals the one rebuilt from the profiles' days (metrics/network_days.py).

Each writer of a network's days, once it has summed them from the profiles' days, waits (up to a second) for the
other writer to have summed them too: without the group's lock both sum what they see and the later one overwrites
the days with sums that miss the other profile (the mutant below); with it the second writer is still waiting for
the lock, so the first goes on alone, commits, and the second sums after it."""

import contextlib
import threading
from datetime import date, timedelta

import pytest
from django.db import transaction

from metrics import network_days
from metrics.models import DailySnapshot, EntityNetwork, NetworkDay
from metrics.rollup import rollup_snapshots
from metrics.services import pull_run, upsert_snapshots
from tests.markers import requires_postgres
from tests.races import at_once

from .factories import TrackedProfileFactory
from .test_network_days import network_days as rows_of_network_days

pytestmark = [requires_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sums_meet(monkeypatch):
    """Each sum of a network's days waits for the other writer's, a second at most (then never again)."""
    meet = threading.Barrier(2, timeout=1.0)
    day_sums = network_days._day_sums

    def meeting(*args):
        sums = day_sums(*args)
        with contextlib.suppress(threading.BrokenBarrierError):  # the other is waiting for the lock, or done
            meet.wait()
        return sums

    monkeypatch.setattr(network_days, "_day_sums", meeting)


@pytest.fixture
def unlocked(monkeypatch):
    """The mutant: the group's row is not locked; each writer sums the days from what it sees and writes them."""

    def groups_unlocked(workspace_id, keys):
        EntityNetwork.objects.bulk_create(
            [EntityNetwork(workspace_id=workspace_id, platform=p, active=a) for _, p, a in sorted(set(keys))],
            ignore_conflicts=True,
        )  # the brand's groups: the races below are on its X accounts
        return {(g.entity, g.platform, g.active): g for g in EntityNetwork.objects.filter(workspace_id=workspace_id)}

    monkeypatch.setattr(network_days, "_locked_groups", groups_unlocked)


def _as_written_and_rebuilt() -> tuple[list, list]:
    written = rows_of_network_days()
    network_days.network_days_rebuild()
    return written, rows_of_network_days()


def test_two_pulls_on_one_network_at_once_write_the_roll_up_a_rebuild_writes(workspace, sums_meet):
    """Two backfills of two X accounts of the brand (the demo platform: ~400 days of counts and posts each)."""
    profiles = [TrackedProfileFactory(workspace=workspace, platform="x", handle=h) for h in ("north", "south")]
    at_once(*[lambda p=p: pull_run(profile=p, backfill=True) for p in profiles])
    written, rebuilt = _as_written_and_rebuilt()
    assert len(written) >= 300
    assert written == rebuilt
    assert NetworkDay.objects.filter(profiles_counted=2).count() >= 300  # both accounts in every day's followers


def _two_snapshot_steps(workspace) -> tuple[list, list]:
    """The pull's snapshot step (its counts and their roll-ups, one transaction) for two X accounts of the brand,
    over the same 30 days, at once."""
    profiles = [TrackedProfileFactory(workspace=workspace, platform="x", handle=h) for h in ("north", "south")]
    # The group exists already, as it does after a network's first pull: inserting it would order the writers.
    EntityNetwork.objects.create(workspace=workspace, platform="x", active=True)
    last = date(2026, 11, 30)

    def snapshot_step(profile, base):
        days = [last - timedelta(days=n) for n in range(30)]
        with transaction.atomic():
            upsert_snapshots([DailySnapshot(profile=profile, date=d, followers=base + d.day) for d in days])
            rollup_snapshots(profile, days)

    at_once(*[lambda p=p, base=base: snapshot_step(p, base) for p, base in zip(profiles, (1000, 5000), strict=True)])
    return _as_written_and_rebuilt()


def test_two_snapshot_steps_on_one_network_at_once_count_both_accounts(workspace, sums_meet):
    written, rebuilt = _two_snapshot_steps(workspace)
    assert written == rebuilt
    assert [row[5] for row in written] == [2] * 30  # both accounts counted on each day


def test_without_the_lock_the_roll_up_misses_an_account(workspace, sums_meet, unlocked):
    written, rebuilt = _two_snapshot_steps(workspace)
    assert written != rebuilt
    assert [row[5] for row in written] == [1] * 30  # the later writer's sums: its own account only
