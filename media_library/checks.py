"""What the media library accepts: an image Pillow reads (JPEG, PNG, GIF, WEBP) or an MP4/QuickTime video, known by
its bytes (common/uploads.py), within the size of its kind (MEDIA_LIBRARY_MAX_IMAGE_MB, MEDIA_LIBRARY_MAX_VIDEO_MB).
A file's name decides nothing: a text file named .png is refused, a PNG named .txt is stored as the PNG it is."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image

from common.uploads import inline_image_type, video_type

from .models import MediaFile

EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
}


@dataclass(frozen=True)
class Checked:
    kind: str
    content_type: str
    width: int | None = None
    height: int | None = None

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def _megabytes(limit_mb: int) -> int:
    return limit_mb * 1024 * 1024


def check_upload(upload) -> Checked:
    """The kind, type and size of an upload, or ValidationError saying what is wrong with it."""
    if upload.size == 0:
        raise ValidationError("The file is empty.", code="empty")
    image_type = inline_image_type(upload)
    if image_type:
        if upload.size > _megabytes(settings.MEDIA_LIBRARY_MAX_IMAGE_MB):
            raise ValidationError(
                f"The image is larger than {settings.MEDIA_LIBRARY_MAX_IMAGE_MB} MB.", code="too_large"
            )
        upload.seek(0)
        with Image.open(upload) as image:
            width, height = image.size
        upload.seek(0)
        return Checked(MediaFile.Kind.IMAGE, image_type, width, height)
    content_type = video_type(upload)
    if content_type:
        if upload.size > _megabytes(settings.MEDIA_LIBRARY_MAX_VIDEO_MB):
            raise ValidationError(
                f"The video is larger than {settings.MEDIA_LIBRARY_MAX_VIDEO_MB} MB.", code="too_large"
            )
        return Checked(MediaFile.Kind.VIDEO, content_type)
    raise ValidationError(
        "This file is not an image (JPEG, PNG, GIF, WebP) or a video (MP4, MOV), whatever its name says.",
        code="type",
    )
