import pytest

from accounts.roles import Role
from reports.models import MonthlyReport
from reports.services import report_generate

from .conftest import OCTOBER

WRITERS = [Role.ADMIN, Role.STRATEGY_LEAD, Role.COORDINATOR]
READERS = [Role.CONTENT_LEAD, Role.COMMUNITY_MANAGER, Role.ANALYST, Role.EXECUTIVE]


@pytest.mark.django_db
@pytest.mark.parametrize("role", WRITERS + READERS)
def test_the_team_and_executives_read_the_reports(client_as, workspace, role):
    report = report_generate(workspace=workspace, month=OCTOBER)
    client = client_as(role)
    assert client.get("/reports/").status_code == 200
    assert client.get(f"/reports/{report.slug}/").status_code == 200


@pytest.mark.django_db
def test_a_contributor_cannot_open_the_reports(client_as, workspace):
    report_generate(workspace=workspace, month=OCTOBER)
    client = client_as(Role.CONTRIBUTOR)
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/2026-10/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", READERS)
def test_readers_cannot_generate_annotate_or_send(client_as, workspace, role):
    report_generate(workspace=workspace, month=OCTOBER)
    client = client_as(role)
    assert client.post("/reports/generate/", {"month": "2026-10"}).status_code == 403
    assert client.post("/reports/2026-10/highlights/", {"highlights": "x"}).status_code == 403
    assert client.post("/reports/2026-10/send/").status_code == 403
    assert client.get("/reports/recipients/").status_code == 403
    assert MonthlyReport.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", WRITERS)
def test_writers_generate_a_report_and_write_its_highlights(client_as, workspace, role):
    client = client_as(role)
    assert client.post("/reports/generate/", {"month": "2026-10"}).status_code == 302
    client.post("/reports/2026-10/highlights/", {"highlights": "Good month."})
    assert MonthlyReport.objects.get(workspace=workspace).highlights == "Good month."


@pytest.mark.django_db
def test_a_future_or_malformed_month_is_refused_with_a_message(client_as):
    client = client_as(Role.ADMIN)
    response = client.post("/reports/generate/", {"month": "2999-01"}, follow=True)
    assert "That month has not begun yet." in response.content.decode()
    response = client.post("/reports/generate/", {"month": "soon"}, follow=True)
    assert "Give a month as YYYY-MM." in response.content.decode()
    assert not MonthlyReport.objects.exists()


@pytest.mark.django_db
def test_another_workspaces_report_is_not_found(client_as, other_workspace):
    report_generate(workspace=other_workspace, month=OCTOBER)
    client = client_as(Role.EXECUTIVE)
    assert client.get("/reports/2026-10/").status_code == 404
    assert client.get("/reports/2026-10/pdf/").status_code == 404
    assert b"October 2026" not in client.get("/reports/").content


@pytest.mark.django_db
def test_an_earlier_version_stays_readable(client_as, workspace):
    report_generate(workspace=workspace, month=OCTOBER)
    report_generate(workspace=workspace, month=OCTOBER)
    client = client_as(Role.EXECUTIVE)
    assert client.get("/reports/2026-10/").context["report"].version == 2
    assert client.get("/reports/2026-10/?version=1").context["report"].version == 1
    assert client.get("/reports/2026-10/?version=9").status_code == 404
    assert client.get("/reports/2026-10/?version=abc").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["2026-1", "26-10", "2026-13", "october", "2026-10-01"])
def test_an_address_that_is_not_a_month_is_not_found(client_as, workspace, slug):
    report_generate(workspace=workspace, month=OCTOBER)
    assert client_as(Role.EXECUTIVE).get(f"/reports/{slug}/").status_code == 404
