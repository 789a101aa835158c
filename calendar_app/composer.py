"""One post for several accounts: the text written once, a variant per account where its network needs one, one time
or each account's next free slot; every account gets its own publication (own status, approval and history), tied
by a PublicationGroup. All of them are checked first (each network's limit), then written together, or none.

The composer page previews each account's post while the text is typed (calendar_app/static/calendar_app/
composer.js): the network's character count against its limit (COPY_LIMITS), the text cut where the network cuts
it, and the words to avoid marked; the same limits and words as the server's checks (calendar_app/voice.py).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from metrics.platforms import account_name

from . import services
from .models import Publication, PublicationGroup
from .queue import lock_queues, next_free_slot
from .tags import tags_for_names, tags_set
from .voice import first_comment_problem, length_problem, thread_problem


@dataclass
class Draft:
    profile: object  # TrackedProfile
    copy: str
    scheduled_at: object = None  # this account's own time (aware datetime), else the shared time or its queue slot
    # This account's own media: library files (with no typed addresses), [] for none; None: the shared media.
    media_files: list | None = None
    first_comment: str = ""  # its own, or the shared one
    thread: str = ""  # the shared thread, on the networks that take one


def compose(
    *, workspace, content_item, drafts: list[Draft], shared_copy: str, scheduled_at, queue: bool, media, by,
    library_media=(), tags=(),
):  # fmt: skip
    """Writes one draft publication per account (its variant, else the shared text), at `scheduled_at` or, with
        `queue`, at each account's next free slot (an account given its own time keeps it); refused as a whole (ValidationError naming each account) if any is
        wrong. `library_media` and `media`: the library files and addresses every publication carries, unless its draft has
    media of its own. `tags`: the names every draft is tagged with (made when new). Returns the group."""
    with transaction.atomic():
        queued = [d.profile.pk for d in drafts if queue and d.scheduled_at is None]
        lock_queues(queued)  # the slots are chosen and taken while their queues are held
        problems, times = [], {}
        for draft in drafts:
            name = account_name(draft.profile.platform, draft.profile.handle)
            if too_long := length_problem(draft.profile.platform, draft.copy):
                problems.append(f"{name}: {too_long} Write a variant.")
            if too_long := first_comment_problem(draft.profile.platform, draft.first_comment):
                problems.append(f"{name}: {too_long} Give it its own.")
            if wrong := thread_problem(draft.profile.platform, draft.thread):
                problems.append(f"{name}: {wrong}")
            if draft.scheduled_at is not None:
                times[draft.profile.pk] = draft.scheduled_at
            elif queue:
                times[draft.profile.pk] = next_free_slot(profile=draft.profile)
                if times[draft.profile.pk] is None:
                    problems.append(f"{name}: no free posting slot in the coming weeks: add slots, or choose a time.")
        if problems:
            raise ValidationError(problems)
        group = PublicationGroup.objects.create(workspace=workspace, shared_copy=shared_copy, created_by=by)
        found = tags_for_names(workspace=workspace, names=list(tags))
        for draft in drafts:
            publication = Publication(
                workspace=workspace,
                group=group,
                content_item=content_item,
                profile=draft.profile,
                copy=draft.copy,
                first_comment=draft.first_comment,
                thread=draft.thread,
                media_urls=list(media) if draft.media_files is None else [],
                scheduled_at=times.get(draft.profile.pk, scheduled_at),
            )
            services.publication_save(publication=publication, by=by)
            files = library_media if draft.media_files is None else draft.media_files
            if files:
                from media_library.services import publication_media_set

                publication_media_set(publication=publication, media_files=files, by=by, new=True)
            if found:
                tags_set(item=publication, tags=found)
    return group
