"""Each network's media rules (calendar_app/media_rules.py), as its publishing documentation states them."""

from types import SimpleNamespace

import pytest

from calendar_app.media_rules import MB, media_problems


def photo(name="spring.jpg", content_type="image/jpeg", size=MB, width=1080, height=1350):
    return SimpleNamespace(
        original_name=name, kind="image", content_type=content_type, size_bytes=size, width=width, height=height
    )


def video(name="teaser.mp4", content_type="video/mp4", size=20 * MB):
    return SimpleNamespace(
        original_name=name, kind="video", content_type=content_type, size_bytes=size, width=1920, height=1080
    )


def test_x_takes_four_photos_or_one_video_or_gif_never_both():
    assert media_problems("x", [photo() for _ in range(4)]) == []
    assert media_problems("x", [photo() for _ in range(5)]) == [
        "X (Twitter) takes at most 4 photos in a post; this one has 5."
    ]
    assert media_problems("x", [photo(), video()]) == ["X (Twitter) takes photos or a video, not both in one post."]
    gif = photo("dance.gif", "image/gif", size=14 * MB)
    assert media_problems("x", [gif]) == []  # a GIF up to 15 MB, as X's one video of the post
    assert media_problems("x", [gif, video()]) == ["X (Twitter) takes one video or GIF a post; this one has 2."]
    assert media_problems("x", [photo(size=6 * MB)]) == ["spring.jpg: 6 MB; X (Twitter) takes photos up to 5 MB."]


def test_instagram_needs_media_in_jpeg_within_its_proportions():
    assert media_problems("instagram", []) == ["Instagram posts need a photo or a video."]
    assert media_problems("instagram", [], addresses=1) == []
    assert media_problems("instagram", [photo(content_type="image/png", name="a.png")]) == [
        "a.png: Instagram takes JPEG photos."
    ]
    assert media_problems("instagram", [photo(width=1080, height=1920)]) == [
        "spring.jpg: 1080 x 1920 px is outside Instagram's proportions (from 4:5 tall to 1.91:1 wide)."
    ]
    assert media_problems("instagram", [photo() for _ in range(11)])[0].startswith("Instagram takes at most 10 photos")


def test_linkedin_and_facebook_limits():
    assert media_problems("linkedin", [video(content_type="video/quicktime", name="t.mov")]) == [
        "t.mov: LinkedIn takes MP4 videos."
    ]
    assert media_problems("linkedin", [photo(width=8000, height=5000)]) == [
        "spring.jpg: 8000 x 5000 px is more pixels than LinkedIn takes."
    ]
    assert media_problems("facebook", [photo(size=5 * MB)]) == ["spring.jpg: 5 MB; Facebook takes photos up to 4 MB."]
    assert media_problems("facebook", [photo() for _ in range(30)]) == []
    assert media_problems("youtube", [photo() for _ in range(30)]) == []  # no rules known: the network decides


@pytest.mark.django_db
def test_a_post_the_network_cannot_take_is_not_sent_for_review_and_its_page_says_why(
    client_as, workspace, settings, tmp_path
):
    from django.core.exceptions import ValidationError
    from django.urls import reverse

    from accounts.roles import Role
    from calendar_app import services
    from calendar_app.tests.factories import OwnProfileFactory, PublicationFactory
    from media_library import services as media_services
    from media_library.tests.factories import image_upload

    settings.MEDIA_ROOT = tmp_path
    client = client_as(Role.COMMUNITY_MANAGER)
    gram = OwnProfileFactory(workspace=workspace, platform="instagram")
    post = PublicationFactory(workspace=workspace, profile=gram, status="draft")
    with pytest.raises(ValidationError, match="Instagram posts need a photo or a video"):
        services.publication_submit(publication=post, by=None)
    png = media_services.media_upload(workspace=workspace, upload=image_upload("flat.png", size=(800, 800)), by=None)
    media_services.publication_media_set(publication=post, media_files=[png], by=None)
    page = client.get(reverse("calendar_app:publication_detail", args=[post.pk])).content.decode()
    assert "flat.png: Instagram takes JPEG photos." in page
    jpeg = media_services.media_upload(
        workspace=workspace, upload=image_upload("flat.jpg", fmt="JPEG", size=(800, 800)), by=None
    )
    media_services.publication_media_set(publication=post, media_files=[jpeg], by=None)
    services.publication_submit(publication=post, by=None)
    post.refresh_from_db()
    assert post.status == "in_review"


@pytest.mark.django_db
def test_a_published_post_page_says_nothing_of_what_review_would_have_refused(client_as, workspace):
    from django.urls import reverse

    from accounts.roles import Role
    from calendar_app.tests.factories import OwnProfileFactory, PublicationFactory

    gram = OwnProfileFactory(workspace=workspace, platform="instagram")
    client = client_as(Role.COMMUNITY_MANAGER)
    out = PublicationFactory(workspace=workspace, profile=gram, status="published")
    draft = PublicationFactory(workspace=workspace, profile=gram, status="draft")
    said = "Instagram posts need a photo or a video"
    assert said not in client.get(reverse("calendar_app:publication_detail", args=[out.pk])).content.decode()
    assert said in client.get(reverse("calendar_app:publication_detail", args=[draft.pk])).content.decode()


def test_the_networks_that_take_files_refuse_media_typed_as_addresses():
    for platform in ("x", "bluesky", "mastodon"):
        [problem] = media_problems(platform, [], addresses=1)
        assert "media library" in problem
    assert media_problems("facebook", [], addresses=2) == []  # Meta fetches the addresses itself
