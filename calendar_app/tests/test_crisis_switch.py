"""The crisis switch wins against publishing: it never waits for a platform call, no send starts once it is on, and
the posts that fell due during the pause wait for a person after it is lifted."""

import threading
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from calendar_app import publisher, services
from calendar_app.models import UNEDITABLE_STATUSES, CrisisPause, Publication
from metrics.connectors.base import PublishResult
from metrics.connectors.demo import PublishedLedger
from tests.markers import requires_postgres

from .factories import PublicationFactory

S = Publication.Status


def _due(workspace, minutes_ago=1, **kwargs):
    return PublicationFactory(
        workspace=workspace, status=S.SCHEDULED, scheduled_at=timezone.now() - timedelta(minutes=minutes_ago), **kwargs
    )


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_the_switch_answers_while_a_post_is_on_its_way_and_nothing_else_is_sent(workspace, monkeypatch):
    in_call, release = threading.Event(), threading.Event()
    calls = []

    class SlowPlatform:
        def publish(self, *, text, media_urls=(), attempt_id="", media=()):
            calls.append(text)
            in_call.set()
            assert release.wait(30)
            return PublishResult(external_id=f"p{len(calls)}")

    monkeypatch.setattr("metrics.connectors.connector_for", lambda profile: SlowPlatform())
    first, *others = [_due(workspace) for _ in range(5)]

    def send_first():
        try:
            publisher.publication_send(publication_id=first.pk)
        finally:
            connection.close()

    worker = threading.Thread(target=send_first)
    worker.start()
    assert in_call.wait(10)
    switched = {}

    def switch_on():
        try:
            switched["pause"] = services.crisis_pause_start(workspace=workspace, by=None, reason="Crisis")
        finally:
            connection.close()

    switch = threading.Thread(target=switch_on)
    switch.start()
    switch.join(timeout=10)
    still_in_call = not release.is_set()
    release.set()
    worker.join()
    assert not switch.is_alive() and still_in_call  # it did not wait for the platform call to end
    assert (switched["pause"].paused_count, switched["pause"].sending_count) == (4, 1)
    for publication in others:
        assert publisher.publication_send(publication_id=publication.pk) is None
    assert len(calls) == 1
    statuses = dict(Publication.objects.values_list("pk", "status"))
    assert statuses == {first.pk: S.PUBLISHED, **{p.pk: S.PAUSED for p in others}}


@pytest.mark.django_db(transaction=True)
def test_a_pause_committed_between_the_claim_and_the_call_still_stops_the_call(workspace, monkeypatch):
    claim = publisher._claim

    def claim_then_pause(publication_id, now):
        claimed = claim(publication_id, now)
        services.crisis_pause_start(workspace=workspace, by=None, reason="Crisis")  # another request, right now
        return claimed

    monkeypatch.setattr(publisher, "_claim", claim_then_pause)
    due = _due(workspace)
    assert publisher.publication_send(publication_id=due.pk) is None
    due.refresh_from_db()
    assert (due.status, due.status_before_pause, due.publish_attempts) == (S.PAUSED, S.SCHEDULED, 0)
    assert PublishedLedger(due.profile.platform).entries() == []
    assert CrisisPause.objects.get().sending_count == 1  # counted as on its way when the switch went on


@pytest.mark.django_db
def test_a_post_scheduled_after_the_pause_began_is_held_by_its_claim(workspace):
    services.crisis_pause_start(workspace=workspace, by=None, reason="Crisis")
    # As if an approval had committed just after the pause held the others.
    late = _due(workspace)
    assert publisher.due_publication_ids() == []  # the paused workspace is skipped outright
    assert publisher.publication_send(publication_id=late.pk) is None  # and a queued send is refused
    late.refresh_from_db()
    assert (late.status, late.status_before_pause) == (S.PAUSED, S.SCHEDULED)
    assert list(late.events.values_list("action", flat=True)) == ["paused"]  # never even claimed for sending
    assert PublishedLedger(late.profile.platform).entries() == []


@pytest.mark.django_db
def test_resuming_puts_future_posts_back_and_holds_those_that_fell_due(workspace, make_member):
    lead = make_member(Role.STRATEGY_LEAD).user
    fell_due = PublicationFactory(workspace=workspace, status=S.SCHEDULED, scheduled_at=timezone.now())
    future = PublicationFactory(workspace=workspace, status=S.SCHEDULED)
    approved = PublicationFactory(workspace=workspace, status=S.APPROVED, scheduled_at=None)
    services.crisis_pause_start(workspace=workspace, by=lead, reason="Recall")
    pause = services.crisis_pause_end(workspace=workspace, by=lead)
    statuses = dict(Publication.objects.values_list("pk", "status"))
    assert statuses == {fell_due.pk: S.HELD, future.pk: S.SCHEDULED, approved.pk: S.APPROVED}
    assert (pause.resumed_count, pause.held_count) == (2, 1)
    assert list(fell_due.events.values_list("action", flat=True)) == ["paused", "held"]
    assert publisher.publications_publish_due(now=timezone.now() + timedelta(days=3)) == 1  # only the future one
    assert Publication.objects.get(pk=fell_due.pk).status == S.HELD


@pytest.mark.django_db
def test_the_team_decides_each_held_post_on_the_crisis_page(client_as, workspace):
    client = client_as(Role.ADMIN)
    send, later, review = (
        PublicationFactory(workspace=workspace, status=S.HELD, scheduled_at=timezone.now() - timedelta(hours=h))
        for h in (1, 2, 3)
    )
    for listing in ("calendar_app:crisis", "calendar_app:publishing"):
        page = client.get(reverse(listing)).content.decode()
        assert page.count('data-testid="decision"') == 3 and page.count('data-testid="send-now"') == 3
    crisis_page = reverse("calendar_app:crisis")
    act = lambda p, action, **data: client.post(  # noqa: E731
        reverse("calendar_app:publication_action", args=[p.pk, action]), {"next": crisis_page, **data}
    )
    assert act(send, "send_again").url == crisis_page
    act(later, "reschedule", scheduled_at="2999-01-02T10:30")
    act(review, "back_to_review", comment="Not now: rewrite it after the statement.")
    for publication in (send, later, review):
        publication.refresh_from_db()
    assert (send.status, later.status, review.status) == (S.SCHEDULED, S.SCHEDULED, S.IN_REVIEW)
    assert later.scheduled_at.astimezone(ZoneInfo(workspace.time_zone)).strftime("%H:%M") == "10:30"  # its zone
    publisher.publications_publish_due()
    assert Publication.objects.get(pk=send.pk).status == S.PUBLISHED
    assert 'data-testid="decision"' not in client.get(crisis_page).content.decode()


@pytest.mark.django_db
def test_only_an_approver_sends_a_held_post(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    held = PublicationFactory(workspace=workspace, status=S.HELD, scheduled_at=timezone.now() - timedelta(hours=1))
    assert 'data-testid="send-now"' not in client.get(reverse("calendar_app:crisis")).content.decode()
    client.post(reverse("calendar_app:publication_action", args=[held.pk, "send_again"]))
    client.post(
        reverse("calendar_app:publication_action", args=[held.pk, "reschedule"]), {"scheduled_at": "2999-01-01T10:00"}
    )
    held.refresh_from_db()
    assert held.status == S.HELD


@pytest.mark.django_db
def test_nothing_held_is_sent_while_the_switch_is_on(client_as, workspace):
    client = client_as(Role.ADMIN)
    held = PublicationFactory(workspace=workspace, status=S.HELD, scheduled_at=timezone.now() - timedelta(hours=1))
    client.post(reverse("calendar_app:crisis"), {"reason": "A second crisis"})
    response = client.post(reverse("calendar_app:publication_action", args=[held.pk, "send_again"]), follow=True)
    assert "The crisis switch is on" in response.content.decode()
    assert Publication.objects.get(pk=held.pk).status == S.HELD


@pytest.mark.django_db
def test_a_held_post_cannot_be_rescheduled_into_the_past(client_as, workspace):
    client = client_as(Role.ADMIN)
    held = PublicationFactory(workspace=workspace, status=S.HELD, scheduled_at=timezone.now() - timedelta(hours=1))
    response = client.post(
        reverse("calendar_app:publication_action", args=[held.pk, "reschedule"]),
        {"scheduled_at": "2001-01-01T10:00"},
        follow=True,
    )
    assert "Pick a time in the future" in response.content.decode()
    assert Publication.objects.get(pk=held.pk).status == S.HELD


@pytest.mark.django_db
def test_switching_on_says_how_many_posts_were_already_on_their_way(client_as, workspace):
    client = client_as(Role.CONTENT_LEAD)
    _due(workspace)
    PublicationFactory(
        workspace=workspace,
        status=S.SENDING,
        attempt_id="a-1",
        sending_started_at=timezone.now(),
        next_attempt_at=timezone.now() + timedelta(minutes=5),
    )
    response = client.post(reverse("calendar_app:crisis"), {"reason": "Outage"}, follow=True)
    page = response.content.decode()
    assert "1 publications are paused" in page
    assert "1 were already on their way to the platform" in page


@pytest.mark.django_db
def test_an_unknown_outcome_shows_its_two_answers_on_the_publication_page(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    unknown = PublicationFactory(workspace=workspace, status=S.UNKNOWN, failure_reason="Outcome unknown: check it.")
    url = reverse("calendar_app:publication_detail", args=[unknown.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="mark-published"' in page and 'data-testid="send-again"' in page
    response = client.post(
        reverse("calendar_app:publication_action", args=[unknown.pk, "mark_published"]),
        {"permalink": "https://www.facebook.com/123_456", "next": url},
    )
    assert response.url == url
    unknown.refresh_from_db()
    assert (unknown.status, unknown.permalink) == (S.PUBLISHED, "https://www.facebook.com/123_456")


@pytest.mark.django_db
def test_an_action_never_redirects_off_the_site(client_as, workspace):
    client = client_as(Role.ADMIN)
    held = PublicationFactory(workspace=workspace, status=S.HELD, scheduled_at=timezone.now() - timedelta(hours=1))
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(
            reverse("calendar_app:publication_action", args=[held.pk, "back_to_review"]), {"next": target}
        )
        assert response.url == reverse("calendar_app:publication_detail", args=[held.pk])
        Publication.objects.filter(pk=held.pk).update(status=S.HELD)


@pytest.mark.django_db
def test_a_post_being_sent_or_of_unknown_outcome_cannot_be_edited(workspace):
    for status in (S.SENDING, S.UNKNOWN):
        publication = PublicationFactory(
            workspace=workspace,
            status=status,
            attempt_id="a",
            sending_started_at=timezone.now(),
            next_attempt_at=timezone.now(),
            failure_reason="Outcome unknown.",
        )
        publication.copy = "Changed"
        with pytest.raises(ValidationError, match=r"being sent|went out"):
            services.publication_save(publication=publication, by=None)


def test_every_status_that_cannot_be_edited_says_why():
    assert set(services.NOT_EDITABLE) == UNEDITABLE_STATUSES
