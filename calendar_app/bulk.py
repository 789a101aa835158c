"""Work on several publications at once, from the publishing list: send for review, approve, move to another account,
shift by days, add a tag, duplicate, pause and resume, delete; and the copies one starts from (a duplicate, a template).

Each publication goes through the same service as one would (calendar_app/services.py), in its own transaction: one
refused (four eyes, a state it is no longer in, words to avoid) leaves the others done, and the outcome names each
refused one with its reason. With approval steps, approving approves the step each post has reached (calendar_app/
steps.py), and a post is refused where the member's role is not that step's. Only the workspace's own publications are read; at most BULK_LIMIT at once (a page).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from metrics.models import TrackedProfile

from . import services
from .models import Publication, PublicationEvent, PublicationTemplate
from .tags import publication_tag_add, tag_names, tags_for_names, tags_set

BULK_LIMIT = 50  # the publishing list's page
DELETABLE = (
    Publication.Status.DRAFT,
    Publication.Status.IN_REVIEW,
    Publication.Status.APPROVED,
    Publication.Status.SCHEDULED,
)
ACTIONS = {
    "submit": "Send for review",
    "approve": "Approve",
    "move_account": "Move to another account",
    "shift_days": "Shift by days",
    "add_tag": "Add a tag",
    "duplicate": "Duplicate as drafts",
    "pause": "Pause",
    "resume": "Resume",
    "delete": "Delete",
}
DONE = {
    "submit": "Sent for review",
    "approve": "Approved",
    "move_account": "Moved",
    "shift_days": "Shifted",
    "add_tag": "Tagged",
    "duplicate": "Duplicated",
    "pause": "Paused",
    "resume": "Resumed",
    "delete": "Deleted",
}


@dataclass
class BulkOutcome:
    action: str
    done: list[Publication] = field(default_factory=list)
    refused: list[tuple[Publication, str]] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """ "Approved 3 of 5. Not done: “Spring launch”: you wrote it; …"."""
        total = len(self.done) + len(self.refused)
        text = f"{DONE[self.action]} {len(self.done)} of {total}."
        # Approval steps: approving approves the step each post has reached; those with a step to go say so.
        waiting = [p for p in self.done if self.action == "approve" and p.status == Publication.Status.IN_REVIEW]
        if waiting:
            text = text[:-1] + f" ({len(waiting)} at their current step: they wait for the next)."
        if self.refused:
            reasons = "; ".join(f"“{p}”: {reason.rstrip('.')}" for p, reason in self.refused)
            text += f" Not done: {reasons}."
        return text


def publication_duplicate(*, publication: Publication, by) -> Publication:
    """A draft copy of a publication: the same content item, account, copy, first comment, media (typed addresses and
    library files) and tags, no time yet."""
    from media_library import services as media_services
    from media_library.selectors import publication_media

    copy = Publication(
        workspace=publication.workspace,
        content_item=publication.content_item,
        profile=publication.profile,
        copy=publication.copy,
        first_comment=publication.first_comment,
        thread=publication.thread,
        media_urls=list(publication.media_urls or []),
    )
    copy = services.publication_save(publication=copy, by=by)
    media_services.publication_media_set(
        publication=copy, media_files=publication_media(publication=publication), by=by, new=True
    )
    tags_set(item=copy, tags=list(publication.tags.all()))
    PublicationEvent.objects.filter(publication=copy, action="created").update(
        comment=f"Duplicated from #{publication.pk}."
    )
    return copy


def template_save(*, publication: Publication, name: str, by) -> PublicationTemplate:
    """Save a publication's copy, media, account and tags as a template of the workspace, under a name it has not
    used."""
    name = name.strip()
    if not name:
        raise ValidationError("Name the template.")
    if PublicationTemplate.objects.filter(workspace=publication.workspace, name__iexact=name).exists():
        raise ValidationError(f"A template is named “{name}” already: choose another name.")
    with transaction.atomic():
        template = PublicationTemplate.objects.create(
            workspace=publication.workspace,
            name=name[:80],
            copy=publication.copy,
            first_comment=publication.first_comment,
            thread=publication.thread,
            media_urls=list(publication.media_urls or []),
            profile=publication.profile,
            created_by=by,
        )
        tags_set(item=template, tags=list(publication.tags.all()))
    return template


def publication_delete(*, publication: Publication, by) -> None:
    """Delete a publication that has not gone out (DELETABLE), under its row's lock: one a worker claimed meanwhile
    is `sending`, and refused."""
    with transaction.atomic():
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        if locked.status not in DELETABLE:
            raise ValidationError(
                f"It is {locked.get_status_display().lower()}: only a post not sent yet can be deleted."
            )
        locked.delete()


def _one(action: str, publication: Publication, *, membership, account, days, tag=None):
    user = membership.user
    if action == "submit":
        return services.publication_submit(publication=publication, by=user)
    if action == "approve":
        return services.publication_approve(publication=publication, membership=membership)
    if action == "pause":
        return services.publication_pause(publication=publication, by=user)
    if action == "resume":
        return services.publication_resume(publication=publication, by=user)
    if action == "move_account":
        if publication.profile_id == account.pk:
            raise ValidationError("It is on that account already.")
        publication.profile = account
        return services.publication_save(publication=publication, by=user)
    if action == "shift_days":
        if publication.scheduled_at is None:
            raise ValidationError("It has no time to shift.")
        return services.publication_move(
            publication=publication, scheduled_at=publication.scheduled_at + timedelta(days=days), by=user
        )
    if action == "add_tag":
        return publication_tag_add(publication=publication, tag=tag)
    if action == "duplicate":
        return publication_duplicate(publication=publication, by=user)
    if action == "delete":
        return publication_delete(publication=publication, by=user)
    raise ValueError(action)


def bulk_apply(*, workspace, membership, action: str, ids, account_id=None, days=None, tag_name="") -> BulkOutcome:
    """Apply `action` to the workspace's publications among `ids` (at most BULK_LIMIT), one by one; `add_tag` gives
    each the workspace's tag `tag_name` (made when new)."""
    if action not in ACTIONS:
        raise ValidationError("Choose what to do with the selected posts.")
    account = None
    if action == "move_account":
        account = TrackedProfile.objects.filter(workspace=workspace, is_own=True, pk=account_id).first()
        if account is None:
            raise ValidationError("Choose the account to move them to.")
    if action == "shift_days" and (days is None or days == 0 or abs(days) > 365):
        raise ValidationError("Give a number of days to shift them by (-365 to 365, not 0).")
    tag = None
    if action == "add_tag":
        names = tag_names(tag_name)
        if len(names) != 1:
            raise ValidationError("Give the one tag to add to them.")
        [tag] = tags_for_names(workspace=workspace, names=names)
    ids = list(dict.fromkeys(ids))[:BULK_LIMIT]
    publications = Publication.objects.filter(workspace=workspace, pk__in=ids).select_related("content_item", "profile")
    outcome = BulkOutcome(action)
    for publication in sorted(publications, key=lambda p: ids.index(p.pk)):
        try:
            _one(action, publication, membership=membership, account=account, days=days, tag=tag)
        except (ValidationError, PermissionDenied) as error:
            outcome.refused.append((publication, services.refusal_text(error)))
        else:
            outcome.done.append(publication)
    return outcome
