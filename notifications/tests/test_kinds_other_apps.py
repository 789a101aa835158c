"""The kinds of the other apps, each through the service or task that does the thing: follow-ups due, the
ambassadors' monthly mail, a connection to renew, new critical audit findings, the monthly report ready."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.roles import Role
from audits import services as audits_services
from audits.models import AccessGrant
from audits.tests.factories import AccessGrantFactory
from calendar_app.models import Publication
from calendar_app.tests.factories import PublicationFactory
from metrics.connectors.base import AuthExpired
from metrics.models import TrackedProfile
from metrics.services import pull_run
from metrics.tests.factories import TrackedProfileFactory
from reports.services import monthly_report_run
from stakeholders import services as stakeholders_services
from stakeholders.models import Ambassador, ExampleText
from stakeholders.tasks import remind_follow_ups_due, send_ambassador_monthly
from stakeholders.tests.factories import FollowUpFactory

from .helpers import mails_to, of

pytestmark = pytest.mark.django_db


def _kinds(membership):
    return [n.kind for n in of(membership)]


# Paris, 23 Nov 2026 at 00:30 local: still the 22nd in UTC.
JUST_AFTER_MIDNIGHT_IN_PARIS = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)


def test_the_owner_of_a_follow_up_due_today_is_told_once(workspace, other_workspace, make_member):
    owner, someone = make_member(Role.COMMUNITY_MANAGER), make_member(Role.ADMIN)
    today = date(2026, 11, 23)
    due = FollowUpFactory(meeting__contact__workspace=workspace, owner=owner.user, due_on=today)
    FollowUpFactory(meeting__contact__workspace=workspace, owner=owner.user, due_on=today + timedelta(days=1))
    FollowUpFactory(meeting__contact__workspace=workspace, owner=owner.user, due_on=today, done_at=timezone.now())
    FollowUpFactory(meeting__contact__workspace=workspace, owner=None, due_on=today)
    with time_machine.travel(JUST_AFTER_MIDNIGHT_IN_PARIS, tick=False):
        assert remind_follow_ups_due.delay().get() == 1
        remind_follow_ups_due.delay()  # hourly: the next run adds nothing
    (told,) = of(owner)
    assert told.kind == "follow_up_due" and due.description in told.title
    assert _kinds(someone) == []


def test_a_follow_up_is_due_by_its_workspaces_day_not_utcs(workspace, make_member):
    owner = make_member(Role.COMMUNITY_MANAGER)
    FollowUpFactory(meeting__contact__workspace=workspace, owner=owner.user, due_on=date(2026, 11, 22))
    with time_machine.travel(JUST_AFTER_MIDNIGHT_IN_PARIS, tick=False):  # the 22nd is over in Paris
        assert stakeholders_services.follow_ups_due_notify() == 0


def test_ambassadors_get_the_months_publications_to_relay_and_the_texts_to_copy_once(
    workspace, make_member, django_capture_on_commit_callbacks
):
    staff, quiet, lead = make_member(Role.CONTRIBUTOR), make_member(Role.CONTRIBUTOR), make_member(Role.CONTENT_LEAD)
    Ambassador.objects.create(workspace=workspace, user=staff.user, full_name="Sam Staff")
    Ambassador.objects.create(workspace=workspace, user=quiet.user, full_name="Quinn", relays_posts=False)
    Ambassador.objects.create(workspace=workspace, full_name="No account", email="x@example.test")
    PublicationFactory(
        workspace=workspace, status=Publication.Status.SCHEDULED, copy="Our new plant opens today!",
        scheduled_at=datetime(2026, 12, 3, 9, 0, tzinfo=UTC),
    )  # fmt: skip
    ExampleText.objects.create(
        workspace=workspace, month=date(2026, 12, 1), title="Proud of our plant", text="So proud of the team #plant"
    )
    with (
        time_machine.travel(datetime(2026, 12, 1, 8, 0, tzinfo=UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send_ambassador_monthly.delay()
        send_ambassador_monthly.delay()
    (told,) = of(staff)
    assert (
        told.kind == "ambassador_relay" and told.title == "December 2026: 1 publication to relay, 1 text ready to copy"
    )
    assert "Our new plant opens today!" in told.body and "So proud of the team #plant" in told.body
    assert "Thu 03 Dec, 10:00" in told.body  # the workspace's time (Paris)
    assert _kinds(quiet) == _kinds(lead) == []
    assert len(mails_to(staff.user.email)) == 1  # the monthly staff mail is e-mailed at once by default


def test_nothing_to_relay_sends_nothing(workspace, make_member):
    staff = make_member(Role.CONTRIBUTOR)
    Ambassador.objects.create(workspace=workspace, user=staff.user, full_name="Sam Staff")
    assert stakeholders_services.ambassadors_monthly_notify(workspace=workspace, month_start=date(2026, 12, 1)) == 0
    assert of(staff) == []


@time_machine.travel("2026-11-23 10:00Z", tick=False)
def test_an_expired_connection_tells_the_admins_once(workspace, other_workspace, make_member):
    admin, analyst = make_member(Role.ADMIN), make_member(Role.ANALYST)
    outsider = make_member(Role.ADMIN, ws=other_workspace)
    profile = TrackedProfileFactory(workspace=workspace, source=TrackedProfile.Source.LIVE, handle="acme")
    for _ in range(2):  # "Pull now" again before anyone reconnected: the same stopped run
        with pytest.raises(AuthExpired):
            pull_run(profile=profile)
    (told,) = of(admin)
    assert told.kind == "connection_needs_attention" and "@acme" in told.title
    assert _kinds(analyst) == _kinds(outsider) == []
    assert len(mail.outbox) == 0  # sent on commit, which this test's transaction never reaches


def test_an_audit_run_tells_the_audit_owners_of_new_critical_findings_only(workspace, make_member):
    runner, strategist = make_member(Role.ADMIN), make_member(Role.STRATEGY_LEAD)
    analyst = make_member(Role.ANALYST)  # reads the audit, does not own it
    grant = AccessGrantFactory(account__workspace=workspace, level=AccessGrant.Level.ADMIN, still_with_company=False)
    audits_services.audit_run(workspace=workspace, by=runner.user)
    (told,) = of(strategist)
    assert told.kind == "audit_critical" and grant.person_name in told.body
    assert _kinds(runner) == _kinds(analyst) == []
    audits_services.audit_run(workspace=workspace, by=runner.user)  # still critical: told already
    assert len(of(strategist)) == 1
    AccessGrantFactory(account__workspace=workspace, level=AccessGrant.Level.OWNER, still_with_company=False)
    audits_services.audit_run(workspace=workspace, by=runner.user)
    assert len(of(strategist)) == 2 and "1 new critical finding" in of(strategist)[0].title


def test_the_monthly_report_ready_tells_the_executives_once(workspace, make_member):
    executive, analyst = make_member(Role.EXECUTIVE), make_member(Role.ANALYST)
    with time_machine.travel(datetime(2026, 11, 1, 6, 0, tzinfo=UTC)):
        monthly_report_run(workspace=workspace, month=date(2026, 10, 1))
        monthly_report_run(workspace=workspace, month=date(2026, 10, 1))
    (told,) = of(executive)
    assert told.kind == "report_ready" and "October 2026" in told.title and told.link == "/reports/2026-10/"
    assert _kinds(analyst) == []
    assert told.email == "off"  # the report itself is their e-mail


def test_the_digest_and_the_calendar_notifications_are_scheduled():
    from django_celery_beat.models import PeriodicTask

    from smm.celery import app

    app.loader.import_default_modules()
    entries = {e.task: e for e in PeriodicTask.objects.filter(task__contains="notif") | PeriodicTask.objects.filter(
        task__startswith="stakeholders.tasks."
    )}  # fmt: skip
    assert set(entries) == {
        "notifications.tasks.send_daily_digests",
        "stakeholders.tasks.remind_follow_ups_due",
        "stakeholders.tasks.send_ambassador_monthly",
    }
    assert set(entries) <= set(app.tasks)
    assert entries["notifications.tasks.send_daily_digests"].crontab.hour == "*"  # each workspace by its own hour
    assert entries["stakeholders.tasks.send_ambassador_monthly"].crontab.day_of_month == "1"
