"""The metrics pages in a real browser: charts draw, and an admin pulls a profile now."""

import pytest

from accounts.roles import Role
from metrics.services import pull_run

from .factories import TrackedProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analyst_sees_the_charts_drawn_with_their_denominator(page, browser_login, make_member, workspace):
    member = make_member(Role.ANALYST)
    pull_run(profile=TrackedProfileFactory(workspace=workspace, handle="browser_brand"), backfill=True)
    browser_login(member.user.email)
    page.goto("/metrics/")
    assert page.locator("#followers-chart").bounding_box()["height"] > 100
    # Chart.js registers each drawn chart; three charts, all drawn.
    assert page.evaluate("Object.keys(Chart.instances).length") == 3
    assert "followers on the day of posting" in page.get_by_test_id("denominator").inner_text()


def test_admin_pulls_now_from_the_connections_page(page, browser_login, make_member, workspace):
    member = make_member(Role.ADMIN)
    profile = TrackedProfileFactory(workspace=workspace, handle="click_brand")
    browser_login(member.user.email)
    page.goto("/metrics/connections/")
    page.get_by_test_id(f"connection-{profile.pk}").get_by_role("button", name="Pull now").click()
    page.wait_for_load_state("networkidle")
    assert "is queued" in page.locator(".alert").inner_text()
    assert "OK" in page.get_by_test_id(f"connection-{profile.pk}").inner_text()
