"""Each demo user logs in through the real form in Chromium and lands on the right home."""

import pytest

from accounts.demo import DEMO_PASSWORD, DEMO_USERS, seed_people
from accounts.roles import Role

HOME_MARKER = {Role.CONTRIBUTOR: "home-contributor", Role.EXECUTIVE: "home-executive"}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("email", "role"), [(email, role) for email, _, role in DEMO_USERS], ids=[e for e, _, _ in DEMO_USERS]
)
def test_demo_user_logs_in_and_lands_on_their_home(page, browser_login, email, role):
    seed_people()
    browser_login(email, DEMO_PASSWORD)

    assert page.url.endswith("/")
    page.get_by_test_id(HOME_MARKER.get(role, "home-team")).wait_for()
    assert page.get_by_test_id("current-role").inner_text() == role.label
    nav = page.get_by_test_id("main-nav").inner_text()
    assert ("Dashboard" in nav) is (role not in HOME_MARKER)


def test_wrong_password_keeps_the_visitor_on_the_login_page(page, browser_login):
    seed_people()
    browser_login("admin@demo.test", "not-the-password")
    assert "/accounts/login/" in page.url
    assert page.get_by_text("Please enter a correct").is_visible()


def test_anonymous_visitor_is_sent_to_login_and_back_after(page, browser_login):
    seed_people()
    page.goto("/accounts/members/")
    assert "/accounts/login/?next=/accounts/members/" in page.url
    page.get_by_label("E-mail").fill("admin@demo.test")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/accounts/members/")
    assert page.get_by_test_id("members-table").is_visible()
