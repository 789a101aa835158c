"""One post for several accounts (calendar_app/composer.py): a draft per account, its variant or the shared text,
one time or each account's next slot; one account over its network's limit refuses them all."""

from datetime import UTC, datetime, time

import pytest
from django.urls import reverse

from accounts.roles import Role
from calendar_app.models import PostingSlot, Publication, PublicationGroup

from .factories import ContentItemFactory, OwnProfileFactory, brand_voice_avoids

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(workspace):
    return {
        "x": OwnProfileFactory(workspace=workspace, platform="x", handle="acme_news"),
        "instagram": OwnProfileFactory(workspace=workspace, platform="instagram", handle="acme"),
        "linkedin": OwnProfileFactory(workspace=workspace, platform="linkedin", handle="acme-b2b"),
    }


def _compose(client, item, accounts, copy, **extra):
    data = {
        "content_item": item.pk,
        "accounts": [a.pk for a in accounts],
        "copy": copy,
        "scheduled_at": "",
        "media": "",
    }
    return client.post(reverse("calendar_app:composer"), data | extra)


def test_one_post_for_three_accounts_writes_a_draft_each_with_its_variant(client_as, workspace, accounts):
    client = client_as(Role.COMMUNITY_MANAGER)
    item = ContentItemFactory(workspace=workspace)
    long_text = "Our spring collection is here. " * 12  # 372 characters: too long for X
    response = _compose(
        client, item, accounts.values(), long_text,
        **{f"variant_{accounts['x'].pk}": "Spring is here: meet the collection.", "scheduled_at": "2026-12-10T09:30",
           "media": "https://cdn.example.com/spring.jpg"},
    )  # fmt: skip
    assert response.status_code == 302
    group = PublicationGroup.objects.get()
    drafts = {p.profile.platform: p for p in Publication.objects.filter(group=group)}
    assert set(drafts) == {"x", "instagram", "linkedin"}
    assert drafts["x"].copy == "Spring is here: meet the collection." and drafts["instagram"].copy == long_text.strip()
    assert {p.status for p in drafts.values()} == {"draft"}
    assert {p.scheduled_at for p in drafts.values()} == {datetime(2026, 12, 10, 8, 30, tzinfo=UTC)}
    assert drafts["linkedin"].media_urls == ["https://cdn.example.com/spring.jpg"]
    assert all(list(p.events.values_list("action", flat=True)) == ["created"] for p in drafts.values())


def test_one_account_over_its_limit_refuses_them_all_and_says_which(client_as, workspace, accounts):
    client = client_as(Role.COMMUNITY_MANAGER)
    item = ContentItemFactory(workspace=workspace)
    response = _compose(client, item, accounts.values(), "a" * 300)
    assert response.status_code == 400 and not Publication.objects.exists() and not PublicationGroup.objects.exists()
    assert (
        "@acme_news on X (Twitter): 300 characters: X (Twitter) allows 280. Write a variant."
        in response.content.decode()
    )


def test_each_account_takes_its_own_next_free_slot(client_as, workspace, accounts):
    import time_machine

    client = client_as(Role.COMMUNITY_MANAGER)
    item = ContentItemFactory(workspace=workspace)
    PostingSlot.objects.create(workspace=workspace, profile=accounts["x"], weekday=1, time=time(9, 0))
    PostingSlot.objects.create(workspace=workspace, profile=accounts["instagram"], weekday=3, time=time(18, 0))
    with time_machine.travel(datetime(2026, 12, 7, 8, 0, tzinfo=UTC), tick=False):
        _compose(client, item, [accounts["x"], accounts["instagram"]], "Hello", add_to_queue="on")
        refused = _compose(client, item, [accounts["linkedin"]], "Hello", add_to_queue="on")
    times = {p.profile.platform: p.scheduled_at for p in Publication.objects.all()}
    assert times == {
        "x": datetime(2026, 12, 8, 8, 0, tzinfo=UTC),
        "instagram": datetime(2026, 12, 10, 17, 0, tzinfo=UTC),
    }
    assert "@acme-b2b on LinkedIn: no free posting slot" in refused.content.decode()


def test_the_page_offers_the_accounts_with_their_limits_and_the_words_to_avoid_for_the_preview(
    client_as, workspace, accounts
):
    import json

    brand_voice_avoids(workspace, "cheap")
    client = client_as(Role.COMMUNITY_MANAGER)
    page = client.get(reverse("calendar_app:composer")).content.decode()
    data = json.loads(page.split('<script id="composer-data" type="application/json">')[1].split("</script>")[0])
    assert {a["name"]: a["limit"] for a in data["accounts"]}["@acme_news on X (Twitter)"] == 280
    assert "cheap" in data["avoid"]
    assert client_as(Role.ANALYST).get(reverse("calendar_app:composer")).status_code == 403


def test_an_account_given_its_own_time_keeps_it_while_the_others_share_one(client_as, workspace, accounts):
    client = client_as(Role.COMMUNITY_MANAGER)
    item = ContentItemFactory(workspace=workspace)
    response = _compose(
        client, item, accounts.values(), "Spring is here.",
        **{"scheduled_at": "2026-12-10T09:30", f"time_{accounts['linkedin'].pk}": "2026-12-11T08:00"},
    )  # fmt: skip
    assert response.status_code == 302
    times = {p.profile.platform: p.scheduled_at for p in Publication.objects.all()}
    assert times == {
        "x": datetime(2026, 12, 10, 8, 30, tzinfo=UTC),
        "instagram": datetime(2026, 12, 10, 8, 30, tzinfo=UTC),
        "linkedin": datetime(2026, 12, 11, 7, 0, tzinfo=UTC),  # 08:00 in Paris
    }


def test_an_own_time_that_is_not_a_time_is_named_on_its_account_and_nothing_is_written(client_as, workspace, accounts):
    client = client_as(Role.COMMUNITY_MANAGER)
    item = ContentItemFactory(workspace=workspace)
    response = _compose(client, item, [accounts["x"]], "Spring.", **{f"time_{accounts['x'].pk}": "next tuesday"})
    assert response.status_code == 400
    assert "Enter a valid date/time." in response.content.decode()
    assert not Publication.objects.exists()


def test_the_preview_asks_what_each_network_would_refuse_of_the_chosen_files(client_as, workspace, other_workspace):
    from media_library.tests.factories import MediaFileFactory

    client = client_as(Role.COMMUNITY_MANAGER)
    png = MediaFileFactory(
        workspace=workspace, original_name="flat.png", content_type="image/png", width=800, height=800
    )
    theirs = MediaFileFactory(workspace=other_workspace, content_type="image/png")
    url = reverse("calendar_app:media_check")
    answer = client.get(url, {"file": [png.pk, theirs.pk], "network": ["instagram", "x", "nowhere"]}).json()
    assert answer == {"instagram": ["flat.png: Instagram takes JPEG photos."], "x": []}
    assert client.get(url, {"network": "instagram"}).json() == {
        "instagram": ["Instagram posts need a photo or a video."]
    }
    assert client.get(url, {"network": "instagram", "addresses": "1"}).json() == {"instagram": []}
    assert client_as(Role.ANALYST).get(url, {"network": "x"}).status_code == 403


def test_the_page_gives_the_preview_its_files_frames_and_thumbnails(client_as, workspace, accounts):
    import json

    from media_library.tests.factories import MediaFileFactory

    photo = MediaFileFactory(workspace=workspace, width=1200, height=900, alt_text="Jackets on a rail")
    page = client_as(Role.COMMUNITY_MANAGER).get(reverse("calendar_app:composer")).content.decode()
    data = json.loads(page.split('<script id="composer-data" type="application/json">')[1].split("</script>")[0])
    assert data["media"][str(photo.pk)]["alt"] == "Jackets on a rail"
    assert data["media"][str(photo.pk)]["width"] == 1200
    assert data["frames"]["instagram"] == [0.8, 1.91]


def test_an_account_may_go_out_with_files_of_its_own_or_none(client_as, workspace, accounts, settings, tmp_path):
    from media_library.models import PublicationMedia
    from media_library.tests.factories import MediaFileFactory

    settings.MEDIA_ROOT = tmp_path
    client = client_as(Role.COMMUNITY_MANAGER)
    item = ContentItemFactory(workspace=workspace)
    shared, square = MediaFileFactory(workspace=workspace), MediaFileFactory(workspace=workspace)
    x, gram, linkedin = accounts["x"], accounts["instagram"], accounts["linkedin"]
    response = _compose(
        client, item, [x, gram, linkedin], "Spring is here.",
        **{"media": "https://cdn.example.com/typed.jpg", "library_media": [shared.pk],
           f"media_{gram.pk}": "own", f"library_media_{gram.pk}": [square.pk], f"media_{linkedin.pk}": "none"},
    )  # fmt: skip
    assert response.status_code == 302
    files = {
        p.profile.platform: (
            list(PublicationMedia.objects.filter(publication=p).values_list("media_file", flat=True)),
            p.media_urls,
        )
        for p in Publication.objects.all()
    }
    assert files == {
        "x": ([shared.pk], ["https://cdn.example.com/typed.jpg"]),
        "instagram": ([square.pk], []),
        "linkedin": ([], []),
    }


def test_files_of_its_own_must_be_chosen_and_the_workspaces(client_as, workspace, other_workspace, accounts):
    from media_library.tests.factories import MediaFileFactory

    client = client_as(Role.COMMUNITY_MANAGER)
    item = ContentItemFactory(workspace=workspace)
    theirs = MediaFileFactory(workspace=other_workspace)
    gram = accounts["instagram"]
    response = _compose(client, item, [gram], "Spring.", **{f"media_{gram.pk}": "own"})
    assert response.status_code == 400 and "Choose this account" in response.content.decode()
    response = _compose(
        client, item, [gram], "Spring.", **{f"media_{gram.pk}": "own", f"library_media_{gram.pk}": [theirs.pk]}
    )
    assert response.status_code == 400 and "not in the media library" in response.content.decode()
    assert not Publication.objects.exists()


def test_the_accounts_boxes_are_escaped_and_a_ticked_one_stays_ticked_when_the_form_comes_back(
    client_as, workspace, accounts
):
    client = client_as(Role.COMMUNITY_MANAGER)
    odd = OwnProfileFactory(workspace=workspace, platform="x", handle='a"b<c>')
    response = _compose(client, ContentItemFactory(workspace=workspace), [accounts["x"], odd], "")  # no text
    assert response.status_code == 400
    html = response.content.decode()
    x = accounts["x"].pk
    assert f'value="{x}" id="account-{x}" checked><label class="form-check-label" for="account-{x}">' in html
    linkedin = accounts["linkedin"].pk
    assert f'value="{linkedin}" id="account-{linkedin}"><label' in html  # not ticked
    assert "@a&quot;b&lt;c&gt; on X (Twitter)</label>" in html and 'a"b<c>' not in html
