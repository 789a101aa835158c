"""Publications from a CSV file (Hootsuite's bulk composer, done the way the audit's imports are): every row read and
checked first, then all of them written in one transaction, or none, with each problem named by its line and column.

Columns (the first line names them, in any order and case; `csv_template` writes them):

| column         | what                                                                                           |
|----------------|------------------------------------------------------------------------------------------------|
| `scheduled_at` | `YYYY-MM-DD HH:MM` in the workspace's time zone; empty: a draft with no time yet              |
| `platform`     | the network, by value or name (`x`, `Instagram`)                                               |
| `handle`       | one of the brand's own active accounts on that network, with or without its @                  |
| `content`      | the content item's title in the editorial calendar; a new title adds an item due that day     |
| `copy`         | the text, within the network's limit (calendar_app/voice.py)                                   |
| `media`        | media addresses, separated by spaces                                                           |
| `first_comment`| optional: posted under the post once it is out (calendar_app/follow_ups.py)                    |
| `thread`       | optional, X, Bluesky and Mastodon: the posts that follow it, separated by a line `---` (threads.py) |
| `tags`         | optional: tag names separated by `;` or `|` (`launch; hiring`), `|` in a file with `;` between cells; a new name adds a tag |

Every publication lands as a draft: the approval rules apply to imported posts as to typed ones. A time that the
zone skips or repeats (summer time) is a row error, as in the form. At most MAX_ROWS rows a file.
"""

import csv
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from common.csv_import import Choice, FileError, ImportResult, Problem, RowError, control_problems, read_rows
from metrics.models import TrackedProfile
from metrics.platforms import Platform

from .models import ContentItem, Publication, PublicationEvent
from .tags import tag_names, tags_for_names
from .voice import first_comment_problem, length_problem, thread_problem

COLUMNS = ["scheduled_at", "platform", "handle", "content", "copy", "media", "first_comment", "thread", "tags"]
REQUIRED = ("platform", "handle", "content", "copy")
MAX_ROWS = 1_000
_platform = Choice(Platform.choices, "platform", "Network")
_url = URLValidator(schemes=["https"])


@dataclass
class PublicationImport(ImportResult):
    items_created: int = 0  # content items the file named that the editorial calendar did not have


@dataclass
class _Row:
    line: int
    profile: TrackedProfile
    title: str
    copy: str
    media: list[str]
    scheduled_at: datetime | None
    tags: list[str]
    first_comment: str = ""
    thread: str = ""


def _time(value: str, zone: ZoneInfo) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        local = datetime.fromisoformat(value.replace("T", " "))
    except ValueError:
        raise RowError("scheduled_at", f"“{value}” is not a time: write it as YYYY-MM-DD HH:MM.") from None
    if local.tzinfo is not None:
        raise RowError("scheduled_at", f"“{value}” carries a time zone: write the workspace's time ({zone.key}).")
    first, second = local.replace(tzinfo=zone, fold=0), local.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        raise RowError(
            "scheduled_at", f"{value} happens twice or never in {zone.key} (summer time changes): choose another time."
        )
    return first


def _media(value: str) -> list[str]:
    urls = value.split()
    for url in urls:
        try:
            _url(url)
        except ValidationError:
            raise RowError("media", f"“{url}” is not an https address.") from None
    return urls


def _tags(value: str) -> list[str]:
    try:
        return tag_names(value)
    except ValidationError as error:
        raise RowError("tags", error.messages[0]) from None


def _rows(uploaded, workspace) -> tuple[list[_Row], list[Problem]]:
    zone = ZoneInfo(workspace.time_zone)
    accounts = {
        (platform, handle.lower()): pk
        for pk, platform, handle in TrackedProfile.objects.filter(
            workspace=workspace, is_own=True, is_active=True
        ).values_list("pk", "platform", "handle")
    }
    profiles = TrackedProfile.objects.in_bulk(list(accounts.values()))
    rows, problems = [], []
    for count, (line, row) in enumerate(read_rows(uploaded, COLUMNS, required=REQUIRED), start=1):
        if count > MAX_ROWS:
            raise FileError(f"It has more than {MAX_ROWS:,} rows; import at most {MAX_ROWS:,} at a time.")
        if row is None:
            problems.append(Problem(line, "", "has more cells than the first line names columns."))
            continue
        if found := control_problems(line, row):
            problems.extend(found)
            continue
        try:
            platform = _platform(row.get("platform", ""))
            handle = row.get("handle", "").lstrip("@")
            pk = accounts.get((platform, handle.lower()))
            if pk is None:
                label = Platform(platform).label
                raise RowError("handle", f"@{handle} is not one of the brand's active accounts on {label}.")
            title, copy = row.get("content", ""), row.get("copy", "")
            if not title:
                raise RowError("content", "Name the content item (its title in the editorial calendar).")
            if len(title) > ContentItem._meta.get_field("title").max_length:
                raise RowError("content", "The title is longer than 160 characters.")
            if not copy:
                raise RowError("copy", "The copy is empty.")
            if too_long := length_problem(platform, copy):
                raise RowError("copy", too_long)
            first_comment = row.get("first_comment", "").strip()
            if too_long := first_comment_problem(platform, first_comment):
                raise RowError("first_comment", too_long)
            thread = row.get("thread", "").strip()
            if wrong := thread_problem(platform, thread):
                raise RowError("thread", wrong)
            rows.append(
                _Row(
                    line,
                    profiles[pk],
                    title,
                    copy,
                    _media(row.get("media", "")),
                    _time(row.get("scheduled_at", ""), zone),
                    _tags(row.get("tags", "")),
                    first_comment,
                    thread,
                )
            )
        except RowError as error:
            problems.append(Problem(line, error.column, str(error)))
    return rows, problems


def import_publications(*, workspace, uploaded, by) -> PublicationImport:
    """Drafts from a CSV file: every row checked, then all written (with the content items they name), or none."""
    try:
        rows, problems = _rows(uploaded, workspace)
    except FileError as error:
        return PublicationImport(errors=[Problem(None, "", str(error))])
    if problems:
        return PublicationImport(errors=problems)
    if not rows:
        return PublicationImport(errors=[Problem(None, "", "It has no rows under its first line.")])
    zone = ZoneInfo(workspace.time_zone)
    with transaction.atomic():
        items = {}
        titles = {r.title.lower() for r in rows}
        named = ContentItem.objects.annotate(lower_title=Lower("title")).filter(
            workspace=workspace, lower_title__in=titles
        )
        for item in named.order_by("due_date", "pk"):
            items.setdefault(item.title.lower(), item)  # the first of same-titled items, by due date
        new_items = {}
        for row in rows:
            key = row.title.lower()
            if key not in items and key not in new_items:
                today = timezone.localdate(timezone=zone)
                due = row.scheduled_at.astimezone(zone).date() if row.scheduled_at else today + timedelta(days=7)
                new_items[key] = ContentItem(workspace=workspace, title=row.title, due_date=due, owner=by)
        ContentItem.objects.bulk_create(new_items.values())
        items |= new_items
        publications = Publication.objects.bulk_create(
            Publication(
                workspace=workspace,
                content_item=items[row.title.lower()],
                profile=row.profile,
                copy=row.copy,
                first_comment=row.first_comment,
                thread=row.thread,
                media_urls=row.media,
                scheduled_at=row.scheduled_at,
                owner=by,
            )
            for row in rows
        )
        # The tags the file names, found or made once each, then every post's in one insert.
        named_tags = {tag.name.lower(): tag for tag in tags_for_names(workspace=workspace, names=_all_names(rows))}
        Publication.tags.through.objects.bulk_create(
            Publication.tags.through(publication_id=p.pk, publicationtag_id=named_tags[name.lower()].pk)
            for p, row in zip(publications, rows, strict=True)
            for name in row.tags
        )
        PublicationEvent.objects.bulk_create(
            PublicationEvent(
                publication=p, actor=by, action="created", to_status=p.status, comment="Imported from a CSV file."
            )
            for p in publications
        )
    return PublicationImport(created=len(publications), items_created=len(new_items))


def _all_names(rows: list[_Row]) -> list[str]:
    """Each tag name of the file once (whatever its case), as first written."""
    names = {}
    for row in rows:
        for name in row.tags:
            names.setdefault(name.lower(), name)
    return list(names.values())


def csv_template(out) -> None:
    """The columns and one example row, for a spreadsheet to fill."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerow(
        [
            "2026-12-10 09:30",
            "instagram",
            "@yourbrand",
            "Spring launch",
            "Spring is here.",
            "https://cdn.example.com/spring.jpg",
            "The whole collection: https://example.com/spring",
            "launch; spring",
        ]
    )
