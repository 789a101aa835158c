"""Signed, expiring addresses of library files, for the networks that fetch a post's media themselves.

Instagram and Facebook do not take the bytes: at publishing time Meta fetches each photo or video from an address
it can reach without logging in (shared/PLATFORMS.md). A library file is never public, so the publisher hands the
connector an address of `media_library:signed_file` carrying a token signed with SECRET_KEY: the file's id and
workspace, valid SIGNED_MEDIA_HOURS (24 by default, an Instagram container's own lifetime), for that one file. A
changed or expired token, or a file since deleted, answers 404; nothing else of the workspace is reachable through it.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from common.site import site_url

SALT = "media_library.signed_file"


def max_age_seconds() -> int:
    return int(settings.SIGNED_MEDIA_HOURS * 3600)


def signed_url(media_file) -> str:
    """The file's address outside a request, for a network to fetch until it expires."""
    token = signing.dumps({"f": media_file.pk, "w": media_file.workspace_id}, salt=SALT, compress=True)
    return site_url(reverse("media_library:signed_file", args=[token]))


def file_of(token: str) -> tuple[int, int] | None:
    """(file id, workspace id) of a token still valid, else None."""
    try:
        value = signing.loads(token, salt=SALT, max_age=max_age_seconds())
    except signing.BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(value, dict) or not isinstance(value.get("f"), int) or not isinstance(value.get("w"), int):
        return None
    return value["f"], value["w"]


def publication_media_addresses(publication) -> list[str]:
    """What the network is given to fetch: the addresses typed on the post, then its library files, signed."""
    from .selectors import publication_media

    return [*publication.media_urls, *(signed_url(f) for f in publication_media(publication=publication))]


def publication_media_sources(publication) -> list:
    """The post's library files as bytes (MediaSource), in their order, for a network that takes the files (X):
    read from the storage by the worker, never fetched back over HTTP."""
    from metrics.connectors.base import MediaSource

    from .selectors import publication_media

    return [
        MediaSource(
            name=f.original_name, content_type=f.content_type, size=f.size_bytes, alt_text=f.alt_text,
            open=lambda f=f: f.file.storage.open(f.file.name, "rb"),
        )
        for f in publication_media(publication=publication)
    ]  # fmt: skip
