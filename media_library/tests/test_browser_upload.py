"""In Chromium: two files chosen in the upload page's file input go up one by one, each with its progress bar,
and show their thumbnails; a renamed text file shows its refusal."""

import pytest

from accounts.roles import Role
from media_library.models import MediaFile

from .factories import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_two_files_upload_with_progress_and_show_their_thumbnails(page, browser_login, workspace, make_member):
    make_member(Role.CONTENT_LEAD, email="camille@example.test")
    browser_login("camille@example.test")
    page.goto("/library/")
    page.get_by_test_id("upload-link").click()
    files = [
        {"name": "spring.png", "mimeType": "image/png", "buffer": image_bytes("PNG", (800, 600))},
        {"name": "team.jpg", "mimeType": "image/jpeg", "buffer": image_bytes("JPEG", (600, 800), "teal")},
        {"name": "notes.png", "mimeType": "image/png", "buffer": b"plain text, not a picture"},
    ]
    page.locator("input[type=file]").set_input_files(files)
    items = page.get_by_test_id("upload-item")
    page.locator("[data-testid=upload-item][data-state=done]").nth(1).wait_for()
    page.locator("[data-testid=upload-item][data-state=error]").wait_for()
    assert items.count() == 3
    for n in range(2):
        assert items.nth(n).get_by_role("progressbar").get_attribute("aria-valuenow") == "100"
        thumbnail = items.nth(n).get_by_test_id("upload-thumbnail")
        thumbnail.wait_for()
        assert thumbnail.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "not an image" in items.nth(2).inner_text()
    assert sorted(MediaFile.objects.values_list("original_name", flat=True)) == ["spring.png", "team.jpg"]

    page.goto("/library/")
    tiles = page.get_by_test_id("media-tile")
    assert tiles.count() == 2
    assert all(tiles.nth(n).locator("img").evaluate("img => img.complete && img.naturalWidth > 0") for n in range(2))
