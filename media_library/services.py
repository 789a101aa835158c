"""Every write of the media library: uploads, edits, deletions, and which files a publication carries."""

import io
import logging
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from PIL import Image, ImageOps

from .checks import check_upload
from .models import MediaFile, MediaFolder, MediaTag, PublicationMedia

log = logging.getLogger(__name__)
THUMBNAIL_SIZE = (320, 320)
MAX_TAGS = 20


def _thumbnail(upload) -> ContentFile:
    """A JPEG at most 320 px on its longer side, turned upright by its EXIF orientation (the first frame of a GIF)."""
    upload.seek(0)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail(THUMBNAIL_SIZE)
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, "white")  # transparency on white, as a page shows it
            rgba = image.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80, optimize=True)
    upload.seek(0)
    return ContentFile(out.getvalue(), name="thumbnail.jpg")


def _clean_name(name: str) -> str:
    return PurePath(name or "file").name[:255] or "file"


def media_upload(*, workspace, upload, by, folder: MediaFolder | None = None, tags=(), alt_text: str = "") -> MediaFile:
    """Check an uploaded file by its content, store it (and a thumbnail for an image) under a random name."""
    if folder is not None and folder.workspace_id != workspace.pk:
        raise PermissionDenied("That folder belongs to another workspace.")
    checked = check_upload(upload)
    media = MediaFile(
        workspace=workspace,
        folder=folder,
        original_name=_clean_name(upload.name),
        kind=checked.kind,
        content_type=checked.content_type,
        size_bytes=upload.size,
        width=checked.width,
        height=checked.height,
        alt_text=alt_text.strip(),
        uploaded_by=by,
    )
    thumbnail = _thumbnail(upload) if checked.kind == MediaFile.Kind.IMAGE else None
    stored = []
    try:
        with transaction.atomic():
            upload.seek(0)
            media.file.save(f"upload.{checked.extension}", upload, save=False)
            stored.append(media.file.name)
            if thumbnail is not None:
                media.thumbnail.save(thumbnail.name, thumbnail, save=False)
                stored.append(media.thumbnail.name)
            media.search_text = media.search_text_for(tags)
            media.save()
            if tags:
                media.tags.set(tags)
    except Exception:
        _remove_stored(media.file.storage, stored)  # the row is not there: its bytes go too
        raise
    return media


def _remove_stored(storage, names) -> None:
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # a store that is down must not hide the error that brought us here
            log.warning("media library: could not delete the stored file %s", name, exc_info=True)


def tags_from_text(*, workspace, text: str) -> list[MediaTag]:
    """The workspace's tags named in a comma-separated text, made when new (names compared without case)."""
    names = list(dict.fromkeys(n.strip()[:40] for n in text.split(",") if n.strip()))
    if len(names) > MAX_TAGS:
        raise ValidationError(f"At most {MAX_TAGS} tags per file.")
    found = (
        MediaTag.objects.filter(workspace=workspace)
        .annotate(key=Lower("name"))
        .filter(key__in=[n.lower() for n in names])
    )
    existing = {t.key: t for t in found}
    tags = []
    for name in names:
        tag = existing.get(name.lower())
        if tag is None:
            tag = existing[name.lower()] = _made_once(MediaTag, workspace=workspace, name=name)
        tags.append(tag)
    return tags


def folder_get_or_create(*, workspace, name: str) -> MediaFolder:
    """The workspace's folder of that name (any case), made when new."""
    name = name.strip()[:80]
    if not name:
        raise ValidationError("Give the folder a name.")
    folder = MediaFolder.objects.filter(workspace=workspace, name__iexact=name).first()
    return folder or _made_once(MediaFolder, workspace=workspace, name=name)


def _made_once(model, *, workspace, name: str):
    """A new folder or tag; if another request made the same name a moment ago (the unique index, any case), that."""
    try:
        with transaction.atomic():
            return model.objects.create(workspace=workspace, name=name)
    except IntegrityError:
        return model.objects.get(workspace=workspace, name__iexact=name)


def media_update(*, media_file: MediaFile, alt_text: str, folder: MediaFolder | None, tags) -> MediaFile:
    """Change a file's alt text, folder and tags."""
    if folder is not None and folder.workspace_id != media_file.workspace_id:
        raise PermissionDenied("That folder belongs to another workspace.")
    if any(tag.workspace_id != media_file.workspace_id for tag in tags):
        raise PermissionDenied("That tag belongs to another workspace.")
    with transaction.atomic():
        media_file.alt_text = alt_text.strip()
        media_file.folder = folder
        media_file.search_text = media_file.search_text_for(tags)
        media_file.save(update_fields=["alt_text", "folder", "search_text"])
        media_file.tags.set(tags)
    return media_file


def delete_refusal(media_file: MediaFile) -> str:
    """Why the file may not be deleted now ("" when it may): a post that has not gone out still uses it."""
    from calendar_app.models import Publication

    waiting = PublicationMedia.objects.filter(media_file=media_file).exclude(
        publication__status=Publication.Status.PUBLISHED
    )
    count = waiting.count()
    if not count:
        return ""
    return (
        f"{count} publication{'s' if count != 1 else ''} not published yet use{'s' if count == 1 else ''} this file: "
        "take it off them first (the list is under “Used in”)."
    )


def media_delete(*, media_file: MediaFile) -> None:
    """Delete a file and its thumbnail; refused (ValidationError) while a post not yet published uses it.

    Posts already published keep their text and lose the link to the file (the platform has its copy)."""
    storage, names = media_file.file.storage, [n for n in (media_file.file.name, media_file.thumbnail.name) if n]
    with transaction.atomic():
        locked = MediaFile.objects.select_for_update().get(pk=media_file.pk)
        refusal = delete_refusal(locked)
        if refusal:
            raise ValidationError(refusal)
        PublicationMedia.objects.filter(media_file=locked).delete()
        locked.delete()
        transaction.on_commit(lambda: _remove_stored(storage, names))


def publication_media_set(*, publication, media_files, by, new: bool = False) -> bool:
    """The library files a publication carries, in this order; True when they changed.

    A change is an edit of the post: it is logged, and an approved or scheduled post goes back to review (the same
    rule as its copy, calendar_app.services.publication_save). For a post just created (`new`) the files are part
    of its creation, logged already."""
    from calendar_app import services as calendar_services
    from calendar_app.models import Publication

    files = list(dict.fromkeys(media_files))
    if any(f.workspace_id != publication.workspace_id for f in files):
        raise PermissionDenied("That media file belongs to another workspace.")
    wanted = [f.pk for f in files]
    with transaction.atomic():
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        current = list(
            PublicationMedia.objects.filter(publication=locked)
            .order_by("position", "pk")
            .values_list("media_file_id", flat=True)
        )
        if current == wanted:
            return False
        if locked.status in calendar_services.NOT_EDITABLE:
            raise ValidationError(calendar_services.NOT_EDITABLE[locked.status])
        PublicationMedia.objects.filter(publication=locked).delete()
        PublicationMedia.objects.bulk_create(
            PublicationMedia(publication=locked, media_file_id=pk, position=i) for i, pk in enumerate(wanted)
        )
        from_status = locked.status
        if from_status in calendar_services.BACK_TO_REVIEW_ON_EDIT or from_status == Publication.Status.IN_REVIEW:
            locked.status, locked.first_approved_by = Publication.Status.IN_REVIEW, None
            locked.save(update_fields=["status", "first_approved_by", "updated_at"])
        if not new:
            calendar_services._event(
                locked, actor=by, action="edited", from_status=from_status, changes={"library_media": [current, wanted]}
            )
    publication.status = locked.status
    return True
