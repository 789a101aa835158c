"""A review nobody answers expires (Kapost's approval deadlines): where the workspace's approval settings say so
(`review_expires_after_days`), a publication in review with no event for that many days goes back to draft, its
first approval (if any) dropped, the expiry in its history and its authors told. Run hourly by beat
(calendar_app.expire_stale_reviews); each publication in its own transaction, under its row's lock, so a review
answered meanwhile is left alone.
"""

from datetime import datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from . import services
from .models import ApprovalSettings, Publication

S = Publication.Status


def expire_stale_reviews(*, now: datetime | None = None) -> int:
    """Send back to draft every review that waited longer than its workspace allows; returns how many."""
    now = now or timezone.now()
    expired = 0
    for workspace_id, days in ApprovalSettings.objects.filter(review_expires_after_days__isnull=False).values_list(
        "workspace_id", "review_expires_after_days"
    ):
        stale = (
            Publication.objects.filter(workspace_id=workspace_id, status=S.IN_REVIEW)
            .annotate(last_event=Max("events__created_at"))
            .filter(last_event__lt=now - timedelta(days=days))
            .select_related("workspace", "profile", "content_item")
        )
        expired += sum(services.publication_review_expire(publication=p, days=days, now=now) for p in stale)
    return expired
