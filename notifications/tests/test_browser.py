"""In a real browser: the bell shows the unread count, the page lists the notification, opening it goes to the idea
and reads it (the count goes down)."""

import pytest

from accounts.roles import Role
from calendar_app import services
from calendar_app.tests.factories import IdeaFactory
from tests.browser.main_pages import PHONE


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_bell_counts_the_unread_and_the_page_lists_them(page, browser_login, make_member, workspace):
    contributor = make_member(Role.CONTRIBUTOR, email="sam@acme.test")
    lead = make_member(Role.CONTENT_LEAD, full_name="Lea Lead")
    idea = IdeaFactory(workspace=workspace, author=contributor.user, title="Workshop videos")
    services.idea_comment(idea=idea, author=lead.user, body="Love it, we shoot it in March.")
    browser_login("sam@acme.test")
    bell = page.get_by_test_id("bell")
    assert bell.get_by_test_id("bell-count").inner_text() == "1"
    assert bell.get_attribute("aria-label") == "Notifications, 1 unread"
    page.set_viewport_size(PHONE)  # outside the collapsed menu: seen on a phone too
    assert bell.is_visible() and bell.get_by_test_id("bell-count").is_visible()
    bell.click()
    page.wait_for_load_state("networkidle")
    item = page.get_by_test_id("notification")
    assert item.count() == 1 and "Lea Lead commented on the idea “Workshop videos”" in item.inner_text()
    item.get_by_test_id("notification-open").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/ideas/{idea.pk}/")
    assert "Love it, we shoot it in March." in page.get_by_test_id("idea-comments").inner_text()
    assert not page.get_by_test_id("bell-count").is_visible()
