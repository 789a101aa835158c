"""The report takes sections from other apps through the `<app>/reporting.py` contract, when they exist."""

import sys
import types
from datetime import date
from importlib.machinery import ModuleSpec
from pathlib import Path

import pytest

from accounts.roles import Role
from reports.services import report_generate

OCTOBER = date(2026, 10, 1)


def _provide_section(monkeypatch, report_section):
    # Stands in for the competitors app's reporting module, as another engineer will write it.
    module = types.ModuleType("competitors.reporting")
    module.__spec__ = ModuleSpec("competitors.reporting", None)
    module.report_section = report_section
    monkeypatch.setitem(sys.modules, "competitors.reporting", module)


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
