from io import BytesIO

import pytest
from pypdf import PdfReader

from accounts.roles import Role
from reports.services import report_generate, report_highlights_update

from .conftest import OCTOBER


@pytest.mark.django_db
def test_the_pdf_download_holds_the_reports_figures_as_text(client_as, workspace, october_data):
    report = report_generate(workspace=workspace, month=OCTOBER)
    report_highlights_update(report=report, highlights="Instagram grew ten percent.")
    client = client_as(Role.EXECUTIVE)

    response = client.get(f"/reports/{report.slug}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="social-media-report-2026-10.pdf"' in response["Content-Disposition"]
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages).split())
    assert "Acme on social media" in text and "October 2026" in text
    assert "Instagram grew ten percent." in text
    assert "1,550" in text
    assert "Instagram reach" in text
    assert "Good X post" in text
    assert "-50" in text  # X lost followers
