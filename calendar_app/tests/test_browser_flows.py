"""In Chromium: a contributor's idea accepted by the lead, then a publication scheduled and approved."""

from zoneinfo import ZoneInfo

import pytest
import responses
from playwright.sync_api import expect

from accounts.roles import Role
from calendar_app.models import ContentItem, Idea, Publication

from .factories import OwnProfileFactory, brand_voice_avoids

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logout(page):
    page.get_by_test_id("current-user").click()
    page.get_by_test_id("logout").click()
    page.wait_for_load_state("networkidle")


def test_contributor_submits_an_idea_and_the_content_lead_accepts_it(page, browser_login, workspace, make_member):
    make_member(Role.CONTRIBUTOR, email="robin@example.test")
    make_member(Role.CONTENT_LEAD, email="camille@example.test")

    browser_login("robin@example.test")
    page.get_by_role("link", name="Submit an idea").first.click()
    page.get_by_label("Title").fill("Behind the scenes at the workshop")
    page.get_by_label("Description").fill("Short videos of how our products are made.")
    page.get_by_label("Instagram").check()
    page.get_by_role("button", name="Send the idea").click()
    page.get_by_text("Thank you: your idea is in.").wait_for()
    assert page.get_by_test_id("idea-status").inner_text() == "New"
    _logout(page)

    browser_login("camille@example.test")
    page.goto("/ideas/")
    page.get_by_role("link", name="Behind the scenes at the workshop").click()
    page.get_by_label("Decision").select_option("accept")
    page.get_by_label("Due date").fill("2026-12-10")
    page.get_by_role("button", name="Apply the decision").click()
    page.get_by_text("is on the editorial calendar").first.wait_for()
    _logout(page)

    browser_login("robin@example.test")
    assert "Accepted" in page.get_by_test_id("my-ideas").inner_text()
    idea = Idea.objects.get()
    assert idea.status == "accepted" and idea.content_item.title == "Behind the scenes at the workshop"


def test_a_publication_is_scheduled_sent_for_review_and_approved(page, browser_login, workspace, make_member):
    make_member(Role.COMMUNITY_MANAGER, email="jordan@example.test")
    make_member(Role.STRATEGY_LEAD, email="sam@example.test")
    item = ContentItem.objects.create(workspace=workspace, title="Spring launch", due_date="2026-12-10")
    OwnProfileFactory(workspace=workspace, platform="instagram", handle="acme")

    browser_login("jordan@example.test")
    page.goto(f"/calendar/publishing/new/?content_item={item.pk}")
    page.get_by_label("Social account").select_option(label="@acme on Instagram")
    page.get_by_label("Copy").fill("Spring is here: meet the collection.")
    page.get_by_label("Scheduled for (workspace time)").fill("2026-12-10T10:00")
    page.get_by_label("Media", exact=True).fill("https://cdn.example.com/spring.jpg")  # Instagram takes no post without
    page.get_by_role("button", name="Save").click()
    page.get_by_test_id("submit-review").click()
    assert page.get_by_test_id("publication-status").inner_text() == "In review"
    _logout(page)

    browser_login("sam@example.test")
    page.goto("/calendar/publishing/")
    page.get_by_role("link", name="Spring launch").first.click()
    page.get_by_test_id("approve").click()
    page.get_by_text("Approved: scheduled.").wait_for()
    assert page.get_by_test_id("publication-status").inner_text() == "Scheduled"
    history = page.get_by_test_id("history").inner_text()
    assert "Submitted" in history and "Approved" in history
    publication = Publication.objects.get()
    assert publication.status == "scheduled"
    assert publication.scheduled_at.isoformat() == "2026-12-10T09:00:00+00:00"


def test_an_item_is_dragged_to_another_day_on_the_editorial_calendar(page, browser_login, workspace, make_member):
    make_member(Role.CONTENT_LEAD, email="camille@example.test")
    from django.utils import timezone

    today = timezone.localdate()
    day = today.replace(day=10)
    ContentItem.objects.create(workspace=workspace, title="Drag me", due_date=day)
    browser_login("camille@example.test")
    page.goto("/calendar/editorial/")
    event = page.locator(".fc-event", has_text="Drag me")
    target = page.locator(f'td.fc-day[data-date="{day.replace(day=12).isoformat()}"]')
    event.drag_to(target)
    page.get_by_text("Moved “Drag me”").wait_for()
    assert ContentItem.objects.get().due_date == day.replace(day=12)


def test_the_publishing_calendar_shows_status_network_and_account_and_keeps_its_filters_and_place(
    page, browser_login, workspace, make_member
):
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from calendar_app.selectors import publication_colour

    from .factories import PublicationFactory

    make_member(Role.CONTENT_LEAD, email="camille@example.test")
    zone = ZoneInfo(workspace.time_zone)
    day = timezone.localdate().replace(day=10)
    at = datetime.combine(day, time(10, 0), tzinfo=zone)
    instagram = OwnProfileFactory(workspace=workspace, platform="instagram", handle="acme")
    x = OwnProfileFactory(workspace=workspace, platform="x", handle="acme_news")
    PublicationFactory(
        workspace=workspace, profile=instagram, content_item__title="Gram post", scheduled_at=at, status="scheduled"
    )
    PublicationFactory(
        workspace=workspace,
        profile=x,
        content_item__title="News post",
        scheduled_at=at.replace(hour=11),
        status="published",
    )
    browser_login("camille@example.test")
    page.goto("/calendar/publishing/")
    assert workspace.time_zone in page.get_by_test_id("calendar-zone").inner_text()
    gram = page.locator(".fc-event", has_text="Gram post")
    gram.wait_for()
    # The chip: the network's icon, the time, the account and the title, in the status's colour.
    assert gram.locator("i.bi-instagram").count() == 1
    assert gram.locator(".fc-chip").inner_text().strip().startswith("10:00 Gram post @acme")
    colour = gram.evaluate("e => getComputedStyle(e).backgroundColor")
    red, green, blue = (int(publication_colour("scheduled")[i : i + 2], 16) for i in (1, 3, 5))
    assert colour == f"rgb({red}, {green}, {blue})"
    assert page.locator(".fc-event", has_text="News post").locator("i.bi-twitter-x").count() == 1

    # A filter applies to the calendar and the list, and stays in the address.
    page.get_by_label("Account", exact=True).select_option(label="@acme_news on X (Twitter)")
    page.get_by_role("button", name="Filter").click()
    page.locator(".fc-event", has_text="News post").wait_for()
    assert f"account={x.pk}" in page.url
    assert page.locator(".fc-event", has_text="Gram post").count() == 0
    assert "Gram post" not in page.get_by_test_id("publication-table").inner_text()

    # The day view; the place (view and day) follows in the address, so a reload opens the same.
    page.locator(".fc-timeGridDay-button").click()
    page.locator(".fc-timeGridDay-view").wait_for()
    page.wait_for_function("location.search.includes('view=timeGridDay')")
    page.reload()
    page.locator(".fc-timeGridDay-view").wait_for()
    assert f"account={x.pk}" in page.url

    # The meeting's "more" link gives a day only: that day's list, the status in words.
    page.goto(f"/calendar/publishing/?date={day.isoformat()}")
    page.locator(".fc-listDay-view").wait_for()
    row = page.locator(".fc-list-event", has_text="Gram post")
    assert "Scheduled" in row.inner_text() and "@acme" in row.inner_text()


def test_a_community_manager_sets_a_slot_and_queues_a_post_on_it(page, browser_login, workspace, make_member):
    from calendar_app.models import PostingSlot

    make_member(Role.COMMUNITY_MANAGER, email="jordan@example.test")
    profile = OwnProfileFactory(workspace=workspace, platform="linkedin", handle="acme")
    item = ContentItem.objects.create(workspace=workspace, title="Hiring week", due_date="2026-12-10")
    browser_login("jordan@example.test")
    page.goto("/calendar/queue/")
    row = page.get_by_test_id(f"queue-{profile.pk}")
    row.get_by_text("Add a slot").click()
    row.get_by_label("Day for @acme on LinkedIn").select_option(label="Thursday")
    row.get_by_label("Time for @acme on LinkedIn (workspace time)").fill("08:30")
    row.get_by_role("button", name="Add").click()
    page.get_by_text("now posts on Thursday at 08:30").wait_for()
    assert "Next free: Thu" in page.get_by_test_id(f"next-free-{profile.pk}").inner_text()
    page.locator("[data-testid=heatmap]").wait_for()  # the best times fill in once the page shows
    slot = PostingSlot.objects.get()

    page.goto(f"/calendar/publishing/new/?content_item={item.pk}")
    page.get_by_label("Social account").select_option(label="@acme on LinkedIn")
    page.get_by_label("Copy").fill("We are hiring.")
    page.get_by_label("Add to the account's queue").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_test_id("publication-status").wait_for()
    publication = Publication.objects.get()
    local = publication.scheduled_at.astimezone(ZoneInfo(workspace.time_zone))
    assert (local.weekday(), local.time()) == (slot.weekday, slot.time)


def test_posts_selected_all_at_once_in_the_list_are_shifted_by_a_day(page, browser_login, workspace, make_member):
    from datetime import timedelta

    from django.utils import timezone

    from .factories import PublicationFactory

    make_member(Role.COMMUNITY_MANAGER, email="jordan@example.test")
    when = timezone.now().replace(microsecond=0, second=0) + timedelta(days=2)
    posts = [PublicationFactory(workspace=workspace, status="draft", scheduled_at=when) for _ in range(3)]
    browser_login("jordan@example.test")
    page.goto("/calendar/publishing/")
    page.get_by_label("Select every post of the list").check()
    assert page.locator("input[name=ids]:checked").count() == 3
    page.get_by_label("With the selected posts").select_option(label="Shift by days")
    page.get_by_label("Days (to shift by)").fill("1")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Apply").click()
    page.get_by_text("Shifted 3 of 3.").wait_for()
    assert {p.scheduled_at for p in Publication.objects.filter(pk__in=[p.pk for p in posts])} == {
        when + timedelta(days=1)
    }


def test_a_client_without_an_account_approves_through_a_review_link(page, workspace, make_member):
    from calendar_app import external_review

    from .factories import PublicationFactory

    author = make_member(Role.COMMUNITY_MANAGER, email="jordan@example.test").user
    post = PublicationFactory(workspace=workspace, owner=author, status="in_review", copy="Our spring range is here.")
    review = external_review.review_share(workspace=workspace, publication_ids=[post.pk], reviewer="Dana", by=author)
    page.goto(f"/review/{review.token}/")  # logged out: no session at all
    form = page.get_by_test_id(f"review-form-{post.pk}")
    assert "Our spring range is here." in page.get_by_test_id(f"review-post-{post.pk}").inner_text()
    assert form.get_by_label("Your name").input_value() == "Dana"
    form.get_by_label("Approve").check()
    form.get_by_label("Comment (what should change, for a change)").fill("Lovely, go ahead.")
    form.get_by_role("button", name="Send my answer").click()
    page.get_by_text("Thank you: your approval is recorded.").wait_for()
    assert "Lovely, go ahead." in page.get_by_test_id(f"review-post-{post.pk}").inner_text()
    assert post.events.filter(action="client_approved").exists()


@responses.activate
def test_the_composer_previews_each_network_while_the_text_is_typed(
    page, browser_login, workspace, make_member, monkeypatch
):
    from datetime import timedelta

    from django.utils import timezone

    from calendar_app import link_cards

    make_member(Role.COMMUNITY_MANAGER, email="jordan@example.test")
    brand_voice_avoids(workspace, "cheap")
    x = OwnProfileFactory(workspace=workspace, platform="x", handle="acme_news")
    gram = OwnProfileFactory(workspace=workspace, platform="instagram", handle="acme")
    due = timezone.localdate() + timedelta(days=70)  # behind the 20 nearest: the type-ahead finds it
    ContentItem.objects.create(workspace=workspace, title="Spring", due_date=due)
    ContentItem.objects.bulk_create(
        ContentItem(workspace=workspace, title=f"Weekly tip {n}", due_date=timezone.localdate() + timedelta(days=n))
        for n in range(25)
    )
    # The link's page, as the server reads it for the card (no real network: names resolve from a table).
    monkeypatch.setattr(link_cards, "_addresses", lambda host: ["93.184.215.14"])
    page_html = '<html><head><meta property="og:title" content="The spring collection"><meta property="og:site_name" content="Acme"></head></html>'
    responses.get("https://shop.example.com/spring-collection-2027", body=page_html, content_type="text/html")
    responses.add_passthru("http://localhost")

    browser_login("jordan@example.test")
    page.goto("/calendar/publishing/compose/")
    page.get_by_role("checkbox", name="@acme_news on X (Twitter)").check()
    page.get_by_role("checkbox", name="@acme on Instagram").check()
    page.get_by_label("Text for every account").fill("Not cheap, just good. " + "x" * 270)
    expect(page.get_by_test_id(f"preview-{x.pk}").locator("mark")).to_have_text("cheap")
    expect(page.get_by_test_id(f"preview-count-{x.pk}")).to_contain_text("292 / 280 — too long: write a variant")
    expect(page.get_by_test_id(f"preview-count-{gram.pk}")).to_have_text("292 / 2200")
    expect(page.get_by_test_id(f"preview-{x.pk}").locator("del")).to_have_text("x" * 12)

    # A 44-character link counts 23 on X, its own length on Instagram; its page's card shows where links are live.
    link = "https://shop.example.com/spring-collection-2027"
    text = f"Spring is here #spring @acme_shop {link}"
    page.get_by_label("Text for every account").fill(text)
    expect(page.get_by_test_id(f"preview-count-{x.pk}")).to_have_text(f"{len(text) - len(link) + 23} / 280")
    expect(page.get_by_test_id(f"preview-count-{gram.pk}")).to_have_text(f"{len(text)} / 2200")
    expect(page.get_by_test_id(f"preview-{x.pk}").locator(".preview-tag")).to_have_text(["#spring", "@acme_shop"])
    expect(page.get_by_test_id(f"link-card-{x.pk}")).to_contain_text("The spring collection")
    expect(page.get_by_test_id(f"preview-{gram.pk}")).to_contain_text("Links in Instagram captions are not clickable")

    page.get_by_label("Text for every account").fill("Not cheap, just good. " + "x" * 270)
    page.get_by_text("Per account: its own text, time or media (optional)").click()
    page.get_by_role("group", name="@acme_news on X (Twitter)").get_by_label("Its own text").fill(
        "Good, and not cheap."
    )
    expect(page.get_by_test_id(f"preview-count-{x.pk}")).to_have_text("20 / 280")
    page.get_by_label("First comment for every account (optional)").fill("Shop it: https://example.com/spring")
    page.get_by_role("group", name="@acme_news on X (Twitter)").get_by_label("Its own first comment").fill("More below")
    expect(page.get_by_test_id(f"preview-comment-{x.pk}")).to_contain_text("Reply · 10 / 280")
    expect(page.get_by_test_id(f"preview-comment-{gram.pk}")).to_contain_text("First comment · 35 / 2200")
    content_item = page.get_by_label("Content item")
    expect(content_item.locator("option")).to_have_count(21)  # the empty choice and the 20 nearest
    page.get_by_label("Find by title").fill("sprin")
    expect(page.get_by_text("1 item matches.")).to_be_visible()
    page.get_by_label("Find by title").press("ArrowDown")  # the keyboard goes on to the options
    expect(content_item).to_be_focused()
    content_item.select_option(label=f"Spring · due {due:%d %b}")
    page.get_by_role("button", name="Write the drafts").click()
    page.get_by_text("2 drafts written, one per account").wait_for()
    assert set(Publication.objects.values_list("copy", flat=True)) == {
        "Good, and not cheap.",
        "Not cheap, just good. " + "x" * 270,
    }
    assert set(Publication.objects.values_list("first_comment", flat=True)) == {
        "More below",
        "Shop it: https://example.com/spring",
    }


def test_a_csv_with_one_bad_row_imports_nothing_and_names_the_row_then_the_fixed_file_imports(
    page, browser_login, workspace, make_member, tmp_path
):
    make_member(Role.COMMUNITY_MANAGER, email="jordan@example.test")
    OwnProfileFactory(workspace=workspace, platform="instagram", handle="acme")
    OwnProfileFactory(workspace=workspace, platform="x", handle="acme_news")
    rows = [
        "scheduled_at,platform,handle,content,copy,media",
        "2027-01-11 09:00,instagram,@acme,January sale,Our January sale starts today.,",
        "2027-01-12 09:00,x,@acme_news,January sale,Sale day two.,",
        "2027-01-13 25:00,x,@acme_news,January sale,Sale day three.,",  # no such hour
    ]
    bad = tmp_path / "january.csv"
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    browser_login("jordan@example.test")
    page.goto("/calendar/publishing/import/")
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("Nothing was imported.")
    expect(errors).to_contain_text("Line 4")
    assert not Publication.objects.exists()

    rows[3] = "2027-01-13 09:00,x,@acme_news,January sale,Sale day three.,"
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    page.get_by_text("Imported 3 drafts").wait_for()
    assert Publication.objects.filter(status="draft").count() == 3


def test_a_post_composed_for_three_networks_with_library_photos_is_previewed_in_each_networks_frame(
    page, browser_login, workspace, make_member, settings, tmp_path
):
    from datetime import timedelta

    from django.utils import timezone

    from media_library import services as media_services
    from media_library.models import PublicationMedia
    from media_library.tests.factories import image_upload

    settings.MEDIA_ROOT = tmp_path
    make_member(Role.COMMUNITY_MANAGER, email="jordan@example.test")
    x = OwnProfileFactory(workspace=workspace, platform="x", handle="acme_news")
    gram = OwnProfileFactory(workspace=workspace, platform="instagram", handle="acme")
    linkedin = OwnProfileFactory(workspace=workspace, platform="linkedin", handle="acme-b2b")
    due = timezone.localdate() + timedelta(days=7)
    ContentItem.objects.create(workspace=workspace, title="Spring", due_date=due)
    # A tall photo (9:16) and a PNG banner: Instagram takes neither as they are. The list offers the newest first.
    banner = media_services.media_upload(
        workspace=workspace, upload=image_upload("banner.png", size=(1200, 400)), by=None
    )
    tall = media_services.media_upload(
        workspace=workspace, upload=image_upload("tall.jpg", fmt="JPEG", size=(450, 800)), by=None, alt_text="A jacket"
    )

    browser_login("jordan@example.test")
    page.goto("/calendar/publishing/compose/")
    for name in ("@acme_news on X (Twitter)", "@acme on Instagram", "acme-b2b on LinkedIn"):
        page.get_by_role("checkbox", name=name).check()
    page.get_by_label("Text for every account").fill("Spring is here. #spring")
    page.get_by_label("Files from the media library", exact=True).select_option([str(tall.pk), str(banner.pk)])

    # Each network frames the tall photo its own way: X down to 3:4, Instagram and LinkedIn to 4:5.
    x_frames = page.get_by_test_id(f"preview-media-{x.pk}").locator(".preview-media-item")
    expect(x_frames).to_have_count(2)
    expect(x_frames.first.locator("img")).to_have_attribute("alt", "A jacket")
    assert x_frames.first.evaluate("el => el.style.aspectRatio") == "0.75 / 1"
    gram_frames = page.get_by_test_id(f"preview-media-{gram.pk}").locator(".preview-media-item")
    expect(gram_frames).to_have_count(1)  # a carousel shows one at a time
    assert gram_frames.first.evaluate("el => el.style.aspectRatio") == "0.8 / 1"
    expect(page.get_by_test_id(f"preview-{gram.pk}")).to_contain_text("1 of 2 in the carousel")
    problems = page.get_by_test_id(f"preview-media-problem-{gram.pk}")
    expect(problems).to_have_text(
        [
            "tall.jpg: 450 x 800 px is outside Instagram's proportions (from 4:5 tall to 1.91:1 wide).",
            "banner.png: Instagram takes JPEG photos.",
            "banner.png: 1200 x 400 px is outside Instagram's proportions (from 4:5 tall to 1.91:1 wide).",
        ]
    )
    expect(page.get_by_test_id(f"preview-media-problem-{linkedin.pk}")).to_have_count(0)
    # Instagram goes out with the tall photo alone, cropped to 4:5 and refused as it is; LinkedIn with no media.
    page.get_by_text("Per account: its own text, time or media (optional)").click()
    gram_row = page.get_by_role("group", name="@acme on Instagram")
    gram_row.get_by_label("Its media").select_option("own")
    gram_row.get_by_label("Its files from the media library").select_option([str(tall.pk)])
    page.get_by_role("group", name="acme-b2b on LinkedIn").get_by_label("Its media").select_option("none")
    expect(page.get_by_test_id(f"preview-media-{linkedin.pk}")).to_have_count(0)
    expect(page.get_by_test_id(f"preview-media-problem-{gram.pk}")).to_have_text(
        ["tall.jpg: 450 x 800 px is outside Instagram's proportions (from 4:5 tall to 1.91:1 wide)."]
    )
    # A natively loaded thumbnail: the library's view served it to the member.
    assert x_frames.first.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")

    page.get_by_label("Content item").select_option(label=f"Spring · due {due:%d %b}")
    page.get_by_role("button", name="Write the drafts").click()
    page.get_by_text("3 drafts written, one per account").wait_for()
    expected = {x: [tall.pk, banner.pk], gram: [tall.pk], linkedin: []}
    for account, wanted in expected.items():
        files = PublicationMedia.objects.filter(publication__profile=account).order_by("position")
        assert list(files.values_list("media_file", flat=True)) == wanted


def test_posts_selected_in_the_calendar_itself_are_shifted_from_the_bulk_bar(
    page, browser_login, workspace, make_member
):
    from datetime import timedelta

    from django.utils import timezone

    make_member(Role.COMMUNITY_MANAGER, email="jordan@example.test")
    x = OwnProfileFactory(workspace=workspace, platform="x", handle="acme_news")
    item = ContentItem.objects.create(workspace=workspace, title="Spring", due_date=timezone.localdate())
    day = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=1)
    posts = [
        Publication.objects.create(
            workspace=workspace, content_item=item, profile=x, copy=f"Post {n}", status="draft",
            scheduled_at=day + timedelta(hours=n),
        )
        for n in range(3)
    ]  # fmt: skip
    browser_login("jordan@example.test")
    page.goto(f"/calendar/publishing/?view=timeGridDay&date={day:%Y-%m-%d}")
    chips = page.locator("#calendar .fc-event")
    expect(chips).to_have_count(3)
    page.get_by_test_id("calendar-select").click()
    chips.nth(0).click()
    chips.nth(2).click()
    expect(page.get_by_test_id("calendar-selected")).to_contain_text("2 selected")
    assert page.url.endswith(f"date={day:%Y-%m-%d}")  # a click selected, it did not open the post
    # In the list view the two stay marked; there the first is unselected and the second selected.
    page.get_by_role("button", name="list").click()
    rows = page.locator("#calendar .fc-list-event")
    expect(page.locator("#calendar .fc-list-event.is-selected")).to_have_count(2)
    rows.filter(has_text="Spring").nth(0).click()
    rows.filter(has_text="Spring").nth(1).click()
    expect(page.get_by_test_id("calendar-selected")).to_contain_text("2 selected")
    page.get_by_label("With the selected posts").select_option("shift_days")
    page.get_by_label("Days (to shift by)").fill("1")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Apply").click()
    page.get_by_text("Shifted 2 of 2.").wait_for()
    moved = {p.pk: p.scheduled_at for p in Publication.objects.all()}
    assert moved[posts[0].pk] == posts[0].scheduled_at
    assert moved[posts[1].pk] == posts[1].scheduled_at + timedelta(days=1)
    assert moved[posts[2].pk] == posts[2].scheduled_at + timedelta(days=1)
