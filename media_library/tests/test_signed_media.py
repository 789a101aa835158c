"""A post's library files reach the network through signed, expiring addresses (media_library/signed.py): the
publisher hands them to the connector, anyone holding one fetches that file only, until it expires."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from calendar_app import publisher
from calendar_app.tests.factories import PublicationFactory
from media_library import services
from media_library.models import PublicationMedia
from metrics.connectors.demo import PublishedLedger

from .factories import image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEMO_PLATFORM_DIR = str(tmp_path / "demo")
    settings.SITE_URL = "https://smm.example.com"


def _path(url: str) -> str:
    return url.removeprefix("https://smm.example.com")


def test_the_publisher_sends_the_typed_addresses_then_the_library_files_signed(workspace):
    photo = services.media_upload(workspace=workspace, upload=image_upload("team.png"), by=None)
    due = PublicationFactory(
        workspace=workspace, status="scheduled", scheduled_at=timezone.now() - timedelta(minutes=1),
        media_urls=["https://cdn.example.com/typed.jpg"],
    )  # fmt: skip
    PublicationMedia.objects.create(publication=due, media_file=photo, position=0)
    publisher.publication_send(publication_id=due.pk)

    [entry] = PublishedLedger(due.profile.platform).entries()
    typed, signed = entry["media_urls"]
    assert typed == "https://cdn.example.com/typed.jpg"
    assert signed.startswith("https://smm.example.com/library/signed/")
    response = Client().get(_path(signed))  # no login: the network fetches it
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == photo.file.open("rb").read()
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_signed_address_opens_its_one_file_until_it_expires_and_not_once_changed(workspace, other_workspace):
    from media_library.signed import signed_url

    photo = services.media_upload(workspace=workspace, upload=image_upload("a.png"), by=None)
    services.media_upload(workspace=other_workspace, upload=image_upload("b.png"), by=None)
    url = _path(signed_url(photo))
    anonymous = Client()
    assert anonymous.get(url).status_code == 200
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert anonymous.get(url.replace(token, token[:-2] + ("aa" if token[-2:] != "aa" else "bb"))).status_code == 404
    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        assert anonymous.get(url).status_code == 404
    services.media_delete(media_file=photo)
    assert anonymous.get(url).status_code == 404
