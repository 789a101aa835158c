"""Pull runs are counted in their day (PullRunDay) when they end; the prune deletes those past PULL_RUNS_KEEP_DAYS
(counting first any not counted yet), so the connections page still shows a year of each connection's health."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from housekeeping import services
from housekeeping.tasks import prune_old_records
from metrics.models import PullRun, PullRunDay
from metrics.pull_run_days import pull_runs_count
from metrics.tests.factories import TrackedProfileFactory

pytestmark = pytest.mark.django_db

S = PullRun.Status
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def _run(profile, started_at: datetime, status=S.SUCCESS, error_kind: str = "", counted: bool = True) -> int:
    """A run that ended, counted in its day as a pull that ends is (unless `counted` is False)."""
    run = PullRun.objects.create(profile=profile, status=status, error_kind=error_kind)
    PullRun.objects.filter(pk=run.pk).update(started_at=started_at)
    if counted:
        pull_runs_count(PullRun.objects.filter(pk=run.pk))
    return run.pk


def _days(profile) -> dict:
    return {
        d.date.isoformat(): (d.runs, d.succeeded, d.failed, d.last_status, d.last_error_kind)
        for d in PullRunDay.objects.filter(profile=profile)
    }


@pytest.fixture
def history(workspace, time_machine, settings):
    """Four pulls a day over 200 days ago, one failing, then recent pulls; the workspace is in Paris."""
    time_machine.move_to(NOW, tick=False)
    settings.PULL_RUNS_KEEP_DAYS = 90
    profile = TrackedProfileFactory(workspace=workspace, handle="acme")
    old = NOW - timedelta(days=200)
    for hour in (1, 7, 13):
        _run(profile, old.replace(hour=hour))
    _run(profile, old.replace(hour=19), S.FAILED, "auth")
    # 23:30 UTC is already the next day in Paris: it counts for that day.
    _run(profile, old.replace(hour=23, minute=30), S.NOT_FOUND, "not_found")
    _run(profile, NOW - timedelta(days=120), S.SUCCESS)
    _run(profile, NOW - timedelta(days=10), S.FAILED, "rate")
    latest = _run(profile, NOW - timedelta(hours=2), S.SUCCESS)
    return profile, latest


def test_the_prune_deletes_the_old_runs_and_leaves_their_days_as_they_are(history):
    profile, latest = history
    before = PullRun.objects.filter(profile=profile).count()
    days = _days(profile)

    assert prune_old_records()["pull_runs"] == 6

    assert PullRun.objects.filter(profile=profile).count() == before - 6 == 2
    assert PullRun.objects.filter(pk=latest).exists()
    assert _days(profile) == days
    assert {day: days[day] for day in ("2026-05-16", "2026-05-17", "2026-08-04")} == {
        "2026-05-16": (4, 3, 1, S.FAILED, "auth"),
        "2026-05-17": (1, 0, 1, S.NOT_FOUND, "not_found"),
        "2026-08-04": (1, 1, 0, S.SUCCESS, ""),
    }
    assert sum(d.runs for d in PullRunDay.objects.filter(profile=profile)) == before


def test_a_second_prune_counts_nothing_twice(history):
    profile, _ = history
    services.old_records_prune()
    first = _days(profile)
    assert services.old_records_prune().pull_runs == 0
    assert _days(profile) == first

    # A run of an old day that ended since counted itself: the prune deletes it and leaves its day as it is.
    _run(profile, datetime(2026, 5, 16, 0, 30, tzinfo=UTC), S.SUCCESS)
    counted = _days(profile)
    assert counted["2026-05-16"] == (5, 4, 1, S.FAILED, "auth")  # the day's failure still tells the day
    assert services.old_records_prune().pull_runs == 1
    assert _days(profile) == counted


def test_the_prune_counts_a_run_not_counted_yet_as_it_deletes_it_once(history):
    """A run written outside a pull (a script, old code during a deploy) is counted in the transaction that
    deletes it, and a second prune, with nothing left to delete, counts nothing."""
    profile, _ = history
    _run(profile, datetime(2026, 5, 16, 0, 30, tzinfo=UTC), S.FAILED, "transient", counted=False)
    assert services.old_records_prune().pull_runs == 7
    assert _days(profile)["2026-05-16"] == (5, 3, 2, S.FAILED, "auth")  # the later failure (19:00) tells the day
    after = _days(profile)
    assert services.old_records_prune().pull_runs == 0
    assert pull_runs_count() == 0
    assert _days(profile) == after


def test_batches_count_and_delete_together(history):
    profile, _ = history
    PullRunDay.objects.all().delete()
    PullRun.objects.update(counted_in_day=False)  # as written outside a pull
    assert services.old_records_prune(batch_size=2).pull_runs == 6
    assert sum(d.runs for d in PullRunDay.objects.filter(profile=profile)) == 6
    assert pull_runs_count() == 2  # the kept ones
    assert sum(d.runs for d in PullRunDay.objects.filter(profile=profile)) == 8


def test_the_connections_page_shows_the_year_of_health_beyond_the_kept_runs(history, client_as):
    profile, _ = history
    prune_old_records()
    client = client_as(Role.ADMIN)
    page = client.get("/metrics/connections/").content.decode()

    # 6 runs deleted, 2 still kept, all in their days; failed days: 16 and 17 May and 22 November.
    assert "Last 12 months: 8 pulls, 3 failed days" in page
    details = page[page.index(f'data-testid="failed-days-{profile.pk}"') - 200 :]
    url = re.search(r'data-fragment-when-open="([^"]+)"', details).group(1)  # fetched when opened
    table = client.get(url).content.decode()
    table = table[: table.index("</table>")]
    assert [day in table for day in ("22 Nov 2026", "17 May 2026", "16 May 2026")] == [True] * 3
    assert table.index("22 Nov 2026") < table.index("17 May 2026") < table.index("16 May 2026")
    assert "auth" in table and "not_found" in table and "rate" in table


def test_a_connection_without_pulls_shows_no_history(workspace, client_as):
    profile = TrackedProfileFactory(workspace=workspace, handle="fresh")
    page = client_as(Role.ADMIN).get("/metrics/connections/").content.decode()
    assert f'data-testid="connection-{profile.pk}"' in page
    assert f'data-testid="pull-history-{profile.pk}"' not in page


def test_pulls_older_than_a_year_are_not_counted(history):
    profile, _ = history
    prune_old_records()
    from metrics.pull_history import failed_days, pull_history

    with timezone.override("Europe/Paris"):
        year = pull_history(profiles=[profile], today=timezone.localdate())[profile.pk]
        half_year = pull_history(profiles=[profile], today=timezone.localdate(), days=150)[profile.pk]
        half_year_days = failed_days(profile=profile, today=timezone.localdate(), days=150)
    assert year.runs == 8
    assert half_year.runs == 3 and [d.date.isoformat() for d in half_year_days] == ["2026-11-22"]
