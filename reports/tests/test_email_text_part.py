"""The report e-mail's plain-text part is plain text: names read as typed, while the HTML part escapes them."""

import pytest
from django.core import mail

from accounts.roles import Role
from reports.models import MonthlyReport
from reports.services import report_generate, report_send
from strategy.models import Objective

from .conftest import OCTOBER

NAME = "Tom & Jerry's <Shop>"


@pytest.mark.django_db
def test_names_with_ampersands_quotes_and_brackets_read_as_typed_in_the_text_part(workspace, october_data, make_member):
    workspace.name = NAME
    workspace.save()
    Objective.objects.filter(workspace=workspace).update(title="Reach & 'growth' <fast>")
    make_member(Role.EXECUTIVE)
    report = report_generate(workspace=workspace, month=OCTOBER)
    MonthlyReport.objects.filter(pk=report.pk).update(highlights="R&D's <b>launch</b>")
    report.refresh_from_db()

    report_send(report=report)

    (message,) = mail.outbox
    text, (html, _) = message.body, message.alternatives[0]
    assert text.startswith(f"{NAME} on social media: October 2026")
    assert "- Reach & 'growth' <fast>:" in text
    assert "R&D's <b>launch</b>" in text
    assert "&amp;" not in text and "&#x27;" not in text and "&lt;" not in text
    assert "Tom &amp; Jerry&#x27;s &lt;Shop&gt;" in html
    assert "Reach &amp; &#x27;growth&#x27; &lt;fast&gt;" in html
    assert "<b>launch</b>" not in html
