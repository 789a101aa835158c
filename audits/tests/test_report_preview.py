"""The report shows the first rows of each long section, says so, and links to every row."""

from accounts.roles import Role
from audits import selectors, services
from audits.views import REPORT_ROWS

from .factories import AccessGrantFactory

MORE = ('data-testid="more-findings"', 'data-testid="more-accounts"', 'data-testid="more-access"')


def grow(workspace, n):
    """n accounts, each held by one person who left the company: one finding per account."""
    for i in range(n):
        AccessGrantFactory(
            account__workspace=workspace,
            account__handle=f"brand{i:02d}",
            person_name=f"Leaver {i:02d}",
            still_with_company=False,
        )
    services.audit_run(workspace=workspace, by=None)


def test_a_long_report_shows_its_first_rows_and_links_to_the_rest(client_as, workspace):
    grow(workspace, REPORT_ROWS + 2)
    response = client_as(Role.ADMIN).get("/audit/")
    page = response.content.decode()
    assert all(marker in page for marker in MORE)
    assert page.count('data-testid="finding"') == REPORT_ROWS
    assert [a.handle for a in response.context["accounts"]] == [f"brand{i:02d}" for i in range(REPORT_ROWS)]
    assert len(response.context["matrix"]) == REPORT_ROWS
    assert 'href="/audit/accounts/"' in page and 'href="/audit/access/"' in page and 'href="?full=1' in page


def test_the_full_report_shows_every_row(client_as, workspace):
    grow(workspace, REPORT_ROWS + 2)
    response = client_as(Role.ADMIN).get("/audit/?full=1")
    page = response.content.decode()
    assert not any(marker in page for marker in MORE)
    total = len(selectors.compare_runs(earlier=None, later=selectors.latest_runs(workspace=workspace)[0]))
    assert page.count('data-testid="finding"') == total > REPORT_ROWS
    assert len(response.context["accounts"]) == len(response.context["matrix"]) == REPORT_ROWS + 2


def test_a_short_report_shows_everything_without_links(client_as, workspace):
    grow(workspace, 2)
    page = client_as(Role.ADMIN).get("/audit/").content.decode()
    assert not any(marker in page for marker in MORE)
    assert "@brand01" in page and "Leaver 01" in page


def test_the_matrix_preview_shows_only_the_people_of_its_rows(workspace):
    grow(workspace, REPORT_ROWS + 1)
    preview = selectors.report_previews(workspace=workspace, limit=REPORT_ROWS)
    assert preview["more_access"] and preview["more_accounts"]
    assert len(preview["matrix"]) == REPORT_ROWS == len(preview["columns"])
    assert all(any(cell is not None for cell in row["cells"]) for row in preview["matrix"])


def test_the_summary_of_a_run_with_nothing_open_still_gives_its_score(workspace):
    grow(workspace, 1)
    run = selectors.latest_runs(workspace=workspace)[0]
    for finding in run.findings.all():
        services.finding_resolve(finding=finding, by=None, note="Done")
    summary = selectors.open_findings_summary(workspace=workspace)
    assert summary["run"] == run and summary["open_total"] == 0 and summary["open"] == []
    assert all(s["count"] == 0 for s in summary["by_severity"])
