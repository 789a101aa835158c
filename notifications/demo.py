"""Demo notifications: what the demo team would have been told about the demo's own publications and ideas.

Each comes from the same calls the services make (`notify` with the event's dedupe key), so a second run adds
nothing. Called by `manage.py seed_demo` after the calendar's demo data.
"""

from django.db import transaction
from django.urls import reverse

from calendar_app.models import Idea, Publication
from calendar_app.services import approvers_of

from .services import notify


def seed(workspace) -> None:
    with transaction.atomic():
        for publication in Publication.objects.filter(workspace=workspace, status=Publication.Status.IN_REVIEW)[:4]:
            notify(
                workspace=workspace, kind="review_requested", recipients=approvers_of(publication),
                title=f"Review requested: {publication.content_item.title} on {publication.profile}",
                body=publication.copy[:300], link=reverse("calendar_app:publication_detail", args=[publication.pk]),
                dedupe_key=f"demo:publication:{publication.pk}:review_requested", actor=publication.owner_id,
            )  # fmt: skip
        gone_wrong = Publication.objects.filter(
            workspace=workspace, status__in=[Publication.Status.FAILED, Publication.Status.UNKNOWN]
        )
        for publication in gone_wrong[:3]:
            notify(
                workspace=workspace, kind="publication_failed",
                recipients=[publication.owner_id, *approvers_of(publication)],
                title=f"Publication {publication.get_status_display().lower()}: {publication.content_item.title}",
                body=publication.failure_reason or "The platform did not say whether the post went out.",
                link=reverse("calendar_app:publication_detail", args=[publication.pk]),
                dedupe_key=f"demo:publication:{publication.pk}:{publication.status}",
            )  # fmt: skip
        decided = Idea.objects.filter(workspace=workspace).exclude(status=Idea.Status.NEW).exclude(author=None)
        for idea in decided[:3]:
            notify(
                workspace=workspace, kind="idea_triaged", recipients=[idea.author_id],
                title=f"Your idea “{idea.title}” was {idea.get_status_display().lower()}",
                link=reverse("calendar_app:idea_detail", args=[idea.pk]),
                dedupe_key=f"demo:idea:{idea.pk}:{idea.status}",
            )  # fmt: skip
