"""End to end in Chromium: search the directory, log a meeting, see the follow-up on the dashboard."""

import pytest

from accounts.roles import Role
from stakeholders import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_community_manager_finds_a_contact_logs_a_meeting_and_sees_the_follow_up_due(
    page, browser_login, make_member, workspace
):
    member = make_member(Role.COMMUNITY_MANAGER, email="jordan@example.test", full_name="Jordan Leroy")
    services.contact_create(workspace=workspace, full_name="Claire Fontaine", job_title="Head of video")
    services.contact_create(workspace=workspace, full_name="Hugo Marchand", job_title="Editor")
    browser_login(member.user.email)

    page.goto("/stakeholders/")
    page.get_by_label("Search").fill("fontaine")
    page.get_by_role("button", name="Search").click()
    rows = page.get_by_test_id("contact-row")
    assert rows.count() == 1
    page.get_by_role("link", name="Claire Fontaine").click()

    page.get_by_role("link", name="Log a meeting").first.click()
    page.get_by_label("Notes").fill("Agreed a behind-the-scenes series.")
    page.locator("#id_fu-0-description").fill("Book the first shooting slot")
    page.locator("#id_fu-0-owner").select_option(label="Jordan Leroy")
    page.locator("#id_fu-0-due_on").fill("2020-01-01")
    page.get_by_role("button", name="Save the meeting").click()
    assert page.get_by_test_id("follow-up").first.inner_text().startswith("Book the first shooting slot")

    page.goto("/")
    panel = page.get_by_test_id("follow-ups-due")
    assert "Book the first shooting slot" in panel.inner_text()
    assert "overdue" in panel.inner_text()
    panel.get_by_role("button", name="Mark done: Book the first shooting slot").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("follow-ups-due").count() == 0


def test_a_contributor_signs_up_as_an_ambassador_in_the_browser(page, browser_login, make_member, workspace):
    member = make_member(Role.CONTRIBUTOR, email="robin@example.test", full_name="Robin Moreau")
    browser_login(member.user.email)

    page.get_by_test_id("become-ambassador").click()
    page.get_by_label("LinkedIn", exact=True).check()
    page.get_by_label("Your LinkedIn profile").fill("linkedin.com/in/robin")
    page.get_by_role("button", name="Sign up").click()

    assert "Welcome aboard" in page.content()
    assert "LinkedIn" in page.get_by_test_id("own-profile").inner_text()
    assert page.get_by_role("link", name="Stakeholders").count() == 0
