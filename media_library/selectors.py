"""The media library's reads: a page of the library (filtered from the address), one file with where it is used,
the files a publication carries, and the window of files a post's form offers."""

from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, QueryDict

from common.filters import AddressFilters
from common.lookups import AnyOf

from .models import MediaFile, MediaFolder, MediaTag, PublicationMedia

PAGE_SIZE = 48
CHOICES_SHOWN = 100  # folders and tags a filter lists (and the one chosen)
FORM_WINDOW = 200  # the newest files a post's form offers, plus those it carries
SEARCH_MAX = 100


def _id(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 12 else None


@dataclass(frozen=True)
class LibraryFilters(AddressFilters):
    """The library's filters, read from the query string (`folder`, `tag`, `kind`, `q`); unknown values dropped."""

    folder: int | None = None
    tag: int | None = None
    kind: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> "LibraryFilters":
        kind = query.get("kind", "")
        return cls(
            folder=_id(query.get("folder", "")),
            tag=_id(query.get("tag", "")),
            kind=kind if kind in MediaFile.Kind.values else "",
            q=query.get("q", "").strip()[:SEARCH_MAX],
        )

    def apply(self, files: QuerySet) -> QuerySet:
        if self.folder:
            files = files.filter(folder_id=self.folder)
        if self.tag:
            files = files.filter(pk__in=MediaFile.tags.through.objects.filter(mediatag_id=self.tag).values("mediafile"))
        if self.kind:
            files = files.filter(kind=self.kind)
        if self.q:  # name, alt text and tags, any case (MediaFile.search_text)
            files = files.filter(search_text__contains=self.q.lower())
        return files


def _with_tags(files: QuerySet) -> QuerySet:
    return files.prefetch_related(Prefetch("tags", queryset=MediaTag.objects.order_by("name")))


def library_page(*, workspace, filters: LibraryFilters, page_number):
    """One page of 48 files, newest first (index media_ws_created), each with the names of its tags (`tag_names`,
    by name) read in the same query (PostgreSQL: an array of the tag names per file)."""
    files = (
        filters.apply(MediaFile.objects.filter(workspace=workspace)).defer("search_text").order_by("-created_at", "-pk")
    )
    if connection.vendor == "postgresql":
        # A subquery per file of the page, through the tags' table: a prefetch cost a second query, a model
        # instance per tag and Django's matching of them to their files (a millisecond of a search's page). The
        # page's count leaves the unused array out.
        names = MediaTag.objects.filter(files=OuterRef("pk")).order_by("name").values("name")
        page = Paginator(files.annotate(tag_names=ArraySubquery(names)), PAGE_SIZE).get_page(page_number)
        page.object_list = list(page.object_list)
    else:  # SQLite (`make run` without DATABASE_URL): the tags prefetched, as plain lists of names
        page = Paginator(files, PAGE_SIZE).get_page(page_number)
        tags = Prefetch("tags", queryset=MediaTag.objects.order_by("name"), to_attr="tag_list")
        page.object_list = list(page.object_list.prefetch_related(tags))
        for media in page.object_list:
            media.tag_names = [tag.name for tag in media.tag_list]
    return page


def _bounded(rows: QuerySet, chosen: int | None) -> list:
    shown = list(rows[:CHOICES_SHOWN])
    if chosen and all(row.pk != chosen for row in shown):
        shown += list(rows.filter(pk=chosen))
    return shown


def filter_choices(*, workspace, filters: LibraryFilters) -> dict:
    """The folders and tags the filters offer: the first 100 by name, and the one chosen."""
    return {
        "folders": _bounded(MediaFolder.objects.filter(workspace=workspace).order_by("name"), filters.folder),
        "tags": _bounded(MediaTag.objects.filter(workspace=workspace).order_by("name"), filters.tag),
    }


def media_file_for(*, workspace, pk: int) -> MediaFile:
    """One of the workspace's files, or 404 (another workspace's file is not there)."""
    try:
        return (
            _with_tags(MediaFile.objects.filter(workspace=workspace)).select_related("folder", "uploaded_by").get(pk=pk)
        )
    except MediaFile.DoesNotExist:
        raise Http404 from None


def used_in(*, media_file: MediaFile) -> list:
    """The publications that carry the file, soonest first, with their account and content item."""
    uses = (
        PublicationMedia.objects.filter(media_file=media_file)
        .select_related("publication__profile", "publication__content_item")
        .order_by("publication__scheduled_at", "publication_id")
    )
    return [use.publication for use in uses]


def publication_media(*, publication) -> list[MediaFile]:
    """The library files a publication carries, in order."""
    return [
        use.media_file
        for use in PublicationMedia.objects.filter(publication=publication)
        .select_related("media_file")
        .order_by("position", "pk")
    ]


def publication_media_ids(*, publication) -> list[int]:
    if publication is None or publication.pk is None:
        return []
    return list(
        PublicationMedia.objects.filter(publication=publication)
        .order_by("position", "pk")
        .values_list("media_file_id", flat=True)
    )


def window_rows(window: QuerySet) -> tuple[list[tuple[int, str]], dict[int, dict]]:
    """The form window's files in one query of values, no model instances: the picker's options (id, label) and
    what the composer's preview shows of each (thumbnail address, kind, proportions, alt text), by id."""
    from django.urls import reverse
    from django.utils import timezone

    from .models import _KIND_LABELS

    prefix = reverse("media_library:library")
    # The zone read once (the workspace's, activated by accounts/time_zone.py): localtime() per file asks for it again.
    zone = timezone.get_current_timezone()
    columns = ("pk", "kind", "width", "height", "alt_text", "original_name", "thumbnail", "created_at")
    options, preview = [], {}
    for pk, kind, width, height, alt, name, thumb, created in window.values_list(*columns):
        options.append((pk, f"{name} · {_KIND_LABELS.get(kind, kind)} · {created.astimezone(zone):%d %b %Y}"))
        preview[pk] = {"kind": kind, "width": width, "height": height, "alt": alt, "name": name,
                       "thumb": f"{prefix}{pk}/thumbnail/" if thumb else ""}  # fmt: skip
    return options, preview


def form_window(*, workspace, selected=()) -> QuerySet:
    """The files a post's form offers: the newest 200, plus those chosen already (however old).

    One query (PostgreSQL): the newest ids as `pk = ANY(ARRAY(SELECT … LIMIT 200))`, probed on the primary key.
    Given as `pk IN (SELECT …)`, PostgreSQL read the whole library to join it (a hash semi-join over 20,000 files,
    5 ms); read first and handed back as 200 parameters, it took a second query and Django a parameter each.
    """
    files = MediaFile.objects.filter(workspace=workspace)
    newest = files.order_by("-created_at", "-pk").values("pk")[:FORM_WINDOW]
    chosen = sorted({pk for pk in selected if isinstance(pk, int)})
    if connection.vendor == "postgresql":
        in_window = Q(AnyOf(F("pk"), ArraySubquery(newest)))
        window = files.filter(in_window | Q(pk__in=chosen) if chosen else in_window)
    else:  # SQLite (`make run` without DATABASE_URL): the ids first
        window = files.filter(pk__in={*newest.values_list("pk", flat=True), *chosen})
    return window.only("pk", "original_name", "kind", "created_at", "workspace_id").order_by("-created_at", "-pk")
