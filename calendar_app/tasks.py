from celery import shared_task

from . import services


@shared_task(name="calendar_app.publish_due_publications", acks_late=True)
def publish_due_publications() -> int:
    """Every minute (beat): send the publications that are due. Safe to retry or run on several workers."""
    return services.publications_publish_due()
