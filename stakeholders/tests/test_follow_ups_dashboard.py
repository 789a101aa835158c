from datetime import date, timedelta

import pytest
import time_machine

from accounts.roles import Role
from stakeholders import services

from .factories import ContactFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


@pytest.fixture
def contact(workspace):
    return ContactFactory(workspace=workspace, full_name="Paul Mercier", is_met=False)


def log(contact, *items):
    return services.meeting_log(
        contact=contact,
        by=None,
        date=TODAY - timedelta(days=3),
        follow_ups=[services.FollowUpDraft(description=text, due_on=TODAY + timedelta(days=d)) for text, d in items],
    )


@time_machine.travel("2026-11-23 09:00 +00:00", tick=False)
def test_follow_ups_due_this_week_show_on_the_team_dashboard_overdue_first(client_as, contact):
    log(contact, ("Send the crisis list", -2), ("Book the shoot", 3), ("Plan the summer", 30))

    body = client_as(Role.COMMUNITY_MANAGER).get("/").content.decode()

    assert "Stakeholder follow-ups due" in body
    assert body.index("Send the crisis list") < body.index("Book the shoot")
    assert "overdue" in body
    assert "Plan the summer" not in body


@time_machine.travel("2026-11-23 09:00 +00:00", tick=False)
def test_a_follow_up_marked_done_leaves_the_dashboard(client_as, contact):
    meeting = log(contact, ("Send the crisis list", -2))
    client = client_as(Role.CONTENT_LEAD)
    follow_up = meeting.follow_ups.get()

    response = client.post(f"/stakeholders/follow-ups/{follow_up.pk}/done/", {"next": "/"})

    assert response.status_code == 302 and response["Location"] == "/"
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None
    body = client.get("/").content.decode()
    assert "Done: Send the crisis list." in body
    assert 'data-testid="follow-ups-due"' not in body and "No follow-up due this week" in body


@time_machine.travel("2026-11-23 09:00 +00:00", tick=False)
def test_another_workspaces_follow_ups_never_show_and_cannot_be_ticked(client_as, other_workspace):
    theirs = log(ContactFactory(workspace=other_workspace), ("Their secret task", 0)).follow_ups.get()
    client = client_as(Role.ADMIN)

    assert "Their secret task" not in client.get("/").content.decode()
    assert client.post(f"/stakeholders/follow-ups/{theirs.pk}/done/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.done_at is None


def test_the_dashboard_nudges_the_team_towards_contacts_not_met_yet_most_influential_first(client_as, workspace):
    ContactFactory(workspace=workspace, full_name="Low Person", influence=1, interest=1)
    ContactFactory(workspace=workspace, full_name="Big Boss", influence=3, interest=3)
    ContactFactory(workspace=workspace, full_name="Already Met", is_met=True)

    body = client_as(Role.ANALYST).get("/").content.decode()

    assert "2 of 3 contacts not met yet" in body
    assert body.index("Big Boss") < body.index("Low Person")
    assert "Already Met" not in body


def test_an_analyst_sees_follow_ups_but_gets_no_button_to_tick_them(client_as, contact):
    log(contact, ("Send the crisis list", 0))
    client = client_as(Role.ANALYST)

    body = client.get("/").content.decode()

    assert "Send the crisis list" in body
    assert "Mark done" not in body
    follow_up = contact.meetings.get().follow_ups.get()
    assert client.post(f"/stakeholders/follow-ups/{follow_up.pk}/done/").status_code == 403


def test_the_executive_home_shows_no_stakeholder_panel(client_as, contact):
    log(contact, ("Send the crisis list", 0))

    body = client_as(Role.EXECUTIVE).get("/").content.decode()

    assert "Send the crisis list" not in body and "Not met yet" not in body


@pytest.mark.parametrize("target", ["https://evil.test/", "//evil.test/", "/\\evil.test/"])
def test_ticking_a_follow_up_never_redirects_off_the_site(client_as, contact, target):
    follow_up = log(contact, ("Send the crisis list", 0)).follow_ups.get()

    response = client_as(Role.ADMIN).post(f"/stakeholders/follow-ups/{follow_up.pk}/done/", {"next": target})

    assert response["Location"] == f"/stakeholders/contacts/{contact.pk}/"


def test_follow_up_rows_carry_the_contact_of_their_meeting_in_due_order(workspace, make_member):
    """The home's and the meeting's rows read each follow-up's contact by its meeting's key (not a join over every
    meeting): each row names its own meeting's contact, the first `limit` by due day."""
    from stakeholders.selectors import follow_up_rows_open_until, follow_ups_due_rows

    from .factories import FollowUpFactory, MeetingFactory

    member = make_member(Role.COMMUNITY_MANAGER)
    paul, ana = (ContactFactory(workspace=workspace, full_name=name) for name in ("Paul Mercier", "Ana Ruiz"))
    for _ in range(3):
        MeetingFactory(contact=paul)  # other meetings of the same contact, without follow-ups
    late = FollowUpFactory(meeting=MeetingFactory(contact=ana), due_on=TODAY, owner=member.user)
    soon = FollowUpFactory(meeting=MeetingFactory(contact=paul), due_on=TODAY - timedelta(days=1))
    rows = follow_up_rows_open_until(workspace=workspace, until=TODAY)
    assert [(r["pk"], r["contact_id"], r["contact_name"]) for r in rows] == [
        (soon.pk, paul.pk, "Paul Mercier"),
        (late.pk, ana.pk, "Ana Ruiz"),
    ]
    assert rows[1]["owner"] == str(member.user) and rows[0]["owner"] == ""
    first = follow_ups_due_rows(workspace=workspace, today=TODAY, limit=1)
    assert [(r["pk"], r["contact_name"]) for r in first] == [(soon.pk, "Paul Mercier")]
