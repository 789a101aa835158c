"""The report shows the first rows of each long section, says so, and links to every row."""

from accounts.roles import Role
from audits import selectors, services
from audits.views import REPORT_ROWS

from .factories import AccessGrantFactory, SocialAccountFactory

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
    total = len(selectors.compare_runs(earlier=None, later=workspace.audit_runs.order_by("-ran_at", "-pk").first()))
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
    run = workspace.audit_runs.order_by("-ran_at", "-pk").first()
    for finding in run.findings.all():
        services.finding_resolve(finding=finding, by=None, note="Done")
    summary = selectors.open_findings_summary(workspace=workspace)
    assert summary["run"] == run and summary["open_total"] == 0 and summary["open"] == []
    assert all(s["count"] == 0 for s in summary["by_severity"])


def test_the_matrix_reads_the_same_from_the_register_and_from_its_own_query(workspace, make_member):
    member = make_member(Role.ANALYST, full_name="Dana Member").user
    AccessGrantFactory(
        account__workspace=workspace, account__handle="Zeta", member=member, person_name="", level="admin"
    )
    alpha = SocialAccountFactory(workspace=workspace, handle="alpha")
    AccessGrantFactory(account=alpha, department="Agency", two_factor=False)
    AccessGrantFactory(account=alpha, still_with_company=False)
    register = list(selectors.access_register(workspace=workspace))
    from_register = selectors.access_matrix(grants=[selectors.HeldAccess.of(g) for g in register])
    assert selectors.access_matrix(grants=selectors.held_access(selectors.access_register(workspace=workspace))) == (
        from_register
    )
    columns, matrix = from_register
    assert [row["account"] for row in matrix] == ["@alpha on Instagram", "@Zeta on Instagram"]
    assert columns[-1].left and "Dana Member" in [c.name for c in columns]
    assert "Agency" in [c.detail for c in columns] and "Editor" in [c.level for c in matrix[0]["cells"] if c]


def test_the_report_marks_leavers_and_access_without_two_step_verification(client_as, workspace):
    AccessGrantFactory(account__workspace=workspace, person_name="Lee Leaver", still_with_company=False)
    AccessGrantFactory(account__workspace=workspace, person_name="Open Lock", two_factor=False)
    for path in ("/audit/", "/audit/access/"):
        page = client_as(Role.ADMIN).get(path).content.decode()
        assert "Lee Leaver (left)" in page
        assert '<span class="text-danger fw-bold">Editor</span>' in page
        assert '<span class="">Editor</span> <i class="bi bi-unlock text-warning"' in page


def test_the_report_lists_who_ran_each_audit_and_what_was_fixed_since_the_previous_run(client_as, workspace):
    client = client_as(Role.ADMIN)
    grant = AccessGrantFactory(account__workspace=workspace, account__handle="fixme", two_factor=False)
    services.audit_run(workspace=workspace, by=client.membership.user)
    services.access_save(workspace=workspace, grant=grant, two_factor=True)
    services.audit_run(workspace=workspace, by=None)
    page = client.get("/audit/").content.decode()
    assert f" · {client.membership.user}</span>" in page  # the first run, by this member; the second by nobody
    assert "Fixed since the previous run: " in page and "@fixme" in page.split("Fixed since the previous run: ")[1]


def test_a_resolved_finding_says_when_and_by_whom_on_the_report(client_as, workspace):
    client = client_as(Role.ADMIN)
    grow(workspace, 1)
    finding = workspace.audit_runs.order_by("-ran_at", "-pk").first().findings.first()
    services.finding_resolve(finding=finding, by=client.membership.user, note="Sorted out")
    page = client.get("/audit/").content.decode()
    assert f"by {client.membership.user}: Sorted out" in page
