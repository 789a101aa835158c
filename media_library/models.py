"""The workspace's media library: images and videos uploaded once, tagged and filed, attached to publications.

Files go through Django's storage API (settings.STORAGES["default"]: the local disk in development, an S3-compatible
store in production) under a random name of the workspace's own folder; the name a person gave the file is kept
only as `original_name`. They are never served from MEDIA_URL: media_library/views.py checks the member first.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from accounts.models import Workspace


def _stored_name(prefix: str, instance, filename: str) -> str:
    # The extension comes from what the bytes are (services set it on the name they hand over), never the user's.
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"media-library/{instance.workspace_id}/{prefix}{uuid.uuid4().hex}.{extension}"


def file_path(instance, filename: str) -> str:
    return _stored_name("", instance, filename)


def thumbnail_path(instance, filename: str) -> str:
    return _stored_name("thumbs/", instance, filename)


class MediaFolder(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="media_folders")
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("workspace", Lower("name"), name="media_folder_unique_name"),
        ]

    def __str__(self):
        return self.name


class MediaTag(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="media_tags")
    name = models.CharField(max_length=40)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint("workspace", Lower("name"), name="media_tag_unique_name")]

    def __str__(self):
        return self.name


class MediaFile(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", "Image"
        VIDEO = "video", "Video"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="media_files")
    folder = models.ForeignKey(MediaFolder, on_delete=models.SET_NULL, null=True, blank=True, related_name="files")
    file = models.FileField(upload_to=file_path, max_length=200)
    # A ~320 px JPEG for images; none for a video (the page shows an icon).
    thumbnail = models.FileField(upload_to=thumbnail_path, max_length=200, blank=True)
    original_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    content_type = models.CharField(max_length=40)
    size_bytes = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    alt_text = models.CharField(max_length=500, blank=True, help_text="What the image shows, for screen readers.")
    tags = models.ManyToManyField(MediaTag, blank=True, related_name="files")
    # What the library's search reads: name, alt text and tag names in lower case, written by the services whenever
    # one changes (one column, so one trigram index on PostgreSQL, migration 0002, answers a search of 50,000 files).
    search_text = models.TextField(blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The library's pages, newest first, after the workspace filter (and the same within a folder).
            models.Index(fields=["workspace", "-created_at", "-id"], name="media_ws_created"),
            models.Index(fields=["folder", "-created_at", "-id"], name="media_folder_created"),
        ]

    def __str__(self):
        return self.original_name

    def search_text_for(self, tags) -> str:
        return " ".join([self.original_name, self.alt_text, *(tag.name for tag in tags)]).lower()

    @property
    def is_image(self) -> bool:
        return self.kind == self.Kind.IMAGE

    @property
    def kind_label(self) -> str:
        return _KIND_LABELS.get(self.kind, self.kind)


_KIND_LABELS = dict(MediaFile.Kind.choices)


class PublicationMedia(models.Model):
    """A library file attached to a publication, in the order the post shows them.

    Declared here so calendar_app needs no migration for it. PROTECT: a file in use is deleted only through
    services.media_delete, which refuses while a post that uses it has not gone out.
    """

    publication = models.ForeignKey("calendar_app.Publication", on_delete=models.CASCADE, related_name="library_media")
    media_file = models.ForeignKey(MediaFile, on_delete=models.PROTECT, related_name="uses")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "media_file"], name="publication_media_once"),
        ]

    def __str__(self):
        return f"{self.media_file} in {self.publication_id}"
