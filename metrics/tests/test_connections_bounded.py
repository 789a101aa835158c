"""The connections page reads each connection's open run and its year of pull health from the days (PullRunDay)
alone: its queries and the rows they return stay the same however many pulls succeeded."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from metrics import services
from metrics.forms import LIVE_PLATFORMS
from metrics.models import PullRun, PullRunDay, PullsStopped, TrackedProfile
from metrics.platforms import Platform
from metrics.pull_history import failed_days, pull_history
from metrics.pull_run_days import pull_runs_count
from metrics.tasks import queue_pull
from tests.reads import reads

from .factories import TrackedProfileFactory

pytestmark = pytest.mark.django_db
S = PullRun.Status


def pulls(profile, *, days_ago: range, status=S.SUCCESS, per_day: int = 1):
    """Runs that ended `days_ago`, each counted in its day as a pull that ends is."""
    runs = PullRun.objects.bulk_create(
        PullRun(profile=profile, status=status, error_kind="" if status == S.SUCCESS else "auth")
        for _ in days_ago
        for _ in range(per_day)
    )
    now = timezone.now()
    for i, run in enumerate(runs):
        PullRun.objects.filter(pk=run.pk).update(started_at=now - timedelta(days=days_ago[i // per_day], hours=1))
    pull_runs_count()


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
    assert (history.runs, history.failed_day_count) == (28, 1)
    [day] = failed_days(profile=profile, today=timezone.localdate())
    assert (day.runs, day.succeeded, day.failed, day.error_kind) == (4, 3, 1, "auth")


def test_an_install_s_kept_runs_are_added_to_the_days_the_prune_compacted(workspace):
    """Before runs counted themselves, the prune counted the runs it deleted and kept each profile's newest: the
    migration (pull_runs_count) adds the kept ones to their days, once each, the failure still telling the day."""
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
        assert pull_runs_count() == 2 and pull_runs_count() == 0
        history = pull_history(profiles=[profile], today=today)[profile.pk]
        [day] = failed_days(profile=profile, today=today)
    assert history.runs == 5
    assert (day.date, day.runs, day.succeeded, day.failed, day.error_kind) == (compacted, 4, 3, 1, "transient")


def test_open_runs_count_neither_in_the_year_nor_in_their_day(workspace):
    profile = TrackedProfileFactory(workspace=workspace)
    pulls(profile, days_ago=range(2, 3), status=S.FAILED, per_day=2)
    pulls(profile, days_ago=range(2, 3), status=S.INTERRUPTED)
    pulls(profile, days_ago=range(2, 3), per_day=3)
    history = pull_history(profiles=[profile], today=timezone.localdate())[profile.pk]
    assert history.runs == 5
    [day] = failed_days(profile=profile, today=timezone.localdate())
    assert (day.runs, day.succeeded, day.failed) == (5, 3, 2)


def _connection(workspace, *, platform, by, stopped: bool = False):
    """A profile with what a row can show: a credential connected by a member, an open backfill, a queued pull,
    pulls stopped, a year of pulls with failed days."""
    profile = TrackedProfileFactory(workspace=workspace, platform=platform, is_own=platform != Platform.OTHER)
    if stopped:
        TrackedProfile.objects.filter(pk=profile.pk).update(
            pulls_stopped=PullsStopped.NOT_FOUND, pulls_stopped_for=profile.pull_identity
        )
    pulls(profile, days_ago=range(2, 6), status=S.FAILED)
    pulls(profile, days_ago=range(1, 30))
    PullRun.objects.create(profile=profile, kind=PullRun.Kind.BACKFILL, status=S.INTERRUPTED, posts_done=3)
    queue_pull(profile=profile, requested_by=by)
    if platform in dict(LIVE_PLATFORMS):
        services.credential_connect(workspace=workspace, platform=platform, grant=Grant(by.email), by=by)


class Grant:
    def __init__(self, name):
        self.access_token, self.refresh_token, self.account_id, self.account_name = "token-12345", "", "1", name
        self.scopes, self.expires_at = "read", None


def test_the_connections_page_runs_the_same_queries_for_two_connections_or_six(client_as, workspace, make_member):
    """A row's every part (its open run, queued pull, stop, history, its network's credential and who connected
    it) is read for all the rows at once: a query per row, or per credential, makes the counts differ."""
    client = client_as(Role.ADMIN)
    platforms = [Platform.X, Platform.OTHER, Platform.FACEBOOK, Platform.INSTAGRAM, Platform.LINKEDIN, Platform.YOUTUBE]
    for platform in platforms[:2]:
        _connection(workspace, platform=platform, by=make_member(Role.ADMIN).user, stopped=True)
    few = measure(client)
    for platform in platforms[2:]:
        _connection(workspace, platform=platform, by=make_member(Role.ADMIN).user, stopped=True)
    page = client.get("/metrics/connections/").content.decode()
    assert page.count('data-testid="connected-by"') == 3 and page.count('data-testid="pulls-stopped"') == 6
    assert page.count('data-testid="pull-stopped"') == 6 and page.count("failed-days-") == 6
    assert measure(client)[0] == few[0]


def _rows(client, query=""):
    page = client.get("/metrics/connections/" + query).content.decode()
    return page, page.count('data-testid="connection-')


def test_the_connections_page_shows_a_page_of_connections_those_with_a_problem_first(client_as, workspace):
    """A brand with hundreds of accounts: the page reads and shows 25 of them, whatever their number, the ones
    the team must act on first; the next page has the rest."""
    client = client_as(Role.ADMIN)
    TrackedProfileFactory.create_batch(29, workspace=workspace, platform=Platform.X, is_own=True)
    troubled = TrackedProfileFactory(
        workspace=workspace, platform=Platform.YOUTUBE, is_own=False, handle="zz-last", needs_attention=True
    )
    page, shown = _rows(client)
    assert shown == 25 and f'data-testid="connection-{troubled.pk}"' in page
    assert "30 accounts, those with a problem first" in page and "Page 1 of 2" in page
    page, shown = _rows(client, "?page=2")
    assert shown == 5 and f'data-testid="connection-{troubled.pk}"' not in page
    first = measure(client)
    TrackedProfileFactory.create_batch(30, workspace=workspace)
    assert measure(client)[0] == first[0]
    assert _rows(client, "?page=3")[1] == 10


def test_a_connections_failed_days_are_fetched_when_opened_newest_first(client_as, workspace, other_workspace):
    """The page says how many days failed and fetches the days themselves only when "Failed days" is opened
    (metrics:failed_days): its newest 12, newest first, and how many there are in all."""
    from django.urls import reverse

    client = client_as(Role.ADMIN)
    profile = TrackedProfileFactory(workspace=workspace)
    pulls(profile, days_ago=range(2, 16), status=S.FAILED)  # 14 failed days
    pulls(profile, days_ago=range(1, 20))
    page = client.get("/metrics/connections/").content.decode()
    url = reverse("metrics:failed_days", args=[profile.pk])
    assert f'data-fragment-when-open="{url}"' in page and "14 failed days" in page
    assert "<tbody>" not in page[page.index(f'data-testid="failed-days-{profile.pk}"') :].split("</details>")[0]
    table = client.get(url).content.decode()
    shown = [(timezone.localdate() - timedelta(days=n)).strftime("%-d %b %Y") for n in range(2, 14)]
    assert [table.index(day) for day in shown] == sorted(table.index(day) for day in shown)  # newest first
    assert (timezone.localdate() - timedelta(days=14)).strftime("%-d %b %Y") not in table  # the 13th newest
    assert "The 12 most recent of 14." in table
    theirs = TrackedProfileFactory(workspace=other_workspace)
    assert client.get(reverse("metrics:failed_days", args=[theirs.pk])).status_code == 404
    assert client_as(Role.CONTRIBUTOR).get(url).status_code == 403
