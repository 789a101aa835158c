"""What an uploaded file is, by its bytes and never by its name: the one place both upload paths ask (idea
attachments, calendar_app/attachments.py; the media library, media_library/checks.py).

| kind  | recognised by                                                                               |
|-------|---------------------------------------------------------------------------------------------|
| image | Pillow opens and verifies it, and its format is JPEG, PNG, GIF or WEBP (never SVG: it carries script) |
| video | an ISO media / QuickTime box at offset 4 (`ftyp`, `moov`, `mdat`, `wide`, `free`)           |
| PDF   | starts with `%PDF-`                                                                          |
"""

from PIL import Image

# Raster images a browser may show in the page, by Pillow's format name.
INLINE_IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
MEDIA_BOXES = {b"ftyp", b"moov", b"mdat", b"wide", b"free"}
# An ISO media file says which family it is in its `ftyp` box's major brand; QuickTime's is "qt  ".
QUICKTIME_BRAND = b"qt  "


def head_of(file, size: int = 16) -> bytes:
    """The first bytes of the file; the file is left at its start."""
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def image_format(file) -> str | None:
    """Pillow's name of the image format the bytes are (JPEG, PNG, ...), or None when they are no image it reads."""
    file.seek(0)
    try:
        with Image.open(file) as image:
            image.verify()
            return image.format
    except Exception:  # Pillow raises many kinds for a file that is not an image it reads: all mean "not one"
        return None
    finally:
        file.seek(0)


def inline_image_type(file) -> str | None:
    """The content type of a raster image a browser may show in place (image/png, ...), else None."""
    return INLINE_IMAGE_TYPES.get(image_format(file))


def video_type(file) -> str | None:
    """video/mp4 or video/quicktime when the bytes are an ISO media / QuickTime file, else None."""
    head = head_of(file)
    if head[4:8] not in MEDIA_BOXES:
        return None
    return "video/quicktime" if head[4:8] != b"ftyp" or head[8:12] == QUICKTIME_BRAND else "video/mp4"


def is_pdf(file) -> bool:
    return head_of(file).startswith(b"%PDF-")
