"""Free tags on publications ("launch", "hiring", "event"), the workspace's own: typed as names on the forms and the
composer (comma-separated) and in the CSV import (`;` or `|`, where a comma would need a quoted cell), found
without case, made when new. Every separator works everywhere, so a name never holds one.

Names are always looked up in the publication's own workspace, so a name another workspace uses makes (or finds) a tag
of this one; a tag row of another workspace is refused where one is handed over (publication_tags_set).
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.db.models.functions import Lower

from .models import Publication, PublicationTag

MAX_TAGS = 10  # a post's tags
NAME_MAX = PublicationTag._meta.get_field("name").max_length
SEPARATORS = re.compile(r"[,;|]")
SUGGESTED = 200  # the names the forms' datalist offers, by name


def tag_names(text: str) -> list[str]:
    """The names in a typed text, in order, each once (whatever its case), or ValidationError saying what is wrong."""
    names = {}
    for name in SEPARATORS.split(text or ""):
        name = " ".join(name.split())
        if name:
            names.setdefault(name.lower(), name)
    if too_long := [n for n in names.values() if len(n) > NAME_MAX]:
        raise ValidationError(f"“{too_long[0][:NAME_MAX]}…” is longer than {NAME_MAX} characters: shorten the tag.")
    if len(names) > MAX_TAGS:
        raise ValidationError(f"At most {MAX_TAGS} tags per post.")
    return list(names.values())


def tags_for_names(*, workspace, names: list[str]) -> list[PublicationTag]:
    """The workspace's tags of those names (any case), made when new, in the order of `names`."""
    if not names:
        return []
    found = (
        PublicationTag.objects.filter(workspace=workspace)
        .annotate(key=Lower("name"))
        .filter(key__in=[n.lower() for n in names])
    )
    existing = {tag.key: tag for tag in found}
    for name in names:
        if name.lower() not in existing:
            existing[name.lower()] = _made_once(workspace=workspace, name=name)
    return [existing[name.lower()] for name in names]


def _made_once(*, workspace, name: str) -> PublicationTag:
    """A new tag; if another request made the same name a moment ago (the unique index, any case), that one."""
    try:
        with transaction.atomic():
            return PublicationTag.objects.create(workspace=workspace, name=name)
    except IntegrityError:
        return PublicationTag.objects.get(workspace=workspace, name__iexact=name)


def publication_tags_set(*, publication: Publication, names: list[str]) -> list[PublicationTag]:
    """Give a publication exactly the tags named (made when new in its workspace). Tags are the team's own labels,
    not what a reviewer approves: changing them sends nothing back to review."""
    tags = tags_for_names(workspace=publication.workspace, names=names)
    tags_set(item=publication, tags=tags)
    return tags


def publication_tag_add(*, publication: Publication, tag: PublicationTag) -> None:
    """Add one tag to a publication (bulk work), of its own workspace (else PermissionDenied); nothing to review."""
    if tag.workspace_id != publication.workspace_id:
        raise PermissionDenied("That tag belongs to another workspace.")
    publication.tags.add(tag)


def tags_set(*, item, tags) -> None:
    """Give a publication or a template these tag rows, all of its own workspace (else PermissionDenied)."""
    if any(tag.workspace_id != item.workspace_id for tag in tags):
        raise PermissionDenied("That tag belongs to another workspace.")
    item.tags.set(tags)


def suggestions(*, workspace) -> list[str]:
    """The names the forms offer as one types (a datalist): the workspace's first SUGGESTED tags by name."""
    rows = PublicationTag.objects.filter(workspace=workspace).order_by(Lower("name"), "pk")
    return list(rows.values_list("name", flat=True)[:SUGGESTED])


def choices(*, workspace, selected: int | None = None) -> list[tuple[int, str]]:
    """The publishing calendar's tag filter, (id, name): the first 100 by name, and the one chosen if it is beyond."""
    rows = PublicationTag.objects.filter(workspace=workspace).order_by(Lower("name"), "pk")
    shown = list(rows.values_list("pk", "name")[:100])
    if selected and all(pk != selected for pk, _ in shown):
        shown += list(rows.filter(pk=selected).values_list("pk", "name"))
    return shown


def by_name() -> Prefetch:
    """A publication's tags by name, prefetched (a post's page, the CSV export)."""
    return Prefetch("tags", queryset=PublicationTag.objects.order_by(Lower("name"), "pk"))


def of_publications(ids) -> dict[int, list[tuple[int, str]]]:
    """Each publication's tags as (id, name), by name, for a window of rows (one query on their ids, never one per
    row)."""
    through = Publication.tags.through
    rows = (
        through.objects.filter(publication_id__in=list(ids))
        .order_by(Lower("publicationtag__name"), "publicationtag_id")
        .values_list("publication_id", "publicationtag_id", "publicationtag__name")
    )
    out: dict[int, list[tuple[int, str]]] = {}
    for publication_id, tag_id, name in rows:
        out.setdefault(publication_id, []).append((tag_id, name))
    return out
