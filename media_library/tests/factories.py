import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.tests.factories import WorkspaceFactory
from media_library.models import MediaFile, MediaFolder, MediaTag


def image_bytes(fmt: str = "PNG", size=(640, 480), colour="purple") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=fmt)
    return out.getvalue()


def image_upload(name: str = "photo.png", fmt: str = "PNG", size=(640, 480)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(fmt, size), content_type="application/octet-stream")


# The smallest MP4 the checks recognise: an `ftyp` box of brand isom, then an empty `mdat`.
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x08mdat"


class MediaFolderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediaFolder

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Folder {n}")


class MediaTagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediaTag

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"tag{n}")


class MediaFileFactory(factory.django.DjangoModelFactory):
    """A stored image row (its bytes a small PNG; no thumbnail unless a test uploads through the service)."""

    class Meta:
        model = MediaFile

    workspace = factory.SubFactory(WorkspaceFactory)
    file = factory.django.FileField(filename="x.png", data=factory.LazyFunction(lambda: image_bytes(size=(8, 8))))
    original_name = factory.Sequence(lambda n: f"picture-{n}.png")
    kind = MediaFile.Kind.IMAGE
    content_type = "image/png"
    size_bytes = 100
    width = 8
    height = 8
    search_text = factory.LazyAttribute(lambda media: media.original_name.lower())
