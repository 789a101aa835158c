from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from accounts.models import Workspace
from reports.models import MonthlyReport, ReportRecipient
from strategy.models import CharterVersion, Objective, StrategyRevision
from tests.homes import home_as_shown


@pytest.mark.django_db
@time_machine.travel(date(2026, 11, 23))
def test_seed_demo_writes_a_strategy_and_the_last_three_reports_once():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    workspace = Workspace.objects.get(slug="demo-brand")
    counts = (StrategyRevision.objects.count(), MonthlyReport.objects.count(), ReportRecipient.objects.count())

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert (StrategyRevision.objects.count(), MonthlyReport.objects.count(), ReportRecipient.objects.count()) == counts
    assert Objective.objects.filter(workspace=workspace).count() == 3
    charter = CharterVersion.objects.get(workspace=workspace)
    assert charter.approved_by.email == "executive@demo.test"
    months = sorted(MonthlyReport.objects.filter(workspace=workspace).values_list("month", flat=True))
    assert months == [date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)]


@pytest.mark.django_db
def test_the_executive_home_lists_the_reports_newest_first_with_headline_figures(client_as, workspace, october_data):
    from reports.services import report_generate

    report_generate(workspace=workspace, month=date(2026, 9, 1))
    report_generate(workspace=workspace, month=date(2026, 10, 1))
    report_generate(workspace=workspace, month=date(2026, 10, 1))  # a second version shows once

    page = home_as_shown(client_as("executive"))

    assert page.index("October 2026") < page.index("September 2026")
    assert page.count("October 2026") == 1
    assert "1,550 followers" in page


@pytest.mark.django_db
def test_the_team_home_shows_the_latest_report_and_the_objectives_progress(client_as, workspace, october_data):
    from reports.services import report_generate

    report_generate(workspace=workspace, month=date(2026, 10, 1))

    page = home_as_shown(client_as("analyst"))

    assert "Latest monthly report" in page and "October 2026" in page
    assert "Instagram reach" in page
    assert "not e-mailed yet" in page


@pytest.mark.django_db
def test_the_team_home_shows_the_newest_version_its_headline_and_whether_it_was_e_mailed(
    client_as, workspace, october_data
):
    from reports.models import ReportDelivery
    from reports.services import report_generate

    report_generate(workspace=workspace, month=date(2026, 9, 1))
    report_generate(workspace=workspace, month=date(2026, 10, 1))
    newest = report_generate(workspace=workspace, month=date(2026, 10, 1))
    ReportDelivery.objects.create(workspace=workspace, month=newest.month, report=newest)

    page = home_as_shown(client_as("analyst"))

    assert "October 2026</a> · v2 · " in page
    assert "September 2026" not in page
    assert "1,550" in page  # the frozen followers headline
    assert "e-mailed" in page and "not e-mailed yet" not in page


@pytest.mark.django_db
def test_the_latest_report_summary_reads_one_row_without_the_frozen_figures(workspace, october_data):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.selectors import latest_report_summary
    from reports.services import report_generate

    assert latest_report_summary(workspace=workspace) is None
    report_generate(workspace=workspace, month=date(2026, 10, 1))

    with CaptureQueriesContext(connection) as queries:
        summary = latest_report_summary(workspace=workspace)
        assert (summary.slug, summary.version, summary.sent) == ("2026-10", 1, False)
        assert summary.headline["followers"] == 1550
    assert len(queries) == 1
    assert "data" in summary.get_deferred_fields()
