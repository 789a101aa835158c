"""The app's own access: members who log in to the workspace without a second factor, as audit findings."""

from datetime import date

from accounts.models import TwoFactorPolicy, Workspace
from accounts.roles import Role
from accounts.tests.two_factor_helpers import enrol
from audits import services
from audits.rules import RULES
from audits.selectors import audit_facts

RULE = "app_login_without_two_factor"


def findings(workspace):
    workspace.refresh_from_db()
    return list(RULES[RULE](audit_facts(workspace=workspace, today=date(2026, 11, 23))))


def test_team_members_without_a_second_factor_are_listed_admins_first_and_higher(workspace, make_member):
    analyst = make_member(Role.ANALYST, full_name="Aaron Analyst")
    admin = make_member(Role.ADMIN, full_name="Zoe Admin")
    enrolled = make_member(Role.CONTENT_LEAD)
    enrol(enrolled.user)
    make_member(Role.CONTRIBUTOR)
    make_member(Role.EXECUTIVE)
    found = findings(workspace)
    assert [f.key for f in found] == [f"{RULE}:{admin.user_id}", f"{RULE}:{analyst.user_id}"]
    assert [f.severity for f in found] == ["high", "medium"]
    assert found[0].title == "Zoe Admin (admin) logs in to this workspace without a second factor"


def test_the_fix_says_what_to_do_under_each_policy(workspace, make_member):
    make_member(Role.ADMIN)
    [finding] = findings(workspace)
    assert "Ask them to set it up in their profile, or require it in the workspace settings" in finding.detail
    Workspace.objects.filter(pk=workspace.pk).update(two_factor_policy=TwoFactorPolicy.ADMINS)
    [finding] = findings(workspace)
    assert "The workspace requires it: they are asked to set it up in their profile" in finding.detail


def test_members_of_another_workspace_are_not_listed(workspace, other_workspace, make_member):
    make_member(Role.ADMIN, ws=other_workspace)
    assert findings(workspace) == []


def test_the_finding_shows_in_an_audit_run_and_goes_once_they_set_it_up(workspace, make_member, client_as):
    admin = make_member(Role.ADMIN)
    first = services.audit_run(workspace=workspace, by=None)
    assert first.findings.filter(rule=RULE, key=f"{RULE}:{admin.user_id}", severity="high").exists()
    enrol(admin.user)
    second = services.audit_run(workspace=workspace, by=None)
    assert not second.findings.filter(key=f"{RULE}:{admin.user_id}").exists()


def test_the_audit_report_lists_it_like_the_other_findings(client_as, workspace):
    client = client_as(Role.STRATEGY_LEAD)
    services.audit_run(workspace=workspace, by=None)
    page = client.get("/audit/").content.decode()
    assert "logs in to this workspace without a second factor" in page
