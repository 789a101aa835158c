"""The weekly meeting's review sections (seed 004): the week's posts, what went wrong, follow-ups, findings, objectives."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.permissions import MATRIX
from accounts.roles import Role
from audits.models import AuditRun, Finding
from calendar_app.models import Publication
from stakeholders.tests.factories import FollowUpFactory
from strategy.models import Objective
from tests.homes import as_shown

from .factories import IdeaFactory, PublicationFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 12, 7)  # the week of 7 to 13 December 2026, Europe/Paris (UTC+1)
NOW = datetime(2026, 12, 9, 9, 0, tzinfo=UTC)


def _agenda(client, day=MONDAY):
    with time_machine.travel(NOW, tick=False):
        return client.get(reverse("calendar_app:meeting"), {"date": day.isoformat()})


def _post(workspace, title, when, status="scheduled", **extra):
    return PublicationFactory(workspace=workspace, content_item__title=title, scheduled_at=when, status=status, **extra)


def _run(workspace, findings, ran_at=datetime(2026, 12, 6, 8, 0, tzinfo=UTC)):
    run = AuditRun.objects.create(workspace=workspace, ran_at=ran_at, score=50, findings_count=len(findings))
    for severity, title, resolved in findings:
        Finding.objects.create(
            run=run,
            workspace=workspace,
            rule="r",
            key=title,
            severity=severity,
            title=title,
            resolved_at=ran_at if resolved else None,
        )
    return run


# ---- this week's publications ---------------------------------------------------------------------------------


def test_the_week_lists_its_publications_by_local_day_with_status_network_and_link(client_as, workspace):
    client = client_as(Role.ANALYST)
    # 23:30 UTC on Monday is 00:30 on Tuesday in Paris: it belongs to Tuesday.
    late = _post(workspace, "Late post", datetime(2026, 12, 7, 23, 30, tzinfo=UTC), profile__platform="instagram")
    _post(workspace, "Sunday post", datetime(2026, 12, 13, 18, 0, tzinfo=UTC), status="published")
    response = _agenda(client)
    days = {d["day"]: [p["title"] for p in d["publications"]] for d in response.context["week_days"]}
    assert days[date(2026, 12, 8)] == ["Late post"] and days[date(2026, 12, 7)] == []
    assert days[date(2026, 12, 13)] == ["Sunday post"]
    page = response.content.decode()
    assert "00:30" in page and "Instagram" in page and "Published" in page
    assert reverse("calendar_app:publication_detail", args=[late.pk]) in page


def test_the_week_leaves_out_next_week_last_week_and_another_workspace(client_as, workspace, other_workspace):
    client = client_as(Role.ADMIN)
    _post(workspace, "Next week post", datetime(2026, 12, 13, 23, 30, tzinfo=UTC))  # Monday 14th in Paris
    _post(workspace, "Last week post", datetime(2026, 12, 6, 22, 59, tzinfo=UTC))  # Sunday 6th, 23:59 in Paris
    _post(other_workspace, "Their post", datetime(2026, 12, 9, 10, 0, tzinfo=UTC))
    response = _agenda(client)
    assert not any(d["publications"] for d in response.context["week_days"])
    page = response.content.decode()
    assert "Next week post" not in page and "Last week post" not in page and "Their post" not in page
    assert page.count("Nothing scheduled.") == 7


def test_a_busy_day_shows_its_first_posts_and_links_to_the_rest_in_the_publishing_calendar(client_as, workspace):
    from calendar_app.meeting import DAY_ROWS

    client = client_as(Role.ADMIN)
    wednesday = datetime(2026, 12, 9, 6, 0, tzinfo=UTC)
    for i in range(DAY_ROWS + 3):
        _post(workspace, f"Busy post {i:02d}", wednesday + timedelta(minutes=10 * i))
    _post(workspace, "Quiet Thursday post", datetime(2026, 12, 10, 9, 0, tzinfo=UTC))
    response = _agenda(client)
    days = {d["day"]: d for d in response.context["week_days"]}
    busy, quiet = days[date(2026, 12, 9)], days[date(2026, 12, 10)]
    assert [p["title"] for p in busy["publications"]] == [f"Busy post {i:02d}" for i in range(DAY_ROWS)]
    assert busy["more"] == 3 and quiet["more"] == 0
    page = response.content.decode()
    assert f"Busy post {DAY_ROWS - 1:02d}" in page and f"Busy post {DAY_ROWS:02d}" not in page
    link = f"{reverse('calendar_app:publishing')}?date=2026-12-09"
    assert page.count('data-testid="meeting-day-more"') == 1 and f'href="{link}"' in page
    assert "3 more on Wed 9 Dec in the publishing calendar" in page
    # The link opens the publishing calendar on that day.
    calendar = client.get(link).content.decode()
    assert 'data-initial-date="2026-12-09"' in calendar
    assert "data-initial-date" not in client.get(reverse("calendar_app:publishing"), {"date": "9 Dec"}).content.decode()


# ---- what went wrong since the last meeting -------------------------------------------------------------------


def test_failed_unknown_and_held_publications_since_the_last_meeting_are_reviewed(
    client_as, workspace, other_workspace
):
    client = client_as(Role.COMMUNITY_MANAGER)
    when = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    failed = _post(workspace, "Failed post", when, status="failed", failure_reason="rate_limited: slow down")
    _post(workspace, "Unknown post", when, status="unknown", failure_reason="The platform did not answer")
    _post(workspace, "Held post", when, status="held")
    _post(workspace, "Fine post", when, status="published")
    old = _post(workspace, "Old failure", when, status="failed", failure_reason="long ago")
    theirs = _post(other_workspace, "Their failure", when, status="failed", failure_reason="theirs")
    Publication.objects.filter(pk__in=[old.pk]).update(updated_at=datetime(2026, 11, 29, 22, 0, tzinfo=UTC))
    Publication.objects.exclude(pk=old.pk).update(updated_at=datetime(2026, 12, 3, 9, 5, tzinfo=UTC))
    response = _agenda(client)
    titles = [p["title"] for p in response.context["gone_wrong"]]
    assert sorted(titles) == ["Failed post", "Held post", "Unknown post"]
    page = response.content.decode()
    assert "rate_limited: slow down" in page and "Their failure" not in page and "Old failure" not in page
    assert reverse("calendar_app:publication_detail", args=[failed.pk]) in page
    assert theirs.pk not in [p["pk"] for p in response.context["gone_wrong"]]


def test_nothing_gone_wrong_says_so(client_as):
    page = _agenda(client_as(Role.ADMIN)).content.decode()
    assert "Nothing failed, went unanswered or was held since the last meeting." in page


# ---- stakeholder follow-ups -----------------------------------------------------------------------------------


def test_follow_ups_due_this_week_or_overdue_show_with_owner_and_contact(client_as, workspace, other_workspace):
    client = client_as(Role.COORDINATOR)
    owner = client.membership.user
    overdue = FollowUpFactory(
        meeting__contact__workspace=workspace,
        meeting__contact__full_name="Sophie Lefèvre",
        description="Send the crisis list",
        due_on=MONDAY - timedelta(days=10),
        owner=owner,
    )
    FollowUpFactory(meeting__contact__workspace=workspace, description="Due Sunday", due_on=MONDAY + timedelta(days=6))
    FollowUpFactory(meeting__contact__workspace=workspace, description="Next week", due_on=MONDAY + timedelta(days=7))
    FollowUpFactory(
        meeting__contact__workspace=workspace,
        description="Done already",
        due_on=MONDAY,
        done_at=NOW - timedelta(days=1),
    )
    FollowUpFactory(meeting__contact__workspace=other_workspace, description="Their follow-up", due_on=MONDAY)
    response = _agenda(client)
    assert [f["description"] for f in response.context["follow_ups"]] == ["Send the crisis list", "Due Sunday"]
    page = response.content.decode()
    assert "Sophie Lefèvre" in page and str(owner) in page and "Overdue" in page
    assert reverse("stakeholders:contact", args=[overdue.meeting.contact_id]) in page
    assert "Next week" not in page and "Done already" not in page and "Their follow-up" not in page


def test_no_follow_up_due_says_so(client_as):
    assert "No stakeholder follow-up is due this week." in _agenda(client_as(Role.ADMIN)).content.decode()


# ---- audit findings -------------------------------------------------------------------------------------------


def test_open_critical_and_high_findings_of_the_last_run_show_with_a_link(client_as, workspace, other_workspace):
    client = client_as(Role.CONTENT_LEAD)
    _run(workspace, [("critical", "Old run critical", False)], ran_at=datetime(2026, 11, 1, tzinfo=UTC))
    _run(
        workspace,
        [
            ("critical", "Admin left the company", False),
            ("high", "No second factor", False),
            ("medium", "Medium thing", False),
            ("critical", "Fixed critical", True),
        ],
    )
    _run(other_workspace, [("critical", "Their critical", False)])
    response = _agenda(client)
    assert [f["title"] for f in response.context["audit"]["findings"]] == ["Admin left the company", "No second factor"]
    page = response.content.decode()
    finding = Finding.objects.get(title="Admin left the company")
    assert f"{reverse('audits:report')}#finding-{finding.pk}" in page
    for absent in ("Old run critical", "Medium thing", "Fixed critical", "Their critical"):
        assert absent not in page


def test_findings_section_tells_no_run_from_nothing_urgent(client_as, workspace):
    client = client_as(Role.ADMIN)
    assert "No audit has run yet." in _agenda(client).content.decode()
    _run(workspace, [("low", "Small thing", False)])
    assert "The last audit left no critical or high finding open." in _agenda(client).content.decode()


# ---- the strategy's objectives ---------------------------------------------------------------------------------


def test_the_strategy_objectives_are_recalled_with_their_kpi(client_as, workspace, other_workspace):
    client = client_as(Role.ANALYST)
    Objective.objects.create(
        workspace=workspace,
        title="Shop visits",
        kpi="manual",
        kpi_label="Visits",
        baseline=0,
        target=100,
        manual_value=40,
        deadline=date(2027, 6, 30),
    )
    Objective.objects.create(
        workspace=other_workspace,
        title="Their objective",
        kpi="followers",
        baseline=0,
        target=1,
        deadline=date(2027, 1, 1),
    )
    page = _agenda(client).content.decode()
    assert "Shop visits" not in page  # the figures come after the page
    with time_machine.travel(NOW, tick=False):
        fragment = client.get(reverse("calendar_app:meeting_objectives"), {"date": MONDAY.isoformat()})
        shown = as_shown(client, reverse("calendar_app:meeting"), {"date": MONDAY.isoformat()})
    assert [r.objective.title for r in fragment.context["readings"]] == ["Shop visits"]
    assert fragment.context["readings"][0].progress_pct == 40.0
    assert "Shop visits" in shown and "Their objective" not in shown


def test_no_objective_says_so(client_as):
    with time_machine.travel(NOW, tick=False):
        assert "No objectives yet" in as_shown(client_as(Role.ADMIN), reverse("calendar_app:meeting"))


def test_a_past_weeks_objectives_are_measured_up_to_its_end(client_as, workspace):
    from metrics.tests.factories import TrackedProfileFactory
    from strategy.tests.factories import snapshot

    client = client_as(Role.ADMIN)
    profile = TrackedProfileFactory(workspace=workspace, is_own=True)
    snapshot(profile, date(2026, 11, 25), 100)
    snapshot(profile, date(2026, 12, 8), 200)
    Objective.objects.create(
        workspace=workspace, title="Reach", kpi="followers", baseline=0, target=1000, deadline=date(2027, 6, 30)
    )

    def measured(day):
        with time_machine.travel(NOW, tick=False):
            fragment = client.get(reverse("calendar_app:meeting_objectives"), {"date": day.isoformat()})
        return [r.value for r in fragment.context["readings"]]

    assert measured(MONDAY) == [200.0]  # this week: up to today, the 9th
    assert measured(date(2026, 11, 26)) == [100.0]  # the week of 23 to 29 November: up to its Sunday


def test_the_objectives_need_the_strategy_and_the_meeting(client_as):
    assert client_as(Role.CONTRIBUTOR).get(reverse("calendar_app:meeting_objectives")).status_code == 403


# ---- permissions ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.EXECUTIVE])
def test_who_may_not_see_the_meeting_still_may_not(client_as, role):
    assert _agenda(client_as(role)).status_code == 403


def test_a_section_whose_area_the_role_may_not_view_is_left_out(client_as, workspace, monkeypatch):
    client = client_as(Role.ANALYST)
    _run(workspace, [("critical", "Secret finding", False)])
    FollowUpFactory(meeting__contact__workspace=workspace, description="Secret follow-up", due_on=MONDAY)
    monkeypatch.setitem(MATRIX, "audit", {r: a for r, a in MATRIX["audit"].items() if r != Role.ANALYST})
    monkeypatch.setitem(MATRIX, "stakeholders", {r: a for r, a in MATRIX["stakeholders"].items() if r != Role.ANALYST})
    response = _agenda(client)
    assert "audit" not in response.context and "follow_ups" not in response.context
    page = response.content.decode()
    assert "Secret finding" not in page and "Secret follow-up" not in page
    assert 'data-testid="meeting-findings"' not in page and 'data-testid="meeting-follow-ups"' not in page
    assert 'data-testid="meeting-week"' in page  # the analyst still sees the publishing sections


# ---- query count ------------------------------------------------------------------------------------------------


def _fill(workspace, n, start=0):
    when = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
    for i in range(start, start + n):
        _post(workspace, f"Week post {i}", when + timedelta(hours=i))
        _post(workspace, f"Failed {i}", when, status="failed", failure_reason="boom")
        FollowUpFactory(meeting__contact__workspace=workspace, due_on=MONDAY + timedelta(days=i % 7))
        IdeaFactory(workspace=workspace)
        Objective.objects.create(
            workspace=workspace, title=f"O{i}", kpi="followers", baseline=0, target=10, deadline=date(2027, 1, 1)
        )
    Publication.objects.filter(workspace=workspace).update(updated_at=when)
    _run(workspace, [("critical", f"Finding {i}", False) for i in range(start, start + n)])


def test_the_agenda_reads_in_a_number_of_queries_independent_of_the_data(client_as, workspace):
    client = client_as(Role.ADMIN)
    _fill(workspace, 1)
    _agenda(client)  # the session and the user, read once
    with CaptureQueriesContext(connection) as small:
        assert len(_agenda(client).context["gone_wrong"]) == 1
    _fill(workspace, 15, start=1)
    with CaptureQueriesContext(connection) as larger:
        response = _agenda(client)
    # The same queries, not at most as many: a query per row of any section shows as more.
    assert len(larger.captured_queries) == len(small.captured_queries)
    assert len(response.context["gone_wrong"]) == 16 and len(response.context["follow_ups"]) == 16
    assert len(response.context["audit"]["findings"]) == 15  # the newest run's
