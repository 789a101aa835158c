"""Services that write several rows write all of them or none: the database connection is cut for real
(pg_terminate_backend from another connection) just before the service's second write, and nothing of the
first write may be left behind. Also the check-then-write races of the services that had them."""

import threading
from contextlib import contextmanager
from datetime import UTC, date, datetime

import psycopg2
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection

from accounts import services as accounts_services
from accounts.models import Invitation, Membership, Workspace
from accounts.roles import Role
from audits import services as audits_services
from audits.models import AuditRun, Finding, Tool
from audits.rules import Draft
from competitors import services as competitors_services
from competitors.models import Competitor, SwotItem, SwotSuggestion, SwotVersion
from metrics.models import TrackedProfile
from stakeholders import services as stakeholders_services
from stakeholders.models import Contact, FollowUp, Meeting
from strategy import services as strategy_services
from strategy.models import BudgetLine, StrategyRevision
from tests.markers import requires_postgres

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def _terminate(pid: int) -> None:
    db = connection.settings_dict
    other = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"] or 5432
    )
    try:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            # The backend exits asynchronously: wait until it is gone, so the next statement surely fails.
            for _ in range(200):
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone()[0] == 0:
                    return
                threading.Event().wait(0.01)
    finally:
        other.close()


@contextmanager
def connection_cut_before(statement_start: str):
    """Terminate this thread's database connection just before the first statement that starts so."""
    cut = []

    def wrapper(execute, sql, params, many, context):
        if not cut and sql.lstrip().startswith(statement_start):
            cut.append(sql)
            _terminate(connection.connection.get_backend_pid())
        return execute(sql, params, many, context)

    try:
        with connection.execute_wrapper(wrapper):
            yield cut
    finally:
        connection.close()  # the next query opens a fresh connection, as the next request would
        assert cut, f"no statement started with {statement_start!r}: the fault never happened"


def test_an_invitation_that_fails_to_save_leaves_the_earlier_one_open_and_mails_no_one(workspace, make_member):
    admin = make_member(Role.ADMIN).user

    def invite():
        return accounts_services.invitation_create(
            workspace=workspace,
            email="new@acme.test",
            role=Role.ANALYST,
            invited_by=admin,
            accept_url_builder=lambda inv: f"https://smm.test/accept/{inv.pk}",
        )

    first = invite()
    mail.outbox.clear()
    with pytest.raises(DatabaseError), connection_cut_before('INSERT INTO "accounts_invitation"'):
        invite()
    first.refresh_from_db()
    assert first.revoked_at is None  # the revocation was rolled back with the failed insert
    assert Invitation.objects.count() == 1 and mail.outbox == []


def test_a_workspace_whose_admin_membership_fails_is_not_created(make_member):
    owner = make_member(Role.ANALYST).user
    with pytest.raises(DatabaseError), connection_cut_before('INSERT INTO "accounts_membership"'):
        accounts_services.workspace_create(name="Half made", owner=owner)
    assert not Workspace.objects.filter(name="Half made").exists()


def test_a_meeting_whose_follow_ups_fail_is_not_logged_and_the_contact_stays_not_met(workspace):
    contact = Contact.objects.create(workspace=workspace, full_name="Ana")
    drafts = [stakeholders_services.FollowUpDraft(description="Send the deck", due_on=date(2026, 12, 1))]
    with pytest.raises(DatabaseError), connection_cut_before('INSERT INTO "stakeholders_followup"'):
        stakeholders_services.meeting_log(contact=contact, by=None, date=date(2026, 11, 20), follow_ups=drafts)
    assert not Meeting.objects.exists() and not FollowUp.objects.exists()
    contact.refresh_from_db()
    assert contact.is_met is False


def test_an_audit_run_whose_findings_fail_is_not_recorded(workspace):
    drafts = [Draft(rule="no_owner", key="no_owner:1", severity="high", title="No owner")]
    with pytest.raises(DatabaseError), connection_cut_before('INSERT INTO "audits_finding"'):
        audits_services.audit_run_record(workspace=workspace, by=None, ran_at=datetime.now(UTC), drafts=drafts)
    assert not AuditRun.objects.exists() and not Finding.objects.exists()


def test_a_tool_whose_users_fail_to_save_is_not_added(workspace, make_member):
    user = make_member(Role.ANALYST).user
    with pytest.raises(DatabaseError), connection_cut_before('INSERT INTO "audits_tool_users"'):
        audits_services.tool_save(workspace=workspace, name="Listening", purpose="listening", users=[user])
    assert not Tool.objects.exists()


def test_a_strategy_change_whose_revision_fails_is_not_saved(workspace):
    line = BudgetLine(workspace=workspace, label="Ads", amount=100)
    with pytest.raises(DatabaseError), connection_cut_before('INSERT INTO "strategy_strategyrevision"'):
        strategy_services.strategy_item_save(item=line, by=None)
    assert not BudgetLine.objects.exists() and not StrategyRevision.objects.exists()


def test_a_competitor_whose_profile_link_fails_leaves_no_competitor_and_no_profile(workspace):
    with pytest.raises(DatabaseError), connection_cut_before('INSERT INTO "competitors_competitorprofile"'):
        competitors_services.competitor_create(workspace=workspace, name="Rival", handles={"x": "rival"})
    assert not Competitor.objects.exists() and not TrackedProfile.objects.exists()


def test_an_accepted_suggestion_whose_decision_fails_adds_no_item_and_no_version(workspace):
    suggestion = SwotSuggestion.objects.create(workspace=workspace, key="k", quadrant="S", text="Strong video")
    with pytest.raises(DatabaseError), connection_cut_before('UPDATE "competitors_swotsuggestion"'):
        competitors_services.swot_suggestion_accept(suggestion=suggestion, by=None)
    assert not SwotItem.objects.exists() and not SwotVersion.objects.exists()
    assert SwotSuggestion.objects.get().status == SwotSuggestion.Status.OPEN


# Check-then-write races


def _race(*actions):
    """Run the actions at the same moment, each on its own connection; what each returned or raised."""
    barrier, results = threading.Barrier(len(actions)), [None] * len(actions)

    def run(i, action):
        try:
            barrier.wait()
            results[i] = action()
        except Exception as error:  # the outcome under test: a refusal, or a crash
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_admins_demoting_each_other_at_once_leave_one_admin(workspace, make_member):
    for _ in range(5):  # a race: several rounds, so that the two requests truly overlap in some
        Membership.objects.filter(workspace=workspace).delete()
        a, b = make_member(Role.ADMIN), make_member(Role.ADMIN)
        results = _race(
            lambda a=a, b=b: accounts_services.membership_set_role(membership=a, role=Role.ANALYST, by=b),
            lambda a=a, b=b: accounts_services.membership_set_role(membership=b, role=Role.ANALYST, by=a),
        )
        refused = [r for r in results if isinstance(r, ValidationError)]
        assert len(refused) == 1 and "at least one admin" in refused[0].messages[0]
        assert Membership.objects.filter(workspace=workspace, role=Role.ADMIN).count() == 1


def test_two_people_accepting_one_suggestion_at_once_add_one_point(workspace):
    suggestion = SwotSuggestion.objects.create(workspace=workspace, key="k", quadrant="S", text="Strong video")
    results = _race(
        lambda: competitors_services.swot_suggestion_accept(suggestion=suggestion, by=None),
        lambda: competitors_services.swot_suggestion_accept(suggestion=suggestion, by=None),
    )
    assert sum(isinstance(r, SwotItem) for r in results) == 1
    assert [str(r) for r in results if isinstance(r, Exception)] == ["['This suggestion was already decided.']"]
    assert SwotItem.objects.count() == 1


def test_two_departments_with_one_name_at_once_answer_the_message_not_an_error(workspace):
    results = _race(
        *[lambda: stakeholders_services.department_create(workspace=workspace, name="Legal") for _ in range(4)]
    )
    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert {str(r) for r in results if isinstance(r, Exception)} == {"['There is already a department called Legal.']"}
