from datetime import date

import pytest

from accounts.roles import Role
from stakeholders.models import FollowUp, Meeting

from .factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_logging_a_meeting_with_follow_ups_marks_the_contact_as_met(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    owner = client.membership.user
    contact = ContactFactory(workspace=workspace, is_met=False)

    response = client.post(
        f"/stakeholders/contacts/{contact.pk}/meetings/new/",
        {
            "date": "2026-11-20",
            "attendees": "Alex",
            "notes": "Agreed a monthly video.",
            "fu-TOTAL_FORMS": "3",
            "fu-INITIAL_FORMS": "0",
            "fu-0-description": "Send the brief",
            "fu-0-owner": owner.pk,
            "fu-0-due_on": "2026-11-27",
            "fu-1-description": "",
            "fu-2-description": "",
        },
    )

    assert response.status_code == 302
    meeting = Meeting.objects.get(contact=contact)
    assert meeting.date == date(2026, 11, 20) and meeting.workspace == workspace
    follow_up = FollowUp.objects.get(meeting=meeting)
    assert (follow_up.description, follow_up.owner, follow_up.due_on) == ("Send the brief", owner, date(2026, 11, 27))
    contact.refresh_from_db()
    assert contact.is_met


def test_a_follow_up_without_due_date_is_sent_back_with_a_field_error_and_nothing_saved(client_as, workspace):
    client = client_as(Role.ADMIN)
    contact = ContactFactory(workspace=workspace, is_met=False)

    response = client.post(
        f"/stakeholders/contacts/{contact.pk}/meetings/new/",
        {"date": "2026-11-20", "fu-TOTAL_FORMS": "1", "fu-INITIAL_FORMS": "0", "fu-0-description": "Call back"},
    )

    assert response.status_code == 200
    assert "Give the follow-up a due date." in response.content.decode()
    assert not Meeting.objects.exists()
    contact.refresh_from_db()
    assert not contact.is_met


def test_a_follow_up_owner_from_another_workspace_is_refused(client_as, workspace, make_member, other_workspace):
    client = client_as(Role.ADMIN)
    outsider = make_member(Role.ADMIN, ws=other_workspace).user
    contact = ContactFactory(workspace=workspace)

    response = client.post(
        f"/stakeholders/contacts/{contact.pk}/meetings/new/",
        {
            "date": "2026-11-20",
            "fu-TOTAL_FORMS": "1",
            "fu-INITIAL_FORMS": "0",
            "fu-0-description": "Call back",
            "fu-0-due_on": "2026-11-21",
            "fu-0-owner": outsider.pk,
        },
    )

    assert response.status_code == 200
    assert not Meeting.objects.exists()


def test_the_contact_page_shows_the_meeting_log_with_follow_ups(client_as, workspace):
    client = client_as(Role.ANALYST)
    from stakeholders import services

    contact = ContactFactory(workspace=workspace, full_name="Claire Fontaine")
    services.meeting_log(
        contact=contact,
        by=None,
        date=date(2026, 11, 2),
        notes="Behind-the-scenes series",
        follow_ups=[services.FollowUpDraft(description="Book the shoot", due_on=date(2026, 11, 9))],
    )

    body = client.get(f"/stakeholders/contacts/{contact.pk}/").content.decode()

    assert "Behind-the-scenes series" in body and "Book the shoot" in body


def test_contact_form_errors_show_on_the_fields_and_save_nothing(client_as, workspace):
    client = client_as(Role.ADMIN)
    ContactFactory(workspace=workspace, email="taken@company.test")

    response = client.post(
        "/stakeholders/contacts/new/",
        {"full_name": "", "email": "taken@company.test", "influence": 9, "interest": 2, "preferred_channel": "email"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in body
    assert "Another contact already has this e-mail address." in body
    assert "Select a valid choice" in body
