"""The e-mails: sent once the event commits, each once however often the task runs; the digest groups a member's
notifications into one mail a day, at the digest hour of the workspace's zone; times in that zone."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from notifications import services, tasks
from notifications.kinds import Email
from notifications.models import Notification
from outbox.models import QueuedAction

from .helpers import mails_to, of, tell

pytestmark = pytest.mark.django_db


def test_an_immediate_kind_is_emailed_once_the_event_commits(workspace, make_member, settings):
    settings.SITE_URL = "https://social.example.com/"
    ann = make_member(Role.ADMIN, email="ann@example.test")
    with transaction.atomic():
        tell(workspace, [ann], kind="publication_failed", title="Post failed", link="/calendar/publishing/7/")
        assert mail.outbox == []  # not before the commit
    # The test's own transaction never commits: run what the commit would.
    action = QueuedAction.objects.get(name="notifications.email")
    tasks.send_notification_emails.delay(**action.arguments)
    (message,) = mails_to("ann@example.test")
    assert message.subject == "[Acme] Post failed"
    assert "Open it: https://social.example.com/calendar/publishing/7/" in message.body
    assert Notification.objects.get().emailed_at is not None


@pytest.mark.django_db(transaction=True)
def test_through_the_outbox_and_the_task_queue_on_commit(workspace, make_member):
    ann = make_member(Role.ADMIN, email="ann@example.test")
    with transaction.atomic():
        tell(workspace, [ann], kind="comment")
    assert len(mails_to("ann@example.test")) == 1
    assert QueuedAction.objects.get().outcome == QueuedAction.Outcome.DONE


def test_the_task_run_twice_sends_once(workspace, make_member):
    ann = make_member(Role.ADMIN, email="ann@example.test")
    tell(workspace, [ann], kind="comment")
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert tasks.send_notification_emails.delay(notification_ids=ids).get() == 1
    assert tasks.send_notification_emails.delay(notification_ids=ids).get() == 0
    assert len(mail.outbox) == 1


def test_a_row_claimed_by_another_run_meanwhile_is_not_sent_again(workspace, make_member):
    ann = make_member(Role.ADMIN, email="ann@example.test")
    tell(workspace, [ann], kind="comment")
    notification = Notification.objects.get()
    real_claim = services._claim

    def another_run_first(ids, **kwargs):
        Notification.objects.filter(pk__in=ids).update(emailed_at=timezone.now())  # the other worker's claim
        return real_claim(ids, **kwargs)

    with mock.patch.object(services, "_claim", another_run_first):
        assert services.emails_send_immediate(notification_ids=[notification.pk]) == (0, 0)
    assert mail.outbox == []


def test_a_mail_server_that_fails_gives_the_claim_back_for_the_retry(workspace, make_member):
    ann = make_member(Role.ADMIN, email="ann@example.test")
    tell(workspace, [ann], kind="comment")
    notification = Notification.objects.get()
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("connection refused")):
        assert services.emails_send_immediate(notification_ids=[notification.pk]) == (0, 1)
    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert services.emails_send_immediate(notification_ids=[notification.pk]) == (1, 0)


def test_a_kind_whose_email_is_off_or_digest_is_not_emailed_at_once(workspace, make_member):
    ann = make_member(Role.ADMIN, email="ann@example.test")
    services.preferences_set(membership=ann, choices={"comment": Email.OFF})
    tell(workspace, [ann], kind="comment", key="a")
    tell(workspace, [ann], kind="review_requested", key="b")  # digest by default
    assert QueuedAction.objects.count() == 0
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert services.emails_send_immediate(notification_ids=ids) == (0, 0)
    assert {n.kind: n.email for n in of(ann)} == {"comment": "off", "review_requested": "digest"}


def test_the_email_has_the_unsubscribe_link_and_headers_and_the_workspace_time(workspace, make_member):
    ann = make_member(Role.ADMIN, email="ann@example.test")
    with time_machine.travel(datetime(2026, 1, 15, 8, 30, tzinfo=UTC), tick=False):
        tell(workspace, [ann], kind="comment")
    services.emails_send_immediate(notification_ids=list(Notification.objects.values_list("pk", flat=True)))
    (message,) = mail.outbox
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/notifications/unsubscribe/" in unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in message.body
    assert "Thu 15 Jan 2026, 09:30 (Europe/Paris)" in message.body  # 08:30 UTC in Paris


def _digest_day(workspace, *, hour):
    """`hour` o'clock in the workspace's zone on 2026-01-15."""
    return datetime(2026, 1, 15, hour, 30, tzinfo=UTC) - timedelta(hours=1)  # Paris is UTC+1 in January


def test_the_digest_groups_a_members_notifications_into_one_mail_once(workspace, make_member, settings):
    settings.NOTIFICATIONS_DIGEST_HOUR = 7
    ann = make_member(Role.ADMIN, email="ann@example.test")
    bob = make_member(Role.ADMIN, email="bob@example.test")
    with time_machine.travel(_digest_day(workspace, hour=5), tick=False):
        tell(workspace, [ann, bob], kind="review_requested", key="r1", title="Review A")
        tell(workspace, [ann], kind="review_requested", key="r2", title="Review B")
        tell(workspace, [ann], kind="idea_triaged", key="i1", title="Your idea was accepted")
        tell(workspace, [ann], kind="comment", key="c1", title="At once, not in the digest")
    with time_machine.travel(_digest_day(workspace, hour=6), tick=False):
        assert services.digests_send() == 0  # before the digest hour
    with time_machine.travel(_digest_day(workspace, hour=7), tick=False):
        assert tasks.send_daily_digests.delay().get() == 2
        assert services.digests_send() == 0  # once
    (digest,) = mails_to("ann@example.test")
    assert digest.subject == "[Acme] Your daily digest: 3 notifications"
    for title in ("Review A", "Review B", "Your idea was accepted", "Reviews requested", "Your ideas"):
        assert title in digest.body
    assert "At once" not in digest.body
    assert "Thu 15 Jan, 05:30" in digest.body  # the workspace's time
    assert len(mails_to("bob@example.test")) == 1


def test_what_comes_after_the_digest_hour_waits_for_the_next_day(workspace, make_member, settings):
    settings.NOTIFICATIONS_DIGEST_HOUR = 7
    ann = make_member(Role.ADMIN, email="ann@example.test")
    with time_machine.travel(_digest_day(workspace, hour=9), tick=False):
        tell(workspace, [ann], kind="review_requested")
        assert services.digests_send() == 0
    with time_machine.travel(_digest_day(workspace, hour=9) + timedelta(days=1), tick=False):
        assert services.digests_send() == 1


def test_a_digest_that_failed_is_sent_by_the_next_run(workspace, make_member, settings):
    ann = make_member(Role.ADMIN, email="ann@example.test")
    with time_machine.travel(_digest_day(workspace, hour=5), tick=False):
        tell(workspace, [ann], kind="review_requested")
    with time_machine.travel(_digest_day(workspace, hour=8), tick=False):
        with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("down")):
            assert services.digests_send() == 0
        assert services.digests_send() == 1
    assert len(mail.outbox) == 1
