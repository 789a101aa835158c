"""Publications carry media library files: picked on the publication form and the composer, shown on the post's
page, and a change of them is an edit (an approved post goes back to review)."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from calendar_app.models import Publication, PublicationGroup
from calendar_app.tests.factories import ContentItemFactory, OwnProfileFactory, PublicationFactory
from media_library import services
from media_library.models import PublicationMedia

from .factories import MediaFileFactory, image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _form_data(publication, **extra):
    return {
        "content_item": publication.content_item_id,
        "profile": publication.profile_id,
        "copy": publication.copy,
        "scheduled_at": publication.scheduled_at.strftime("%Y-%m-%dT%H:%M"),
        "media": "",
    } | extra


def test_the_publication_form_attaches_library_files_and_the_page_shows_them(client_as, workspace):
    client = client_as(Role.CONTENT_LEAD)
    photo = services.media_upload(workspace=workspace, upload=image_upload("team.png"), by=None, alt_text="The team")
    clip = MediaFileFactory(workspace=workspace, kind="video", content_type="video/mp4")
    post = PublicationFactory(workspace=workspace)
    response = client.post(
        reverse("calendar_app:publication_edit", args=[post.pk]), _form_data(post, library_media=[photo.pk, clip.pk])
    )
    assert response.status_code == 302
    assert set(PublicationMedia.objects.filter(publication=post).values_list("media_file", flat=True)) == {
        photo.pk,
        clip.pk,
    }
    page = client.get(reverse("calendar_app:publication_detail", args=[post.pk])).content.decode()
    assert reverse("media_library:thumbnail", args=[photo.pk]) in page and 'alt="The team"' in page
    edit = client.get(reverse("calendar_app:publication_edit", args=[post.pk])).content.decode()
    assert f'<option value="{photo.pk}" selected>' in edit


def test_the_form_offers_the_newest_files_and_those_attached_not_another_workspaces(
    client_as, workspace, other_workspace, settings
):
    from media_library import selectors

    old = MediaFileFactory(workspace=workspace, original_name="old.png")
    post = PublicationFactory(workspace=workspace)
    PublicationMedia.objects.create(publication=post, media_file=old)
    MediaFileFactory.create_batch(3, workspace=workspace)
    theirs = MediaFileFactory(workspace=other_workspace)
    selectors.FORM_WINDOW, before = 2, selectors.FORM_WINDOW
    try:
        client = client_as(Role.ADMIN)
        form = client.get(reverse("calendar_app:publication_edit", args=[post.pk])).context["form"]
        offered = list(form.fields["library_media"].queryset)
        assert len(offered) == 3 and old in offered
        response = client.post(
            reverse("calendar_app:publication_edit", args=[post.pk]), _form_data(post, library_media=[theirs.pk])
        )
        assert response.status_code == 200 and "library_media" in response.context["form"].errors
    finally:
        selectors.FORM_WINDOW = before


def test_changing_the_files_of_an_approved_post_sends_it_back_to_review(workspace, make_member):
    author = make_member(Role.COMMUNITY_MANAGER).user
    post = PublicationFactory(workspace=workspace, status=Publication.Status.APPROVED)
    photo = MediaFileFactory(workspace=workspace)
    assert services.publication_media_set(publication=post, media_files=[photo], by=author)
    post.refresh_from_db()
    assert post.status == Publication.Status.IN_REVIEW
    event = post.events.get(action="edited")
    assert event.changes == {"library_media": [[], [photo.pk]]} and event.actor == author
    # The same files again change nothing.
    assert not services.publication_media_set(publication=post, media_files=[photo], by=author)


def test_a_published_post_keeps_its_files(workspace):
    post = PublicationFactory(workspace=workspace, status=Publication.Status.PUBLISHED)
    with pytest.raises(Exception, match="published post cannot be edited"):
        services.publication_media_set(publication=post, media_files=[MediaFileFactory(workspace=workspace)], by=None)


def test_the_composer_gives_every_account_the_chosen_files(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    accounts = [OwnProfileFactory(workspace=workspace, platform="instagram"), OwnProfileFactory(workspace=workspace)]
    photo = MediaFileFactory(workspace=workspace)
    response = client.post(
        reverse("calendar_app:composer"),
        {
            "content_item": ContentItemFactory(workspace=workspace).pk,
            "accounts": [a.pk for a in accounts],
            "copy": "Spring is here.",
            "scheduled_at": "2026-12-10T09:30",
            "media": "",
            "library_media": [photo.pk],
        },
    )
    assert response.status_code == 302
    posts = Publication.objects.filter(group=PublicationGroup.objects.get())
    assert [list(p.library_media.values_list("media_file", flat=True)) for p in posts] == [[photo.pk], [photo.pk]]
    assert all(list(p.events.values_list("action", flat=True)) == ["created"] for p in posts)


def test_a_posts_library_files_are_checked_by_each_networks_media_rules(workspace):
    from calendar_app.media_rules import media_problems
    from media_library import selectors

    post = PublicationFactory(workspace=workspace)
    png = services.media_upload(workspace=workspace, upload=image_upload("wide.png", size=(2000, 500)), by=None)
    services.publication_media_set(publication=post, media_files=[png], by=None)
    assert media_problems("instagram", selectors.publication_media(publication=post)) == [
        "wide.png: Instagram takes JPEG photos.",
        "wide.png: 2000 x 500 px is outside Instagram's proportions (from 4:5 tall to 1.91:1 wide).",
    ]


def test_the_form_window_is_one_query_with_no_parameter_per_file(workspace):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from media_library import selectors

    files = MediaFileFactory.create_batch(5, workspace=workspace)
    with CaptureQueriesContext(connection) as queries:
        options, preview = selectors.window_rows(selectors.form_window(workspace=workspace, selected=[files[0].pk]))
    assert [pk for pk, _ in options] == [f.pk for f in reversed(files)] and set(preview) == {f.pk for f in files}
    if connection.vendor == "postgresql":  # SQLite reads the newest ids first, then the window
        assert len(queries) == 1, [q["sql"] for q in queries]
        assert '"id" = ANY(ARRAY(SELECT' in queries[0]["sql"]
