"""Idea attachments: what an upload may be, and how a member downloads one.

An upload is accepted by what its bytes are, not by its name: each allowed extension names one kind, and the
file's content must be that kind (a renamed program is refused). The kinds and how each is recognised:

| kind        | extensions              | recognised by                                                         |
|-------------|-------------------------|-----------------------------------------------------------------------|
| image       | jpg, jpeg, png, gif, webp | Pillow opens and verifies it, and its format is JPEG, PNG, GIF or WEBP |
| PDF         | pdf                     | starts with `%PDF-`                                                    |
| video       | mp4, mov                | an ISO media / QuickTime box (`ftyp`, `moov`, `mdat`, `wide`, `free`) |
| Word        | docx                    | a zip archive holding `word/document.xml`                             |
| PowerPoint  | pptx                    | a zip archive holding `ppt/presentation.xml`                          |

Files are served only through `idea_attachment`: login, a member of the idea's workspace who may see that idea
(a contributor their own), else 404. Only a raster image is shown in the page; anything else downloads
(`Content-Disposition: attachment`), never sniffed into something else (`nosniff`), and sandboxed by its own
Content-Security-Policy should a browser render it anyway.
"""

import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest

from accounts.decorators import area_required
from common.uploads import INLINE_IMAGE_TYPES, head_of, image_format, is_pdf, video_type

IMAGE, PDF, VIDEO, WORD, POWERPOINT = "image", "PDF", "video", "Word", "PowerPoint"
KIND_OF_EXTENSION = {
    ".jpg": IMAGE,
    ".jpeg": IMAGE,
    ".png": IMAGE,
    ".gif": IMAGE,
    ".webp": IMAGE,
    ".pdf": PDF,
    ".mp4": VIDEO,
    ".mov": VIDEO,
    ".docx": WORD,
    ".pptx": POWERPOINT,
}
DOWNLOAD_TYPES = {PDF: "application/pdf"}  # the others download as bytes (application/octet-stream)
_OFFICE_PART = {WORD: "word/document.xml", POWERPOINT: "ppt/presentation.xml"}


def max_bytes() -> int:
    return settings.IDEA_ATTACHMENT_MAX_MB * 1024 * 1024


def content_kind(file) -> str | None:
    """What the bytes of the file are (one of the kinds above, recognised by common/uploads.py), or None."""
    if is_pdf(file):
        return PDF
    if video_type(file):
        return VIDEO
    if head_of(file).startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            file.seek(0)
        return next((kind for kind, part in _OFFICE_PART.items() if part in names), None)
    return IMAGE if image_format(file) in INLINE_IMAGE_TYPES else None


def validate_attachment(upload) -> None:
    """The idea form's check of an upload: its size, and that its content is what its extension says."""
    if upload.size > max_bytes():
        raise ValidationError(
            f"The file is larger than {settings.IDEA_ATTACHMENT_MAX_MB} MB; share a link to it instead.",
            code="too_large",
        )
    expected = KIND_OF_EXTENSION.get(Path(upload.name).suffix.lower())
    if expected is None:
        raise ValidationError(
            "This type of file is not accepted; send an image, video, PDF, Word or PowerPoint file.", code="type"
        )
    if content_kind(upload) != expected:
        raise ValidationError(
            f"This file is not the {expected} file its name says; send the original file.", code="content"
        )


@area_required("ideas", "submit")
def idea_attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A member downloads an idea's attachment (the page shows a raster image in place)."""
    # The one rule for who sees which idea; imported here because views imports the forms, which import this module.
    from .views import _get_idea_for_member

    idea = _get_idea_for_member(request, pk)
    if not idea.attachment:
        raise Http404
    try:
        file = idea.attachment.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = Path(idea.attachment.name).name
    image_type = INLINE_IMAGE_TYPES.get(image_format(file))
    kind = content_kind(file)
    response = FileResponse(
        file,
        as_attachment=image_type is None,
        filename=name,
        content_type=image_type or DOWNLOAD_TYPES.get(kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
