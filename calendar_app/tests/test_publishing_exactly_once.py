"""Publishing exactly once: the send is committed before the platform call, and an unanswered or interrupted send is
looked up on the platform, never sent again blindly."""

import json
import threading
from datetime import timedelta
from pathlib import Path

import pytest
import responses
import time_machine
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from accounts.roles import Role
from calendar_app import publisher
from calendar_app.models import Publication
from metrics.connectors.base import (
    AuthExpired,
    ConnectorError,
    LookupNotPossible,
    PublishResult,
    RateLimited,
    TransientError,
)
from metrics.connectors.demo import DemoConnector, PublishedLedger
from metrics.services import credential_save
from tests.markers import requires_postgres

from .factories import OwnProfileFactory, PublicationFactory

REPLIES = Path(__file__).resolve().parents[2] / "metrics" / "tests" / "replies"

S = Publication.Status


def _due(workspace, **kwargs):
    return PublicationFactory(
        workspace=workspace, status=S.SCHEDULED, scheduled_at=timezone.now() - timedelta(minutes=1), **kwargs
    )


class Platform:
    """The platform's edge for one test: `answers` are what each publish call does (a result or an error to raise);
    `found` is what a look-up finds."""

    def __init__(self, *answers, found=None):
        self.answers, self.found = list(answers), found
        self.published, self.lookups = [], []

    def publish(self, *, text, media_urls=(), attempt_id="", media=()):
        self.published.append(attempt_id)
        answer = self.answers.pop(0) if self.answers else PublishResult(external_id=f"post-{len(self.published)}")
        if isinstance(answer, Exception):
            raise answer
        return answer

    def find_published(self, *, text, since, attempt_id=""):
        self.lookups.append((text, since, attempt_id))
        if isinstance(self.found, Exception):
            raise self.found
        return self.found


@pytest.fixture
def platform(monkeypatch):
    def use(*answers, found=None):
        edge = Platform(*answers, found=found)
        monkeypatch.setattr("metrics.connectors.connector_for", lambda profile: edge)
        return edge

    return use


def _actions(publication):
    return list(publication.events.values_list("action", flat=True))


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_the_send_is_committed_before_the_platform_call_and_no_lock_is_held_during_it(workspace, monkeypatch):
    due = _due(workspace)
    seen = {}

    class Looking(Platform):
        def publish(self, *, text, media_urls=(), attempt_id="", media=()):
            # Another connection, as another worker or the crisis switch would be: it sees the committed claim and
            # can lock the row at once (NOWAIT raises if anyone holds it).
            other = connections.create_connection("default")
            try:
                with other.cursor() as cursor:
                    cursor.execute(
                        "SELECT status, attempt_id FROM calendar_app_publication WHERE id = %s FOR UPDATE NOWAIT",
                        [due.pk],
                    )
                    seen["row"] = cursor.fetchone()
            finally:
                other.close()
            return super().publish(text=text, media_urls=media_urls, attempt_id=attempt_id)

    edge = Looking()
    monkeypatch.setattr("metrics.connectors.connector_for", lambda profile: edge)
    publisher.publication_send(publication_id=due.pk)
    due.refresh_from_db()
    assert seen["row"] == ("sending", edge.published[0])
    assert due.status == S.PUBLISHED and due.attempt_id == edge.published[0]
    assert _actions(due) == ["sending", "published"]


@pytest.mark.django_db
def test_a_publication_is_sent_once_however_often_its_send_is_queued(workspace):
    due = _due(workspace)
    for _ in range(3):
        publisher.publication_send(publication_id=due.pk)
    entries = PublishedLedger(due.profile.platform).entries()
    assert [e["attempt_id"] for e in entries] == [Publication.objects.get(pk=due.pk).attempt_id]


@pytest.mark.django_db
def test_an_unanswered_send_is_looked_up_not_sent_again_and_found_it_is_published(workspace, platform):
    edge = platform(
        TransientError("Read timed out", may_have_happened=True),
        found=PublishResult(external_id="1234", permalink="https://x.com/brand/status/1234"),
    )
    due = _due(workspace)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        publisher.publications_publish_due()
        due.refresh_from_db()
        assert due.status == S.SENDING and "No answer from the platform" in due.failure_reason
        publisher.publications_publish_due()  # before its look-up time: nothing happens
        assert (len(edge.published), edge.lookups) == (1, [])
        clock.shift(timedelta(seconds=publisher.LOOKUP_DELAY_SECONDS + 1))
        publisher.publications_publish_due()
    due.refresh_from_db()
    assert (due.status, due.external_id, len(edge.published)) == (S.PUBLISHED, "1234", 1)
    text, since, attempt_id = edge.lookups[0]
    assert (text, attempt_id) == (due.copy, due.attempt_id)
    assert since == due.sending_started_at - publisher.CLOCK_SKEW
    assert _actions(due) == ["sending", "no_answer", "found_on_platform"]


@pytest.mark.django_db
def test_a_send_the_platform_does_not_show_is_sent_again(workspace, platform):
    edge = platform(TransientError("502 Bad Gateway", may_have_happened=True), found=None)
    due = _due(workspace)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        publisher.publications_publish_due()
        clock.shift(timedelta(seconds=publisher.LOOKUP_DELAY_SECONDS + 1))
        publisher.publications_publish_due()
    due.refresh_from_db()
    assert due.status == S.PUBLISHED and len(edge.published) == 2
    assert _actions(due) == ["sending", "no_answer", "not_on_platform", "sending", "published"]


@pytest.mark.django_db(transaction=True)
def test_when_the_platform_cannot_tell_the_outcome_is_unknown_and_the_owner_is_told(workspace, platform, make_member):
    owner = make_member(Role.CONTENT_LEAD, email="owner@example.test").user
    edge = platform(
        ConnectorError("Connection reset by peer", may_have_happened=True),
        found=LookupNotPossible("This network gives no way to look up an earlier post."),
    )
    due = _due(workspace, owner=owner)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        publisher.publications_publish_due()
        clock.shift(timedelta(seconds=publisher.LOOKUP_DELAY_SECONDS + 1))
        publisher.publications_publish_due()
        clock.shift(timedelta(days=1))
        publisher.publications_publish_due()  # nothing more happens to it without a person
    due.refresh_from_db()
    assert due.status == S.UNKNOWN and len(edge.published) == 1
    assert "check on the platform" in due.failure_reason
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["owner@example.test"]
    assert "check on the platform" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_worker_that_died_mid_call_leaves_a_send_that_is_looked_up_after_the_sending_timeout(workspace):
    """What SIGKILL leaves behind (tests/test_publishing_faults.py does it for real): `sending`, nothing recorded,
    and the post on the demo platform."""
    due = _due(workspace)
    claimed = publisher._claim(due.pk, timezone.now())
    DemoConnector(due.profile.platform, handle=due.profile.handle).publish(
        text=claimed.copy, attempt_id=claimed.attempt_id
    )
    publisher.publications_publish_due()
    assert Publication.objects.get(pk=due.pk).status == S.SENDING  # its worker may still be at it
    with time_machine.travel(timezone.now() + publisher.sending_timeout() + timedelta(seconds=1)):
        publisher.publications_publish_due()
    due.refresh_from_db()
    assert due.status == S.PUBLISHED and due.external_id.startswith("demo-pub-")
    assert len(PublishedLedger(due.profile.platform).entries()) == 1
    assert _actions(due) == ["sending", "found_on_platform"]


@pytest.mark.django_db
def test_a_rate_limit_is_a_definite_refusal_retried_at_the_reset(workspace, platform):
    edge = platform(RateLimited("429", retry_after=600))
    due = _due(workspace)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        publisher.publications_publish_due()
        due.refresh_from_db()
        assert (due.status, due.publish_attempts) == (S.SCHEDULED, 1)
        assert due.next_attempt_at == timezone.now() + timedelta(seconds=600)
        assert edge.lookups == []  # refused for sure: nothing to look up
        clock.shift(timedelta(seconds=601))
        publisher.publications_publish_due()
    due.refresh_from_db()
    assert due.status == S.PUBLISHED and len(edge.published) == 2


@pytest.mark.django_db
def test_an_unexpected_error_from_the_connector_is_looked_up_before_anything_is_sent_again(workspace, platform):
    edge = platform(ValueError("Expecting value: line 1 column 1 (char 0)"), found=PublishResult(external_id="9"))
    due = _due(workspace)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        publisher.publications_publish_due()
        assert Publication.objects.get(pk=due.pk).status == S.SENDING
        clock.shift(timedelta(seconds=publisher.LOOKUP_DELAY_SECONDS + 1))
        publisher.publications_publish_due()
    due.refresh_from_db()
    assert (due.status, due.external_id, len(edge.published)) == (S.PUBLISHED, "9", 1)


@pytest.mark.django_db
def test_a_refused_token_fails_the_post_at_once(workspace, platform):
    platform(AuthExpired("X refused the token"))
    due = _due(workspace)
    publisher.publications_publish_due()
    due.refresh_from_db()
    assert due.status == S.FAILED and "X refused the token" in due.failure_reason


@pytest.mark.django_db
def test_a_look_up_that_keeps_failing_ends_as_unknown_after_a_few_tries(workspace, platform):
    edge = platform(TransientError("timeout", may_have_happened=True), found=TransientError("503"))
    due = _due(workspace)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        publisher.publications_publish_due()
        for _ in range(20):
            clock.shift(timedelta(hours=1))
            publisher.publications_publish_due()
    due.refresh_from_db()
    assert due.status == S.UNKNOWN
    assert (len(edge.published), len(edge.lookups)) == (1, publisher.MAX_LOOKUPS)


@pytest.mark.django_db
def test_a_person_resolves_an_unknown_outcome_either_way(workspace, platform, make_member):
    lead = make_member(Role.CONTENT_LEAD).user
    edge = platform()
    went_out = PublicationFactory(workspace=workspace, status=S.UNKNOWN, failure_reason="Outcome unknown.")
    did_not = PublicationFactory(
        workspace=workspace,
        status=S.UNKNOWN,
        failure_reason="Outcome unknown.",
        scheduled_at=timezone.now() - timedelta(hours=1),
        publish_attempts=1,
    )
    publisher.publication_mark_published(publication=went_out, by=lead, permalink="https://x.com/brand/status/5")
    publisher.publication_send_again(publication=did_not, by=lead)
    publisher.publications_publish_due()
    went_out.refresh_from_db()
    did_not.refresh_from_db()
    assert (went_out.status, went_out.permalink) == (S.PUBLISHED, "https://x.com/brand/status/5")
    assert did_not.status == S.PUBLISHED and len(edge.published) == 1
    assert went_out.events.get(action="marked_published").actor == lead


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_four_workers_racing_over_the_same_queue_send_each_publication_once(workspace):
    publications = [_due(workspace) for _ in range(16)]
    start = threading.Barrier(4)
    sent = []

    def worker():
        try:
            start.wait()
            # Each worker runs every send task, as duplicates in the queue would have it.
            for publication in publications:
                if publisher.publication_send(publication_id=publication.pk) is not None:
                    sent.append(publication.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(sent) == sorted(p.pk for p in publications)
    assert len(PublishedLedger("x").entries()) == 16
    assert set(Publication.objects.values_list("status", flat=True)) == {S.PUBLISHED}


@responses.activate
@pytest.mark.django_db
def test_a_facebook_post_accepted_with_its_usage_header_at_98_percent_is_published_once(workspace):
    """The reply recorded in metrics/tests/replies/meta_publish_accepted_with_usage_98.json, through the real
    connector: the platform took the post, so it is published, and the usage only slows the next call down."""
    reply = json.loads((REPLIES / "meta_publish_accepted_with_usage_98.json").read_text())["replies"][0]
    responses.post(reply["url"], status=reply["status"], headers=reply["headers"], json=reply["json"])
    credential_save(workspace=workspace, platform="facebook", token="page-token-0123456789")
    profile = OwnProfileFactory(
        workspace=workspace, platform="facebook", handle="acme", external_id="102938475610293", source="live"
    )
    due = _due(workspace, profile=profile)
    publisher.publications_publish_due()
    due.refresh_from_db()
    assert (due.status, due.external_id) == (S.PUBLISHED, reply["json"]["id"])
    assert len(responses.calls) == 1
    publisher.publications_publish_due()
    assert len(responses.calls) == 1
