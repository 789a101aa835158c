"""Celery tasks of notifications: the immediate e-mails (queued through the outbox) and the daily digest (beat)."""

from celery import shared_task

from . import services

RETRIES = 3
RETRY_AFTER = 2 * 60  # seconds; within TASK_LONGEST_COUNTDOWN


@shared_task(bind=True, acks_late=True, max_retries=RETRIES)
def send_notification_emails(self, notification_ids: list[int]) -> int:
    """Queued by notify() through the outbox: e-mail these notifications, each once; a mail server that failed is
    tried again a few minutes later (the claims given back make the retry send only what did not go)."""
    sent, failed = services.emails_send_immediate(notification_ids=notification_ids)
    if failed and self.request.retries < RETRIES:
        raise self.retry(countdown=RETRY_AFTER)
    return sent


@shared_task(ignore_result=True)
def send_daily_digests() -> int:
    """Beat, hourly: each workspace's members get their digest once its digest hour has passed in its time zone."""
    return services.digests_send()
