"""Publishing tasks, on the `publishing` queue (smm/settings.py CELERY_TASK_ROUTES) and its own workers, so that a
burst of pulls never delays a due post. Thin: calendar_app/publisher.py holds the rules."""

from celery import shared_task
from django.conf import settings

from . import follow_ups, publisher
from .models import FollowUp

# A send or a look-up is stopped (its pool process killed) well before its publication's look-up time comes, so a
# look-up never races a send still in progress: the killed send is looked up like any worker that died.
SEND_TIME_LIMIT = 0.8 * settings.PUBLISH_SENDING_TIMEOUT


@shared_task(name="calendar_app.publish_due_publications", acks_late=True)
def publish_due_publications() -> int:
    """Every minute (beat): queue one send per due publication and one look-up per send left without an outcome.

    A publication queued twice (a slow minute, a redelivered message) is sent once: each send claims it first.
    """
    due = publisher.due_publication_ids()
    for publication_id in due:
        publish_publication.delay(publication_id)
    for publication_id in publisher.lookups_due_ids():
        look_up_publication.delay(publication_id)
    for follow_up_id in follow_ups.due_ids():  # retries, a thread's next parts, and those a pause kept waiting
        post_follow_up.delay(follow_up_id)
    for follow_up_id in follow_ups.stranded_ids():
        follow_ups.follow_up_stranded(comment_id=follow_up_id)
    return len(due)


@shared_task(name="calendar_app.publish_publication", acks_late=True, time_limit=SEND_TIME_LIMIT)
def publish_publication(publication_id: int) -> str | None:
    """Send one publication, exactly once, unless the crisis switch is on."""
    publication = publisher.publication_send(publication_id=publication_id)
    if publication is not None and publication.status == publisher.S.PUBLISHED:
        waiting = FollowUp.objects.filter(publication_id=publication_id, status=FollowUp.Status.WAITING)
        for follow_up_id in waiting.values_list("pk", flat=True):
            post_follow_up.delay(follow_up_id)  # right after its post, not at the next minute
    return publication.status if publication is not None else None


@shared_task(name="calendar_app.post_follow_up", acks_late=True, time_limit=SEND_TIME_LIMIT)
def post_follow_up(follow_up_id: int) -> str | None:
    """Post a published post's first comment or a part of its thread, once (calendar_app/follow_ups.py); a thread's
    next part goes right after it."""
    follow_up = follow_ups.follow_up_send(comment_id=follow_up_id)
    if follow_up is not None and follow_up.status == FollowUp.Status.POSTED and not follow_up.is_first_comment:
        after = FollowUp.objects.filter(
            publication_id=follow_up.publication_id, position=follow_up.position + 1, status=FollowUp.Status.WAITING
        )
        for next_id in after.values_list("pk", flat=True):
            post_follow_up.delay(next_id)
    return follow_up.status if follow_up is not None else None


@shared_task(name="calendar_app.look_up_publication", acks_late=True, time_limit=SEND_TIME_LIMIT)
def look_up_publication(publication_id: int) -> str | None:
    """Ask the platform whether a send left without an outcome went out."""
    publication = publisher.publication_look_up(publication_id=publication_id)
    return publication.status if publication is not None else None


@shared_task(name="calendar_app.expire_stale_reviews")
def expire_stale_reviews() -> int:
    """Hourly: reviews nobody answered in the days their workspace allows go back to draft (review_expiry.py)."""
    from .review_expiry import expire_stale_reviews as expire

    return expire()
