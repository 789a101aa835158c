"""The media library: uploads checked by content, thumbnails, filters, access, "used in", deletion rules."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from accounts.roles import Role
from calendar_app.models import Publication
from calendar_app.tests.factories import PublicationFactory
from media_library import services
from media_library.models import MediaFile, PublicationMedia

from .factories import MP4, MediaFileFactory, MediaFolderFactory, MediaTagFactory, image_upload

pytestmark = pytest.mark.django_db
UPLOAD = reverse("media_library:upload")
LIBRARY = reverse("media_library:library")
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_png_is_stored_under_a_random_name_with_its_thumbnail_and_size(client_as, workspace):
    client = client_as(Role.CONTENT_LEAD)
    response = client.post(UPLOAD, {"files": [image_upload("Team photo.png", size=(1200, 800))]})
    assert response.status_code == 302
    media = MediaFile.objects.get(workspace=workspace)
    assert (media.kind, media.content_type, media.width, media.height) == ("image", "image/png", 1200, 800)
    assert media.original_name == "Team photo.png"
    assert "Team photo" not in media.file.name and media.file.name.startswith(f"media-library/{workspace.pk}/")
    assert media.size_bytes == media.file.size
    with media.thumbnail.open("rb") as thumb, Image.open(thumb) as image:
        assert image.format == "JPEG" and max(image.size) == 320
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Team photo.png: uploaded."]


def test_the_script_gets_one_answer_per_file_with_its_thumbnail(client_as, workspace):
    client = client_as(Role.ADMIN)
    response = client.post(UPLOAD, {"files": [image_upload("a.jpg", fmt="JPEG"), image_upload("b.gif", "GIF")]}, **JSON)
    assert response.status_code == 200
    answers = response.json()["files"]
    assert [a["name"] for a in answers] == ["a.jpg", "b.gif"] and all(a["ok"] for a in answers)
    media = MediaFile.objects.get(original_name="a.jpg")
    assert answers[0]["thumbnail"] == reverse("media_library:thumbnail", args=[media.pk])
    assert media.content_type == "image/jpeg" and media.file.name.endswith(".jpg")


def test_a_text_file_named_png_is_refused_by_its_content(client_as, workspace):
    client = client_as(Role.ADMIN)
    fake = SimpleUploadedFile("holiday.png", b"just some text, not an image", content_type="image/png")
    response = client.post(UPLOAD, {"files": [fake, image_upload("real.png")]}, **JSON)
    assert response.status_code == 400
    refused, accepted = response.json()["files"]
    assert refused == {
        "name": "holiday.png",
        "ok": False,
        "error": "This file is not an image (JPEG, PNG, GIF, WebP) or a video (MP4, MOV), whatever its name says.",
    }
    assert accepted["ok"]
    assert list(MediaFile.objects.values_list("original_name", flat=True)) == ["real.png"]


def test_without_the_script_each_refusal_is_a_message(client_as, workspace):
    client = client_as(Role.ADMIN)
    fake = SimpleUploadedFile("holiday.png", b"just some text", content_type="image/png")
    response = client.post(UPLOAD, {"files": [fake]}, follow=True)
    assert "holiday.png: This file is not an image" in response.content.decode()
    assert not MediaFile.objects.exists()


def test_a_file_larger_than_its_kind_allows_is_refused(client_as, settings, workspace):
    settings.MEDIA_LIBRARY_MAX_IMAGE_MB = 1
    client = client_as(Role.ADMIN)
    noise = Image.frombytes("RGB", (800, 800), os.urandom(800 * 800 * 3))  # does not compress: about 1.9 MB
    out = io.BytesIO()
    noise.save(out, "PNG")
    big = SimpleUploadedFile("big.png", out.getvalue())
    response = client.post(UPLOAD, {"files": [big]}, **JSON)
    assert response.json()["files"][0]["error"] == "The image is larger than 1 MB."
    assert not MediaFile.objects.exists()


def test_a_video_is_stored_without_a_thumbnail_and_served_as_video(client_as, workspace):
    client = client_as(Role.ADMIN)
    response = client.post(UPLOAD, {"files": [SimpleUploadedFile("clip.txt", MP4)]}, **JSON)
    assert response.json()["files"][0]["ok"]
    media = MediaFile.objects.get()
    assert (media.kind, media.content_type, media.thumbnail.name) == ("video", "video/mp4", "")
    served = client.get(reverse("media_library:file", args=[media.pk]))
    assert served["Content-Type"] == "video/mp4" and served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == MP4


def test_a_reader_of_the_calendar_sees_the_library_but_may_not_upload(client_as, workspace):
    client = client_as(Role.ANALYST)
    assert client.get(LIBRARY).status_code == 200
    assert client.get(UPLOAD).status_code == 403
    assert client.post(UPLOAD, {"files": [image_upload()]}).status_code == 403
    assert not MediaFile.objects.exists()


def test_a_contributor_does_not_see_the_library(client_as):
    assert client_as(Role.CONTRIBUTOR).get(LIBRARY).status_code == 403


def test_another_workspace_gets_404_for_the_file_its_thumbnail_and_its_page(client_as, workspace, other_workspace):
    media = services.media_upload(workspace=workspace, upload=image_upload(), by=None)
    client = client_as(Role.ADMIN, ws=other_workspace)
    for name in ("detail", "file", "thumbnail", "update", "delete"):
        method = client.post if name in ("update", "delete") else client.get
        assert method(reverse(f"media_library:{name}", args=[media.pk])).status_code == 404, name
    assert MediaFile.objects.filter(pk=media.pk).exists()


def test_a_member_gets_the_image_inline_and_the_thumbnail(client_as, workspace):
    media = services.media_upload(workspace=workspace, upload=image_upload("x.png"), by=None)
    client = client_as(Role.COORDINATOR)
    tiles = client.get(LIBRARY).content.decode()  # the grid writes the addresses the views answer
    assert f'href="{reverse("media_library:detail", args=[media.pk])}"' in tiles
    assert f'src="{reverse("media_library:thumbnail", args=[media.pk])}"' in tiles
    served = client.get(reverse("media_library:file", args=[media.pk]))
    assert served["Content-Type"] == "image/png" and served["Content-Disposition"].startswith("inline")
    assert served["X-Content-Type-Options"] == "nosniff"
    thumb = client.get(reverse("media_library:thumbnail", args=[media.pk]))
    assert thumb["Content-Type"] == "image/jpeg"
    download = client.get(reverse("media_library:file", args=[media.pk]) + "?download=1")
    assert download["Content-Disposition"].startswith("attachment") and "x.png" in download["Content-Disposition"]


def _names(client, query: str) -> list[str]:
    response = client.get(LIBRARY + query)
    return [f.original_name for f in response.context["files"]]


def test_search_folder_tag_and_kind_filter_the_library(client_as, workspace, other_workspace):
    client = client_as(Role.ANALYST)
    summer = MediaFolderFactory(workspace=workspace, name="Summer")
    beach = MediaTagFactory(workspace=workspace, name="beach")
    a = MediaFileFactory(workspace=workspace, original_name="dunes.png", folder=summer)
    services.media_update(media_file=a, alt_text="", folder=summer, tags=[beach])
    office = MediaFileFactory(workspace=workspace, original_name="office.png")
    services.media_update(media_file=office, alt_text="Our team at the BEACH party", folder=None, tags=[])
    MediaFileFactory(workspace=workspace, original_name="launch.mp4", kind="video", content_type="video/mp4")
    MediaFileFactory(workspace=other_workspace, original_name="beach-of-others.png")
    assert _names(client, "?q=Beach") == ["office.png", "dunes.png"]  # alt text and tag, any case, newest first
    assert _names(client, "?q=DUNES") == ["dunes.png"]
    assert _names(client, f"?folder={summer.pk}") == ["dunes.png"]
    assert _names(client, f"?tag={beach.pk}") == ["dunes.png"]
    assert _names(client, "?kind=video") == ["launch.mp4"]
    assert _names(client, "?kind=nonsense&folder=abc") == ["launch.mp4", "office.png", "dunes.png"]


def test_the_library_pages_48_files_at_a_time(client_as, workspace):
    MediaFileFactory.create_batch(50, workspace=workspace)
    client = client_as(Role.ADMIN)
    assert len(client.get(LIBRARY).context["files"]) == 48
    assert len(client.get(LIBRARY + "?page=2").context["files"]) == 2


def _library_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIBRARY + "?q=picture").status_code == 200
    return len(queries)


def test_the_library_reads_the_same_queries_for_5_and_40_files(client_as, workspace):
    client = client_as(Role.ADMIN)
    client.get(LIBRARY)  # the session's first request reads more (the login's records)
    tag = MediaTagFactory(workspace=workspace)
    for media in MediaFileFactory.create_batch(5, workspace=workspace, folder=MediaFolderFactory(workspace=workspace)):
        media.tags.add(tag)
    small = _library_queries(client)
    for media in MediaFileFactory.create_batch(35, workspace=workspace, folder=MediaFolderFactory(workspace=workspace)):
        media.tags.add(tag, MediaTagFactory(workspace=workspace))
    assert _library_queries(client) == small


def test_a_file_used_by_a_scheduled_post_is_not_deleted(client_as, workspace):
    media = services.media_upload(workspace=workspace, upload=image_upload(), by=None)
    post = PublicationFactory(workspace=workspace, status=Publication.Status.SCHEDULED)
    PublicationMedia.objects.create(publication=post, media_file=media)
    client = client_as(Role.ADMIN)
    page = client.get(reverse("media_library:detail", args=[media.pk])).content.decode()
    assert "1 publication not published yet uses this file" in page
    response = client.post(reverse("media_library:delete", args=[media.pk]), follow=True)
    assert "1 publication not published yet uses this file" in response.content.decode()
    assert MediaFile.objects.filter(pk=media.pk).exists()


def test_a_file_used_only_by_published_posts_is_deleted_with_its_bytes(
    client_as, workspace, django_capture_on_commit_callbacks
):
    media = services.media_upload(workspace=workspace, upload=image_upload(), by=None)
    storage, name, thumb = media.file.storage, media.file.name, media.thumbnail.name
    post = PublicationFactory(workspace=workspace, status=Publication.Status.PUBLISHED)
    PublicationMedia.objects.create(publication=post, media_file=media)
    client = client_as(Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("media_library:delete", args=[media.pk]))
    assert response.status_code == 302
    assert not MediaFile.objects.exists() and Publication.objects.filter(pk=post.pk).exists()
    assert not storage.exists(name) and not storage.exists(thumb)


def test_a_file_lists_the_publications_that_use_it(client_as, workspace):
    media = services.media_upload(workspace=workspace, upload=image_upload(), by=None)
    used = PublicationFactory(workspace=workspace, content_item__title="Spring launch")
    PublicationFactory(workspace=workspace, content_item__title="Unrelated")
    PublicationMedia.objects.create(publication=used, media_file=media)
    response = client_as(Role.ANALYST).get(reverse("media_library:detail", args=[media.pk]))
    assert [p.pk for p in response.context["used_in"]] == [used.pk]
    page = response.content.decode()
    assert reverse("calendar_app:publication_detail", args=[used.pk]) in page and "Unrelated" not in page


def test_alt_text_folder_and_tags_are_saved(client_as, workspace):
    media = services.media_upload(workspace=workspace, upload=image_upload(), by=None)
    client = client_as(Role.COMMUNITY_MANAGER)
    response = client.post(
        reverse("media_library:update", args=[media.pk]),
        {"alt_text": "Two people laughing", "folder": "", "new_folder": "Spring", "tags_text": "team, Team, office"},
    )
    assert response.status_code == 302
    media.refresh_from_db()
    assert media.alt_text == "Two people laughing" and media.folder.name == "Spring"
    assert sorted(t.name for t in media.tags.all()) == ["office", "team"]
    other = MediaFolderFactory()  # another workspace's folder is not a choice
    response = client.post(reverse("media_library:update", args=[media.pk]), {"alt_text": "x", "folder": other.pk})
    assert response.status_code == 400
    media.refresh_from_db()
    assert media.folder.name == "Spring"


def test_a_video_answers_a_byte_range_for_seeking(client_as, workspace):
    client = client_as(Role.ADMIN)
    client.post(UPLOAD, {"files": [SimpleUploadedFile("clip.mp4", MP4)]}, **JSON)
    url = reverse("media_library:file", args=[MediaFile.objects.get().pk])
    part = client.get(url, HTTP_RANGE="bytes=4-11")
    assert part.status_code == 206 and b"".join(part.streaming_content) == MP4[4:12] == b"ftypisom"
    assert part["Content-Range"] == f"bytes 4-11/{len(MP4)}" and part["X-Content-Type-Options"] == "nosniff"
    tail = client.get(url, HTTP_RANGE="bytes=-8")
    assert b"".join(tail.streaming_content) == MP4[-8:]
    whole = client.get(url, HTTP_RANGE="bytes=999-")
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"


def test_an_upload_into_another_workspaces_folder_is_refused_and_says_why(client_as, workspace):
    theirs = MediaFolderFactory()
    client = client_as(Role.ADMIN)
    response = client.post(UPLOAD, {"files": [image_upload()], "folder": theirs.pk}, **JSON)
    assert response.status_code == 400 and response.json()["error"].startswith("Folder: Select a valid choice.")
    assert client.post(UPLOAD, {}, **JSON).json()["error"] == "Files: Choose at least one file."
    many = ", ".join(f"tag{n}" for n in range(21))
    answer = client.post(UPLOAD, {"files": [image_upload()], "tags": many}, **JSON).json()
    assert answer["error"] == "Tags: At most 20 tags per file."
    assert not MediaFile.objects.exists()


def test_a_tag_made_by_two_uploads_at_once_is_one_tag(workspace):
    from media_library.models import MediaTag

    first = services.tags_from_text(workspace=workspace, text="Beach")
    MediaTag.objects.filter(pk=first[0].pk).update(name="beach")  # as another request wrote it
    assert services.tags_from_text(workspace=workspace, text="BEACH, sun")[0].pk == first[0].pk
    assert services.folder_get_or_create(workspace=workspace, name="Summer") == services.folder_get_or_create(
        workspace=workspace, name="summer "
    )


def test_the_tiles_escape_names_alt_texts_and_tags(client_as, workspace):
    client = client_as(Role.ADMIN)
    script = "<script>alert(1)</script>"
    media = MediaFileFactory(workspace=workspace, original_name=f"{script}.png")
    services.media_update(
        media_file=media, alt_text="", folder=None, tags=[MediaTagFactory(workspace=workspace, name=script)]
    )
    html = client.get(LIBRARY).content.decode()
    assert (
        script not in html and html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 4
    )  # name, title, tag, tag filter
    assert "no alt text</span>" in html and 'class="bi bi-film"' in html  # no thumbnail unless uploaded


def test_a_tile_shows_its_tags_by_name_read_with_the_page_itself(client_as, workspace):
    """The tags' names come in the page's own query (an array per file), not a prefetch of their own."""
    client = client_as(Role.ADMIN)
    client.get(LIBRARY)  # the session's first request reads more (the login's records)
    zebra, apple = (
        MediaTagFactory(workspace=workspace, name="zebra"),
        MediaTagFactory(workspace=workspace, name="Apple"),
    )
    tagged = MediaFileFactory(workspace=workspace, original_name="tagged.png")
    tagged.tags.add(zebra, apple)
    MediaFileFactory(workspace=workspace, original_name="bare.png")
    with CaptureQueriesContext(connection) as queries:
        body = client.get(LIBRARY).content.decode()
    tiles = body.split('data-testid="media-tile"')[1:]
    (tagged_tile,) = [t for t in tiles if "tagged.png" in t]
    assert tagged_tile.index(">Apple<") < tagged_tile.index(">zebra<")
    assert "badge" not in next(t for t in tiles if "bare.png" in t)
    reading_tags = [q["sql"] for q in queries if '"media_library_mediafile_tags"' in q["sql"]]
    assert len(reading_tags) == 1, reading_tags
    if connection.vendor == "postgresql":  # in the page's own query; SQLite prefetches them
        assert "ARRAY(SELECT" in reading_tags[0], reading_tags
