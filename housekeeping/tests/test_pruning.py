"""The nightly pruning deletes old finished pull runs and old delivery-attempt lines, in batches, and keeps what
a page or the next pull still reads."""

import logging
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from calendar_app.models import Publication, PublicationEvent
from calendar_app.tests.factories import PublicationFactory
from housekeeping import services
from housekeeping.tasks import prune_old_records
from metrics.models import PullRun
from metrics.tests.factories import TrackedProfileFactory

pytestmark = pytest.mark.django_db

S = PullRun.Status


def _run(profile, days_ago: float, status=S.SUCCESS) -> int:
    run = PullRun.objects.create(profile=profile, status=status)
    PullRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(days=days_ago))
    return run.pk


def _kept(*pks) -> set[int]:
    return set(PullRun.objects.filter(pk__in=pks).values_list("pk", flat=True))


def test_old_finished_runs_go_and_recent_ones_stay(workspace, settings):
    settings.PULL_RUNS_KEEP_DAYS = 90
    profile = TrackedProfileFactory(workspace=workspace)
    old = [_run(profile, 200), _run(profile, 120, S.NOT_FOUND), _run(profile, 91)]
    recent = [_run(profile, 89), _run(profile, 50, S.FAILED), _run(profile, 1)]

    assert prune_old_records() == {"pull_runs": 3, "delivery_attempts": 0}

    assert _kept(*old) == set()
    assert _kept(*recent) == set(recent)


def test_each_profiles_latest_run_success_and_failure_stay_however_old(workspace, settings):
    settings.PULL_RUNS_KEEP_DAYS = 90
    profile = TrackedProfileFactory(workspace=workspace)
    older_success, latest_success = _run(profile, 400), _run(profile, 300)
    older_failure, latest_failure = _run(profile, 250, S.NOT_FOUND), _run(profile, 200, S.FAILED)
    latest = _run(profile, 150, S.SUCCESS)  # the latest run is also the latest success
    only = _run(TrackedProfileFactory(workspace=workspace), 500, S.FAILED)  # a profile pulled once, long ago

    services.old_records_prune()

    assert _kept(older_success, latest_success, older_failure, latest_failure, latest, only) == {
        latest_failure,
        latest,
        only,
    }
    # With the latest success the newest, the older success went: the pull's window starts from `latest`.
    assert latest_success not in _kept(latest_success)


def test_the_latest_success_stays_behind_a_newer_failure(workspace, settings):
    settings.PULL_RUNS_KEEP_DAYS = 90
    profile = TrackedProfileFactory(workspace=workspace)
    success, failure, newest = _run(profile, 300), _run(profile, 200, S.FAILED), _run(profile, 100, S.FAILED)

    services.old_records_prune()

    assert _kept(success, failure, newest) == {success, newest}


@pytest.mark.parametrize("status", sorted(PullRun.OPEN_STATUSES))
def test_an_open_run_is_never_pruned_its_next_pull_resumes_it(workspace, settings, status):
    settings.PULL_RUNS_KEEP_DAYS = 90
    profile = TrackedProfileFactory(workspace=workspace)
    open_run = _run(profile, 300, status)
    _run(profile, 200, S.FAILED), _run(profile, 1)  # newer runs of both kinds

    services.old_records_prune()

    assert _kept(open_run) == {open_run}


def test_every_workspace_is_pruned_by_age_alone_and_keeps_its_own_latest_runs(workspace, other_workspace, settings):
    settings.PULL_RUNS_KEEP_DAYS = 90
    ours, theirs = TrackedProfileFactory(workspace=workspace), TrackedProfileFactory(workspace=other_workspace)
    our_old, our_latest = _run(ours, 200), _run(ours, 10)
    their_old, their_recent, their_latest = _run(theirs, 200), _run(theirs, 30), _run(theirs, 150, S.FAILED)
    PullRun.objects.filter(pk=their_latest).update(started_at=timezone.now() - timedelta(days=5))

    services.old_records_prune()

    assert _kept(our_old, our_latest, their_old, their_recent, their_latest) == {
        our_latest,
        their_recent,
        their_latest,
    }


def test_runs_are_deleted_in_batches_of_the_given_size(workspace, settings):
    settings.PULL_RUNS_KEEP_DAYS = 90
    profile = TrackedProfileFactory(workspace=workspace)
    for days in range(100, 107):
        _run(profile, days)
    latest = _run(profile, 1)

    with CaptureQueriesContext(connection) as queries:
        result = services.old_records_prune(batch_size=3)

    deletes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("DELETE")]
    assert result.pull_runs == 7
    assert len([sql for sql in deletes if "metrics_pullrun" in sql]) == 3  # 3 + 3 + 1
    assert list(PullRun.objects.values_list("pk", flat=True)) == [latest]


def test_the_run_is_logged_with_what_it_removed(workspace, settings, caplog):
    settings.PULL_RUNS_KEEP_DAYS = 90
    profile = TrackedProfileFactory(workspace=workspace)
    _run(profile, 200), _run(profile, 1)

    with caplog.at_level(logging.INFO, logger="housekeeping.services"):
        services.old_records_prune()

    assert "Pruned 1 pull run(s) older than 90 days and 0 delivery-attempt line(s)" in caplog.text


def _published(workspace, days_ago: int, person) -> Publication:
    when = timezone.now() - timedelta(days=days_ago)
    publication = PublicationFactory(workspace=workspace, status=Publication.Status.PUBLISHED, published_at=when)
    for action in ("created", "approved", "sending", "no_answer", "retry", "sending", "published"):
        actor = person if action in ("created", "approved") else None
        event = PublicationEvent.objects.create(publication=publication, action=action, actor=actor)
        PublicationEvent.objects.filter(pk=event.pk).update(created_at=when)
    return publication


def _actions(publication) -> list[str]:
    return list(publication.events.values_list("action", flat=True))


def test_delivery_attempts_of_posts_published_long_ago_go_and_their_record_stays(workspace, settings, make_member):
    settings.PUBLICATION_ATTEMPTS_KEEP_DAYS = 180
    person = make_member().user
    old, recent = _published(workspace, 200, person), _published(workspace, 100, person)
    failed = _published(workspace, 200, person)
    Publication.objects.filter(pk=failed.pk).update(
        status=Publication.Status.FAILED, failure_reason="Refused"
    )  # someone may still look

    assert prune_old_records() == {"pull_runs": 0, "delivery_attempts": 4}

    assert _actions(old) == ["created", "approved", "published"]
    full = ["created", "approved", "sending", "no_answer", "retry", "sending", "published"]
    assert _actions(recent) == _actions(failed) == full
