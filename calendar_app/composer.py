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
from .queue import next_free_slot
from .voice import COPY_LIMITS


@dataclass
class Draft:
    profile: object  # TrackedProfile
    copy: str


def compose(
    *, workspace, content_item, drafts: list[Draft], shared_copy: str, scheduled_at, queue: bool, media, by,
    library_media=(),
):  # fmt: skip
    """Writes one draft publication per account (its variant, else the shared text), at `scheduled_at` or, with
    `queue`, at each account's next free slot; refused as a whole (ValidationError naming each account) if any is
    wrong. `library_media`: media library files every publication carries. Returns the group."""
    problems, times = [], {}
    for draft in drafts:
        name = account_name(draft.profile.platform, draft.profile.handle)
        limit = COPY_LIMITS.get(draft.profile.platform)
        if limit and len(draft.copy) > limit:
            problems.append(f"{name}: {len(draft.copy)} characters, the network allows {limit}: write a variant.")
        if queue:
            times[draft.profile.pk] = next_free_slot(profile=draft.profile)
            if times[draft.profile.pk] is None:
                problems.append(f"{name}: no free posting slot in the coming weeks: add slots, or choose a time.")
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        group = PublicationGroup.objects.create(workspace=workspace, shared_copy=shared_copy, created_by=by)
        for draft in drafts:
            publication = Publication(
                workspace=workspace,
                group=group,
                content_item=content_item,
                profile=draft.profile,
                copy=draft.copy,
                media_urls=list(media),
                scheduled_at=times.get(draft.profile.pk, scheduled_at),
            )
            services.publication_save(publication=publication, by=by)
            if library_media:
                from media_library.services import publication_media_set

                publication_media_set(publication=publication, media_files=library_media, by=by, new=True)
    return group
