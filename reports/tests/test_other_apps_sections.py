"""The report takes sections from other apps through `<app>/reporting.py`, listed in reports/section_providers.py."""

from datetime import date
from pathlib import Path

import pytest

from accounts.roles import Role
from audits.reporting import report_section as audit_section
from calendar_app.reporting import report_section as calendar_section
from competitors.reporting import report_section as competitors_section
from reports import section_providers as sections
from reports.services import report_generate

OCTOBER = date(2026, 10, 1)


def _provide_section(monkeypatch, report_section):
    # Stands in for the competitors app's section.
    others = [(app, section) for app, section in sections.SECTIONS if app != "competitors"]
    monkeypatch.setattr(sections, "SECTIONS", [("competitors", report_section), *others])


def test_every_app_with_a_reporting_module_has_its_section_in_the_registry():
    from django.apps import apps

    with_module = {c.name for c in apps.get_app_configs() if (Path(c.path) / "reporting.py").exists()}
    assert with_module == {app for app, _ in sections.SECTIONS}
    assert dict(sections.SECTIONS) == {
        "competitors": competitors_section,
        "audits": audit_section,
        "calendar_app": calendar_section,
    }


@pytest.fixture
def section_template(settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [Path(__file__).parent / "templates", *settings.TEMPLATES[0]["DIRS"]]}
    ]


@pytest.mark.django_db
def test_a_section_from_another_app_is_frozen_and_shown_on_the_page_and_in_the_pdf(
    monkeypatch, section_template, workspace, client_as
):
    calls = []

    def report_section(*, workspace, period_start, period_end):
        calls.append((workspace.pk, period_start, period_end))
        return {"rows": [{"name": "Rival & Co", "followers": 4321}]}

    _provide_section(monkeypatch, report_section)
    report = report_generate(workspace=workspace, month=OCTOBER)

    assert calls == [(workspace.pk, OCTOBER, date(2026, 10, 31))]
    assert report.data["sections"]["competitors"] == {"rows": [{"name": "Rival & Co", "followers": 4321}]}
    client = client_as(Role.EXECUTIVE)
    page = client.get("/reports/2026-10/").content.decode()
    assert "Competitor benchmark" in page and "Rival &amp; Co" in page and "4321" in page
    assert client.get("/reports/2026-10/pdf/").status_code == 200


@pytest.mark.django_db
def test_a_failing_section_leaves_the_rest_of_the_report_intact(monkeypatch, workspace):
    def report_section(**kwargs):
        raise RuntimeError("competitors app bug")

    _provide_section(monkeypatch, report_section)
    report = report_generate(workspace=workspace, month=OCTOBER)
    assert "competitors" not in report.data["sections"]
    assert "headline" in report.data
