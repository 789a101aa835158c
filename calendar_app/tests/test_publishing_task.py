import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone

from accounts.roles import Role
from calendar_app import publisher, services
from calendar_app.models import Publication
from calendar_app.tasks import publish_due_publications
from metrics.models import TrackedProfile
from tests.markers import requires_postgres

from .factories import OwnProfileFactory, PublicationFactory

S = Publication.Status


def _due(workspace, **kwargs):
    return PublicationFactory(
        workspace=workspace, status=S.SCHEDULED, scheduled_at=timezone.now() - timedelta(minutes=1), **kwargs
    )


@pytest.mark.django_db
def test_the_task_publishes_due_publications_through_the_demo_connector(workspace):
    due = _due(workspace)
    later = PublicationFactory(workspace=workspace, status=S.SCHEDULED)
    assert publish_due_publications.delay().get() == 1
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == S.PUBLISHED and due.external_id.startswith("demo-pub-") and due.permalink
    assert later.status == S.SCHEDULED
    assert list(due.events.values_list("action", flat=True)) == ["sending", "published"]


@pytest.mark.django_db
def test_a_retry_after_success_publishes_nothing_twice(workspace):
    due = _due(workspace)
    publish_due_publications.delay()
    publish_due_publications.delay()
    assert due.events.filter(action="published").count() == 1


@pytest.mark.django_db
def test_nothing_goes_out_while_paused_not_even_a_publication_due_this_minute(workspace, make_member):
    due = _due(workspace)
    services.crisis_pause_start(workspace=workspace, by=None, reason="Crisis")
    assert publish_due_publications.delay().get() == 0
    due.refresh_from_db()
    assert due.status == S.PAUSED
    services.crisis_pause_end(workspace=workspace, by=None)
    due.refresh_from_db()
    assert due.status == S.HELD  # it fell due during the pause: a person decides, the next tick sends nothing
    assert publish_due_publications.delay().get() == 0
    publisher.publication_send_again(publication=due, by=make_member(Role.ADMIN).user)
    assert publish_due_publications.delay().get() == 1


@pytest.mark.django_db
def test_a_pause_elsewhere_does_not_hold_this_workspace(workspace, other_workspace):
    services.crisis_pause_start(workspace=other_workspace, by=None, reason="Their crisis")
    due = _due(workspace)
    publish_due_publications.delay()
    due.refresh_from_db()
    assert due.status == S.PUBLISHED


@pytest.mark.django_db
def test_a_failure_marks_the_publication_failed_and_emails_its_owner(workspace, make_member):
    owner = make_member(Role.COMMUNITY_MANAGER, email="owner@example.test").user
    # A live connection on a network without a live connector: the platform edge refuses it.
    profile = OwnProfileFactory(workspace=workspace, platform="pinterest", source=TrackedProfile.Source.LIVE)
    due = _due(workspace, profile=profile, owner=owner)
    publish_due_publications.delay()
    due.refresh_from_db()
    assert due.status == S.FAILED
    assert "No live connector" in due.failure_reason
    assert len(mail.outbox) == 0  # sent on commit, which a test transaction never reaches


@pytest.mark.django_db(transaction=True)
def test_the_owner_is_emailed_once_the_failure_is_committed(workspace, make_member, settings):
    settings.SITE_URL = "https://social.example.com/"
    owner = make_member(Role.COMMUNITY_MANAGER, email="owner@example.test").user
    profile = OwnProfileFactory(workspace=workspace, platform="pinterest", source=TrackedProfile.Source.LIVE)
    _due(workspace, profile=profile, owner=owner)
    publish_due_publications.delay()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["owner@example.test"]
    assert "No live connector" in mail.outbox[0].body
    publication = Publication.objects.get()
    assert f"Open it: https://social.example.com/calendar/publishing/{publication.pk}/" in mail.outbox[0].body


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_never_publish_one_publication_twice(workspace):
    publications = [_due(workspace) for _ in range(12)]
    start = threading.Barrier(4)
    handled = []

    def worker():
        try:
            start.wait()
            handled.append(publisher.publications_publish_due())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(handled) == 12
    for publication in publications:
        assert publication.events.filter(action="published").count() == 1
    assert set(Publication.objects.values_list("status", flat=True)) == {S.PUBLISHED}


class _RateLimitedOnce:
    """The platform's edge: answers 429 with a reset time the first time, then accepts the post."""

    def __init__(self, retry_after):
        self.retry_after, self.calls = retry_after, 0

    def publish(self, *, text, media_urls, attempt_id="", media=()):
        from metrics.connectors.base import PublishResult, RateLimited

        self.calls += 1
        if self.calls == 1:
            raise RateLimited("429 Too Many Requests", retry_after=self.retry_after)
        return PublishResult(external_id="x-123", permalink="https://x.com/i/123")


@pytest.mark.django_db
def test_a_rate_limited_publication_waits_for_the_reset_time_then_goes_out(workspace, monkeypatch):
    platform = _RateLimitedOnce(retry_after=900)
    monkeypatch.setattr("metrics.connectors.connector_for", lambda profile: platform)
    due = _due(workspace)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        now = timezone.now()
        publisher.publications_publish_due()
        due.refresh_from_db()
        assert (due.status, due.publish_attempts) == (S.SCHEDULED, 1)
        assert due.next_attempt_at == now + timedelta(seconds=900)
        clock.shift(timedelta(seconds=899))
        publisher.publications_publish_due()  # not before the reset
        assert platform.calls == 1
        clock.shift(timedelta(seconds=2))
        publisher.publications_publish_due()
    due.refresh_from_db()
    assert (due.status, due.external_id, platform.calls) == (S.PUBLISHED, "x-123", 2)


@pytest.mark.django_db
def test_a_publication_that_keeps_hitting_transient_errors_fails_after_five_attempts(workspace, monkeypatch):
    from metrics.connectors.base import TransientError

    class Down:
        def publish(self, *, text, media_urls, attempt_id="", media=()):
            raise TransientError("503 from the platform")

    monkeypatch.setattr("metrics.connectors.connector_for", lambda profile: Down())
    due = _due(workspace)
    now = timezone.now()
    for attempt in range(publisher.MAX_PUBLISH_ATTEMPTS):
        publisher.publications_publish_due(now=now + timedelta(days=attempt))
    due.refresh_from_db()
    assert due.status == S.FAILED
    assert "gave up after 5 attempts" in due.failure_reason
    assert list(due.events.values_list("action", flat=True)).count("retry") == 4
