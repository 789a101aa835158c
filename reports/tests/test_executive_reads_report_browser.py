from datetime import date

import pytest

from accounts.roles import Role
from reports.services import report_generate, report_highlights_update


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_executive_opens_a_report_from_their_home_and_sees_its_charts(
    page, browser_login, workspace, october_data, make_member
):
    executive = make_member(Role.EXECUTIVE, email="ceo@example.test")
    report = report_generate(workspace=workspace, month=date(2026, 10, 1))
    report_highlights_update(report=report, highlights="Instagram grew ten percent.")

    browser_login(executive.user.email)
    page.get_by_role("link", name="October 2026").click()
    page.wait_for_load_state("networkidle")

    assert page.url.endswith("/reports/2026-10/")
    assert page.get_by_test_id("headline").inner_text().count("1,550") == 1
    assert "Instagram grew ten percent." in page.get_by_test_id("highlights").inner_text()
    assert "Good X post" in page.get_by_test_id("top-posts").inner_text()
    # Chart.js drew both charts (it sets the canvas size once it renders).
    assert page.evaluate("Chart.getChart('followers-chart').data.datasets.length") == 2
    assert page.evaluate("Chart.getChart('engagement-chart').data.labels") == ["X (Twitter)", "Instagram"]
    # The page offers print and PDF, but no team action.
    assert page.get_by_role("link", name="PDF").is_visible()
    assert page.get_by_role("button", name="Generate again").count() == 0
