"""In Chromium: the composer previews Bluesky and Mastodon in their own look, and its count agrees with the server's
(calendar_app/voice.py copy_length) on text where counting characters is hard."""

import re

import pytest
import responses
from playwright.sync_api import expect

from accounts.roles import Role
from calendar_app.voice import COPY_LIMITS, copy_length

from .factories import OwnProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"
CAFE = "cafe\u0301"
LINK = "https://shop.example.com/spring-collection-2027?utm_source=social"
TRICKY = [
    FAMILY * 3 + " " + CAFE,
    "\U0001f1eb\U0001f1f7 \U0001f44d\U0001f3fd \U0001f44d\U0001f3fd \u00e9 e\u0301 \ud55c\uae00",
    f"Spring {LINK} and https://a.io",
    "Thanks @alice@example.social, @bob.smith@fosstodon.org and @carol! me@example.com",
    f"https://mastodon.social/@alice@example.com {FAMILY}",
    "a" * 490 + " @alice@example.social bcdef",  # 503 on Mastodon (the domain is free), 518 on Bluesky
    CAFE * 75 + "xyz",  # 303 on Bluesky: "xyz" past its limit
]


def _accounts(workspace):
    return {
        "bluesky": OwnProfileFactory(workspace=workspace, platform="bluesky", handle="acme.bsky.social"),
        "mastodon": OwnProfileFactory(workspace=workspace, platform="mastodon", handle="acme@mastodon.social"),
        "x": OwnProfileFactory(workspace=workspace, platform="x", handle="acme_news"),
    }


def _shown_count(platform, text):
    length, limit = copy_length(platform, text), COPY_LIMITS[platform]
    return f"{length} / {limit}" + (" — too long: write a variant" if length > limit else "")


def test_the_previews_count_as_the_server_does_on_emoji_accents_links_and_mentions(
    page, browser_login, workspace, make_member
):
    make_member(Role.COMMUNITY_MANAGER, email="jordan@example.test")
    accounts = _accounts(workspace)
    browser_login("jordan@example.test")
    page.goto("/calendar/publishing/compose/")
    for account in accounts.values():
        page.get_by_role("checkbox", name=str(account)).check()
    for text in TRICKY:
        page.get_by_label("Text for every account").fill(text)
        for platform, account in accounts.items():
            expect(page.get_by_test_id(f"preview-count-{account.pk}")).to_have_text(_shown_count(platform, text))
    # Where each network cuts: Bluesky after 300 letters as people see them, Mastodon after "@alice" and "bc".
    expect(page.get_by_test_id(f"preview-{accounts['bluesky'].pk}").locator("del")).to_have_text("xyz")
    page.get_by_label("Text for every account").fill(TRICKY[5])
    expect(page.get_by_test_id(f"preview-{accounts['mastodon'].pk}").locator("del")).to_have_text("def")


@responses.activate
def test_bluesky_and_mastodon_are_previewed_in_their_own_look(page, browser_login, workspace, make_member, monkeypatch):
    from calendar_app import link_cards

    make_member(Role.COMMUNITY_MANAGER, email="jordan@example.test")
    accounts = _accounts(workspace)
    monkeypatch.setattr(link_cards, "_addresses", lambda host: ["93.184.215.14"])
    page_html = (
        '<html><head><meta property="og:title" content="The spring collection">'
        '<meta property="og:description" content="Linen, wool and waxed cotton."></head></html>'
    )
    link = "https://shop.example.com/spring-collection-2027"
    responses.get(link, body=page_html, content_type="text/html")
    responses.add_passthru("http://localhost")

    browser_login("jordan@example.test")
    page.goto("/calendar/publishing/compose/")
    page.get_by_role("checkbox", name=str(accounts["bluesky"])).check()
    page.get_by_role("checkbox", name=str(accounts["mastodon"])).check()
    page.get_by_label("Text for every account").fill(f"Spring is here #spring thanks @alice@example.social {link}")

    sky, masto = (page.get_by_test_id(f"preview-{accounts[n].pk}") for n in ("bluesky", "mastodon"))
    expect(sky.locator(".preview-author")).to_contain_text("@acme.bsky.social")
    expect(masto.locator(".preview-author")).to_contain_text("@acme@mastodon.social")
    expect(sky.locator(".preview-author .bi-bluesky")).to_have_count(1)
    expect(masto.locator(".preview-author .bi-mastodon")).to_have_count(1)
    # Bluesky shows the text as it is; Mastodon a remote mention as @user and a link without its scheme, cut at 30.
    expect(sky.locator(".preview-tag")).to_have_text(["#spring", "@alice@example.social"])
    expect(masto.locator(".preview-tag")).to_have_text(["#spring", "@alice"])
    expect(masto.locator(".preview-tag").nth(1)).to_have_attribute("title", "@alice@example.social")
    expect(sky.locator(".preview-link")).to_have_text(link)
    expect(masto.locator(".preview-link")).to_have_text("shop.example.com/spring-collec…")
    # Each network's link card.
    expect(page.get_by_test_id(f"link-card-{accounts['bluesky'].pk}")).to_have_class(
        re.compile(r"\blink-card-bluesky\b")
    )
    expect(page.get_by_test_id(f"link-card-{accounts['bluesky'].pk}")).to_contain_text("The spring collection")
    expect(page.get_by_test_id(f"link-card-{accounts['bluesky'].pk}")).to_contain_text("shop.example.com")
    mastodon_card = page.get_by_test_id(f"link-card-{accounts['mastodon'].pk}")
    expect(mastodon_card).to_contain_text("Linen, wool and waxed cotton.")
    expect(mastodon_card.locator(".link-card-side")).to_have_count(1)
