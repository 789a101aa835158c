"""Running an audit, comparing two runs, resolving findings, and what the report, panel and demo give."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from accounts.roles import Role
from audits import reporting, services
from audits.models import AuditRun, Finding
from audits.selectors import compare_runs
from tests.homes import home_as_shown

from .factories import AccessGrantFactory, SocialAccountFactory


@pytest.fixture
def messy(workspace):
    grant = AccessGrantFactory(account__workspace=workspace, account__owner=None, two_factor=False)
    return grant


def test_a_run_stores_findings_with_severity_and_a_score(workspace, messy):
    run = services.audit_run(workspace=workspace, by=None)
    rules = set(run.findings.values_list("rule", flat=True))
    assert {"account_without_owner", "two_factor_off", "process_not_documented"} <= rules
    assert run.findings_count == run.findings.count()
    assert 0 < run.score < 100


def test_an_empty_workspace_scores_less_than_100_until_its_processes_are_documented(workspace):
    for kind in ("publish", "crisis"):
        services.process_save(workspace=workspace, kind=kind, documented=True)
    assert services.audit_run(workspace=workspace, by=None).score == 100


def test_two_runs_compare_as_new_still_open_and_resolved(workspace, messy):
    first = services.audit_run(workspace=workspace, by=None)
    services.access_save(workspace=workspace, grant=messy, two_factor=True)
    SocialAccountFactory(workspace=workspace, owner=None, handle="newone")
    second = services.audit_run(workspace=workspace, by=None)
    verdicts = {row.finding.key: row.verdict for row in compare_runs(earlier=first, later=second)}
    assert verdicts[f"two_factor_off:{messy.pk}"] == "resolved"
    assert verdicts[f"account_without_owner:{messy.account.pk}"] == "still open"
    assert "new" in {v for k, v in verdicts.items() if k.startswith("account_without_owner:")}


def test_a_finding_resolved_with_a_note_comes_back_as_reopened_if_the_data_still_shows_it(workspace, messy):
    first = services.audit_run(workspace=workspace, by=None)
    finding = first.findings.get(rule="two_factor_off")
    services.finding_resolve(finding=finding, by=None, note="Asked them to switch it on")
    second = services.audit_run(workspace=workspace, by=None)
    verdicts = {row.finding.key: row.verdict for row in compare_runs(earlier=first, later=second)}
    assert verdicts[finding.key] == "reopened"


def test_resolving_needs_a_note(workspace, messy):
    finding = services.audit_run(workspace=workspace, by=None).findings.first()
    with pytest.raises(ValidationError):
        services.finding_resolve(finding=finding, by=None, note="  ")
    finding.refresh_from_db()
    assert finding.resolved_at is None


def test_an_editor_resolves_a_finding_from_the_report(client_as, workspace, messy):
    client = client_as(Role.STRATEGY_LEAD)
    finding = services.audit_run(workspace=workspace, by=None).findings.first()
    client.post(f"/audit/findings/{finding.pk}/resolve/", {"note": "Done on the network"})
    finding.refresh_from_db()
    assert finding.resolution_note == "Done on the network" and finding.resolved_by == client.membership.user
    assert "Done on the network" in client.get("/audit/").content.decode()


def test_a_finding_of_another_workspace_cannot_be_resolved(client_as, other_workspace):
    client = client_as(Role.ADMIN)
    finding = services.audit_run(workspace=other_workspace, by=None).findings.first()
    assert client.post(f"/audit/findings/{finding.pk}/resolve/", {"note": "x"}).status_code == 404
    assert not Finding.objects.filter(resolved_at__isnull=False).exists()


def test_a_run_of_another_workspace_cannot_be_compared(client_as, workspace, other_workspace):
    client = client_as(Role.ADMIN)
    foreign = services.audit_run(workspace=other_workspace, by=None)
    assert client.get(f"/audit/compare/?later={foreign.pk}").status_code == 404
    assert client.get("/audit/compare/?later=abc").status_code == 302  # nothing to compare, no 500


def test_the_report_exports_its_findings_as_csv(client_as, workspace, messy):
    client = client_as(Role.ANALYST)
    services.audit_run(workspace=workspace, by=None)
    response = client.get("/audit/export/findings.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "two_factor_off" in response.content.decode()


def test_the_report_section_counts_open_findings_by_severity_at_the_end_of_the_period(workspace, messy):
    with time_machine.travel("2026-10-15 10:00Z"):
        services.audit_run(workspace=workspace, by=None)
    with time_machine.travel("2026-11-15 10:00Z"):
        services.access_save(workspace=workspace, grant=messy, two_factor=True)
        services.audit_run(workspace=workspace, by=None)
    october = reporting.report_section(
        workspace=workspace, period_start=date(2026, 10, 1), period_end=date(2026, 10, 31)
    )
    november = reporting.report_section(
        workspace=workspace, period_start=date(2026, 11, 1), period_end=date(2026, 11, 30)
    )
    assert october["run_date"] == "2026-10-15" and november["run_date"] == "2026-11-15"
    assert october["open_total"] == november["open_total"] + 1
    assert (
        reporting.report_section(workspace=workspace, period_start=date(2026, 9, 1), period_end=date(2026, 9, 30))
        is None
    )


def test_the_report_section_is_json_and_renders_for_print(workspace, messy):
    import json

    from django.template.loader import render_to_string

    services.audit_run(workspace=workspace, by=None)
    today = date.today()
    section = reporting.report_section(workspace=workspace, period_start=today - timedelta(days=30), period_end=today)
    html = render_to_string("audits/_report_section.html", {"section": json.loads(json.dumps(section))})
    assert "Critical" in html and f"{section['score']}/100" in html


def test_the_team_home_shows_the_audit_score_and_a_run_button(client_as, workspace, messy):
    client = client_as(Role.ADMIN)
    assert "No audit yet" in home_as_shown(client)
    client.post(reverse("audits:run"))  # the next home shows the new run at once
    run = workspace.audit_runs.get()
    page = home_as_shown(client)
    assert 'data-testid="audit-panel"' in page and f">{run.score}<" in page and "Run an audit" in page


def test_the_demo_is_messy_and_a_second_seed_adds_nothing(db):
    from accounts.models import Workspace
    from audits.models import AccessGrant, SocialAccount, Tool

    call_command("seed_demo", verbosity=0)
    workspace = Workspace.objects.get(slug="demo-brand")
    counts = [
        M.objects.filter(workspace=workspace).count() for M in (SocialAccount, AccessGrant, Tool, AuditRun, Finding)
    ]
    latest = AuditRun.objects.filter(workspace=workspace).first()
    rules = set(latest.findings.values_list("rule", flat=True))
    assert {
        "dormant_account",
        "access_after_leaving",
        "two_factor_off",
        "unused_paid_tool",
        "process_not_documented",
    } <= rules
    assert counts[3] == 3
    call_command("seed_demo", verbosity=0)
    assert counts == [
        M.objects.filter(workspace=workspace).count() for M in (SocialAccount, AccessGrant, Tool, AuditRun, Finding)
    ]
