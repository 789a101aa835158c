"""A post's media on their way to the network: the addresses for a network that fetches them (Meta), the library
files as bytes for one that takes the files (X), read from the storage in the post's order."""

from datetime import timedelta

import pytest
import responses
from django.utils import timezone

from calendar_app import publisher
from calendar_app.models import Publication
from media_library import services as media_services
from media_library.tests.factories import image_upload
from metrics.connectors.base import PublishNotSupported, PublishResult
from metrics.connectors.x import XConnector

from .factories import OwnProfileFactory, PublicationFactory

pytestmark = pytest.mark.django_db


class Platform:
    def __init__(self):
        self.calls = []

    def publish(self, *, text, media_urls=(), attempt_id="", media=()):
        self.calls.append({"urls": list(media_urls), "files": [(m.name, m.content_type, m.size, m.open().read())
                                                                for m in media]})  # fmt: skip
        return PublishResult(external_id="1")


def test_the_library_files_reach_the_network_as_their_stored_bytes_in_the_posts_order(
    workspace, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    edge = Platform()
    monkeypatch.setattr("metrics.connectors.connector_for", lambda profile: edge)
    jacket = media_services.media_upload(workspace=workspace, upload=image_upload("jacket.jpg", "JPEG"), by=None)
    shoes = media_services.media_upload(workspace=workspace, upload=image_upload("shoes.png", size=(300, 200)), by=None)
    post = PublicationFactory(
        workspace=workspace, profile=OwnProfileFactory(workspace=workspace, platform="x"), status="scheduled",
        scheduled_at=timezone.now() - timedelta(minutes=1), media_urls=["https://cdn.example.com/typed.jpg"],
    )  # fmt: skip
    media_services.publication_media_set(publication=post, media_files=[shoes, jacket], by=None)
    Publication.objects.filter(pk=post.pk).update(status="scheduled")  # the edit sent it back to review
    publisher.publication_send(publication_id=post.pk)
    [call] = edge.calls
    assert [name for name, *_ in call["files"]] == ["shoes.png", "jacket.jpg"]
    assert call["files"][0][1:3] == ("image/png", shoes.size_bytes)
    assert call["files"][0][3] == shoes.file.open("rb").read()
    assert call["urls"][0] == "https://cdn.example.com/typed.jpg" and len(call["urls"]) == 3  # typed, then signed
    assert Publication.objects.get(pk=post.pk).status == "published"


@responses.activate
def test_x_refuses_typed_addresses_before_calling_anything():
    with pytest.raises(PublishNotSupported, match="media library"):
        XConnector(token="t", timeout=5).publish(text="Hi", media_urls=["https://cdn.example.com/a.jpg"])
    assert len(responses.calls) == 0
