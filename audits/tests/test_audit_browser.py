"""In a real browser: an admin runs an audit and resolves a finding with a note."""

import pytest

from accounts.roles import Role

from .factories import AccessGrantFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_admin_runs_an_audit_and_resolves_a_finding(page, browser_login, make_member, workspace):
    admin = make_member(Role.ADMIN, email="boss@acme.test")
    AccessGrantFactory(
        account__workspace=workspace, account__owner=admin.user, person_name="Former Intern", still_with_company=False
    )
    browser_login("boss@acme.test")
    page.goto("/audit/")
    page.get_by_test_id("run-audit").click()
    page.wait_for_load_state("networkidle")
    row = page.get_by_test_id("finding").filter(has_text="Former Intern left the company")
    assert row.count() == 1
    row.get_by_role("textbox").fill("Removed her admin role on the page")
    row.get_by_role("button", name="Resolve").click()
    page.wait_for_load_state("networkidle")
    resolved = page.get_by_test_id("finding").filter(has_text="Former Intern left the company")
    assert "Removed her admin role on the page" in resolved.get_by_test_id("resolution").inner_text()
    assert resolved.get_by_role("button", name="Resolve").count() == 0
