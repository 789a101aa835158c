"""'E-mail it' shows who gets the e-mail and how it reads first; only the preview's confirm button sends."""

import pytest
import time_machine
from django.core import mail

from accounts.roles import Role
from outbox.models import QueuedAction
from reports.models import ReportDelivery
from reports.services import recipient_add, report_generate, report_send

from .conftest import OCTOBER


@pytest.fixture
def report(workspace, october_data, make_member):
    make_member(Role.EXECUTIVE, email="ceo@example.test", full_name="Claire Eo")
    recipient_add(workspace=workspace, email="board@example.test", name="Bob Oard")
    recipient_add(workspace=workspace, email="nameless@example.test")
    return report_generate(workspace=workspace, month=OCTOBER)


@pytest.mark.django_db
def test_the_first_click_previews_the_recipients_and_the_e_mail_and_sends_nothing(client_as, report):
    client = client_as(Role.COORDINATOR)
    detail = client.get(f"/reports/{report.slug}/").content.decode()
    assert 'href="/reports/2026-10/send/" data-testid="email-it"' in detail  # a link: a GET, not a send

    page = client.get(f"/reports/{report.slug}/send/").content.decode()

    assert "<strong>Claire Eo</strong> &lt;ceo@example.test&gt;" in page
    assert "<strong>Bob Oard</strong> &lt;board@example.test&gt;" in page
    assert "nameless@example.test" in page
    assert "3 recipients" in page
    assert "Send to 3 people" in page
    assert 'name="count" value="3"' in page
    assert "Acme on social media: October 2026" in page  # the subject
    assert "Followers: 1,550" in page  # the plain-text part, as it goes
    assert 'name="csrfmiddlewaretoken"' in page
    assert not mail.outbox
    assert not QueuedAction.objects.exists()
    assert not ReportDelivery.objects.exists()


@pytest.mark.django_db
def test_the_preview_frame_shows_the_e_mail_html_under_a_policy_that_runs_nothing(client_as, report):
    response = client_as(Role.COORDINATOR).get(f"/reports/{report.slug}/send/email/")
    assert response.status_code == 200
    assert "Read the full report" in response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert not mail.outbox


@pytest.mark.django_db
def test_confirming_sends_to_the_people_listed(client_as, report, django_capture_on_commit_callbacks):
    client = client_as(Role.COORDINATOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/reports/{report.slug}/send/", {"count": "3"}, follow=True)
    assert "queued to be e-mailed to 3 people" in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == ["board@example.test", "ceo@example.test", "nameless@example.test"]


@pytest.mark.django_db
def test_a_list_that_changed_since_the_preview_is_shown_again_not_sent(client_as, report, workspace):
    client = client_as(Role.COORDINATOR)
    recipient_add(workspace=workspace, email="late@example.test")  # after the preview said 3
    response = client.post(f"/reports/{report.slug}/send/", {"count": "3"}, follow=True)
    page = response.content.decode()
    assert "changed since you opened the preview" in page
    assert "Send to 4 people" in page
    assert not QueuedAction.objects.exists()
    assert not mail.outbox


@pytest.mark.django_db
def test_after_a_partial_send_the_preview_lists_only_the_rest(client_as, report, workspace):
    report_send(report=report)
    recipient_add(workspace=workspace, email="late@example.test", name="Lee Late")
    page = client_as(Role.COORDINATOR).get(f"/reports/{report.slug}/send/").content.decode()
    assert "1 recipient still without it" in page
    assert "Send to 1 person" in page
    assert "ceo@example.test" not in page


@pytest.mark.django_db
def test_with_no_recipient_the_preview_says_so_and_offers_no_button(client_as, workspace, october_data):
    report = report_generate(workspace=workspace, month=OCTOBER)
    client = client_as(Role.COORDINATOR)
    page = client.get(f"/reports/{report.slug}/send/").content.decode()
    assert "No one to send it to" in page
    assert "confirm-send" not in page
    response = client.post(f"/reports/{report.slug}/send/", {"count": "0"}, follow=True)
    assert "No one to send it to" in response.content.decode()
    assert not QueuedAction.objects.exists()
    assert not mail.outbox


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.ANALYST])
def test_readers_cannot_open_the_preview(client_as, report, role):
    client = client_as(role)
    assert client.get(f"/reports/{report.slug}/send/").status_code == 403
    assert client.get(f"/reports/{report.slug}/send/email/").status_code == 403


@pytest.mark.django_db
def test_the_generate_form_proposes_the_last_complete_month_of_the_workspace_time_zone(client_as, workspace):
    workspace.time_zone = "Europe/Paris"
    workspace.save()
    client = client_as(Role.COORDINATOR)
    with time_machine.travel("2026-11-30T23:30:00Z", tick=False):  # already 1 December in Paris
        page = client.get("/reports/").content.decode()
    assert 'name="month" id="id_month" value="2026-11"' in page
    workspace.time_zone = "America/New_York"
    workspace.save()
    with time_machine.travel("2026-12-01T03:00:00Z", tick=False):  # still 30 November in New York
        page = client.get("/reports/").content.decode()
    assert 'name="month" id="id_month" value="2026-10"' in page
