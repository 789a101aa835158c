"""In Chromium: the home shows what needs doing at once, then fills in its figures (static/js/app.js); a figures
request that fails says so in the place of the figures instead of leaving a spinner."""

import pytest

from accounts.roles import Role
from metrics.services import pull_run
from metrics.tests.factories import TrackedProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_home_fetches_its_figures_once_it_shows(page, browser_login, make_member, workspace):
    member = make_member(Role.ADMIN, email="sam@example.test")
    pull_run(profile=TrackedProfileFactory(workspace=workspace, is_own=True, handle="acme_brand"))
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else 0)
    browser_login(member.user.email)

    page.goto("/")
    assert page.get_by_test_id("calendar-panel").is_visible()  # in the page itself
    figures = page.get_by_test_id("home-figures")
    page.get_by_test_id("metrics-panel").wait_for()  # then fetched
    assert "X (Twitter)\n1 account" in page.get_by_test_id("metrics-panel").inner_text()
    assert figures.get_attribute("aria-busy") is None
    titles = figures.locator(".card-header").all_inner_texts()
    assert {"Followers, last 30 days", "Objectives", "Account audit", "Latest monthly report"} <= set(titles)
    assert "Loading" not in figures.inner_text()
    assert refused == []


def test_figures_that_cannot_be_loaded_say_so(page, browser_login, make_member):
    member = make_member(Role.ADMIN, email="sam@example.test")
    browser_login(member.user.email)
    page.route("**/home/figures/", lambda route: route.fulfill(status=500, body="Server Error"))

    page.goto("/")
    figures = page.get_by_test_id("home-figures")
    page.wait_for_function("!document.querySelector('[data-testid=home-figures]').hasAttribute('aria-busy')")
    assert "could not be loaded" in figures.inner_text()
    assert page.get_by_test_id("metrics-panel").count() == 0
