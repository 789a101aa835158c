"""Review links for people outside the workspace (a client, a manager without an account), as Kapost and Planable
give them: one link for one publication or a batch, valid for REVIEW_DAYS days unless withdrawn. Through it the
reviewer sees each post (account, time, copy, media, the comments marked for the client) and approves it, asks for
changes or comments, under the name they give; each answer is in the post's history and its authors are told.

The link shows its own publications and nothing else: every read goes through the review's publications, and an
expired or withdrawn link answers that it is no longer valid. An approval through a link is the client's: it is
recorded and told, and the post's own approval stays with the team's approvers (nor does it approve an approval
step: a step is a member's). Changes asked for a post in review send it back to draft, as a reviewer of the team
would, and undo the steps approved in its round.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.services import notify

from .models import ExternalReview, Publication, PublicationComment, PublicationEvent

S = Publication.Status
REVIEW_DAYS = 7
REVIEW_DAYS_MAX = 30
DECISIONS = {"approve": "Approve", "changes": "Ask for changes", "comment": "Only comment"}


def review_share(*, workspace, publication_ids, reviewer: str, days: int = REVIEW_DAYS, by) -> ExternalReview:
    """A review link for the workspace's publications among `publication_ids`, for `reviewer`, valid `days` days."""
    reviewer = reviewer.strip()
    if not reviewer:
        raise ValidationError("Name the reviewer: the link is theirs, and their answers carry the name.")
    if not 1 <= days <= REVIEW_DAYS_MAX:
        raise ValidationError(f"A link lasts 1 to {REVIEW_DAYS_MAX} days.")
    publications = list(Publication.objects.filter(workspace=workspace, pk__in=publication_ids))
    if not publications:
        raise ValidationError("Choose the posts to share.")
    with transaction.atomic():
        review = ExternalReview.objects.create(
            workspace=workspace,
            reviewer=reviewer[:120],
            created_by=by,
            expires_at=timezone.now() + timedelta(days=days),
        )
        review.publications.set(publications)
        PublicationEvent.objects.bulk_create(
            PublicationEvent(
                publication=p, actor=by, action="shared_for_review", to_status=p.status,
                comment=f"A review link for {review.reviewer}, until {timezone.localtime(review.expires_at):%d %b %Y}.",
            )
            for p in publications
        )  # fmt: skip
    return review


def review_revoke(*, workspace, pk: int) -> bool:
    """Withdraw a link at once; False when the workspace has no such link still valid."""
    return bool(
        ExternalReview.objects.filter(workspace=workspace, pk=pk, revoked_at=None).update(revoked_at=timezone.now())
    )


def review_for_token(token: str) -> tuple[ExternalReview | None, str]:
    """(the review, "valid" | "expired" | "withdrawn"), or (None, "") for a token no link has."""
    review = ExternalReview.objects.select_related("workspace", "created_by").filter(token=token).first()
    if review is None:
        return None, ""
    if review.revoked_at is not None:
        return review, "withdrawn"
    if review.expires_at <= timezone.now():
        return review, "expired"
    return review, "valid"


def review_opened(review: ExternalReview) -> None:
    ExternalReview.objects.filter(pk=review.pk).update(last_opened_at=timezone.now())


def review_publications(review: ExternalReview) -> list[Publication]:
    """The link's publications, with their accounts, content items and the comments marked for the client."""
    from django.db.models import Prefetch

    client_comments = PublicationComment.objects.filter(visibility=PublicationComment.Visibility.CLIENT)
    return list(
        review.publications.select_related("profile", "content_item")
        .prefetch_related(Prefetch("comments", queryset=client_comments.select_related("author"), to_attr="for_client"))
        .order_by("scheduled_at", "pk")
    )


def review_answer(*, review: ExternalReview, publication_id: int, name: str, decision: str, comment: str) -> str:
    """The reviewer's answer on one of the link's publications; returns what the page tells them."""
    name, comment = name.strip()[:120], comment.strip()
    if not name:
        raise ValidationError("Give your name: the team sees who answered.")
    if decision not in DECISIONS:
        raise ValidationError("Choose an answer.")
    if decision != "approve" and not comment:
        raise ValidationError("Say what should change, or write your comment.")
    with transaction.atomic():
        publication = review.publications.select_for_update().filter(pk=publication_id).first()
        if publication is None:
            raise ValidationError("That post is not part of this review.")
        if comment:
            PublicationComment.objects.create(
                publication=publication,
                external_author=name,
                body=comment,
                visibility=PublicationComment.Visibility.CLIENT,
            )
        if decision == "approve":
            said = f"{name} approved it through the review link."
            action, told = "client_approved", "Thank you: your approval is recorded."
        elif decision == "changes":
            said = f"{name} asked for changes through the review link: {comment}"
            action, told = "client_changes_requested", "Thank you: the team sees what should change."
        else:
            said, action, told = None, None, "Thank you: your comment is with the team."
        from .services import approvers_of, publication_authors, round_restart

        if action:
            from_status = publication.status
            if decision == "changes" and publication.status == S.IN_REVIEW:
                publication.status, publication.first_approved_by = S.DRAFT, None
                publication.save(update_fields=["status", "first_approved_by", "updated_at"])
                round_restart(publication)
            PublicationEvent.objects.create(
                publication=publication, actor=None, action=action, from_status=from_status,
                to_status=publication.status, comment=said,
            )  # fmt: skip

        notify(
            workspace=review.workspace, kind="client_review",
            recipients=publication_authors([publication.pk])[publication.pk] | set(approvers_of(publication)),
            title=f"{name} ({DECISIONS[decision].lower()}) on “{publication}”",
            body=comment, link=reverse("calendar_app:publication_detail", args=[publication.pk]),
            dedupe_key=f"external_review:{review.pk}:{publication.pk}:{timezone.now().timestamp()}",
        )  # fmt: skip
    return told
