"""In a real browser: an analyst follows competitors up to the cap, then writes and reorders the SWOT."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from competitors.models import Competitor, SwotItem


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_analyst_adds_competitors_up_to_the_cap_then_edits_the_swot(page, browser_login, make_member):
    analyst = make_member(Role.ANALYST, email="noor@example.test")
    browser_login(analyst.user.email)

    for i, name in enumerate(["Northwind", "Bluepeak", "Maison Verte"]):
        page.goto("/competitors/")
        page.get_by_test_id("add-competitor").click()
        assert f"You follow {i}, so you can add" in page.get_by_test_id("cap-notice").inner_text()
        page.get_by_label("Name").fill(name)
        page.get_by_label("X (Twitter) handle").fill(f"@{name.lower().replace(' ', '')}")
        page.get_by_role("button", name="Follow this competitor").click()
        page.wait_for_load_state("networkidle")
        assert f"You now follow {name}" in page.content()

    assert page.get_by_test_id("competitor").count() == 3
    assert page.get_by_test_id("add-competitor-disabled").is_disabled()
    page.goto("/competitors/new/")
    assert "Archive one to make room" in page.get_by_test_id("cap-notice").inner_text()
    assert Competitor.objects.filter(archived_at__isnull=True).count() == 3

    page.goto("/competitors/swot/")
    strengths = page.get_by_test_id("quadrant-S")
    for text in ["Fast replies", "Great photos"]:
        strengths.get_by_placeholder("Add to strengths…").fill(text)
        strengths.get_by_role("button", name="Add").click()
        page.wait_for_load_state("networkidle")
    items = page.get_by_test_id("quadrant-S").get_by_test_id("swot-item")
    assert items.all_inner_texts()[0].startswith("Fast replies")

    # Drag "Great photos" above "Fast replies": the new order is posted at once.
    source = items.nth(1).locator(".drag-handle").bounding_box()
    target = items.nth(0).bounding_box()
    page.mouse.move(source["x"] + source["width"] / 2, source["y"] + source["height"] / 2)
    page.mouse.down()
    page.mouse.move(target["x"] + 20, target["y"] + 4, steps=12)
    page.mouse.move(target["x"] + 20, target["y"] + 2, steps=4)
    page.mouse.up()
    # A locator's wait, not wait_for_function: that evaluates a string in the page, which the CSP forbids (no eval).
    expect(page.locator("#reorder-status")).to_have_attribute("data-saved", "1")

    assert list(SwotItem.objects.filter(quadrant="S").order_by("position").values_list("text", flat=True)) == [
        "Great photos",
        "Fast replies",
    ]
    page.reload()
    assert page.get_by_test_id("quadrant-S").get_by_test_id("swot-item").nth(0).inner_text().startswith("Great photos")
