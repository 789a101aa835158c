"""A workflow step writes its state and its history line together: a database connection cut between the two
leaves neither (it was 3 publications "in review" with no "submitted" line in 242 before)."""

import psycopg2
import pytest
from django.db import DatabaseError, InterfaceError, connection

from accounts.roles import Role
from calendar_app import services
from calendar_app.models import Publication
from tests.markers import requires_postgres

from .factories import PublicationFactory

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]
S = Publication.Status


@pytest.fixture
def cut_before_history(monkeypatch):
    """Terminate this connection's server process from another one, right before the history line is written."""
    write_history = services._event

    def cut_then_write(*args, **kwargs):
        pid = connection.connection.get_backend_pid()
        other = psycopg2.connect(**connection.get_connection_params())
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        finally:
            other.close()  # psycopg2's `with connection` ends the transaction, not the connection
        return write_history(*args, **kwargs)

    monkeypatch.setattr(services, "_event", cut_then_write)


def _after_reconnecting(publication):
    connection.close()
    publication.refresh_from_db()
    return publication.status, list(publication.events.values_list("action", flat=True))


def test_a_submission_cut_mid_way_leaves_the_draft_as_it_was(workspace, cut_before_history):
    draft = PublicationFactory(workspace=workspace, status=S.DRAFT)
    with pytest.raises((DatabaseError, InterfaceError)):
        services.publication_submit(publication=draft, by=None)
    assert _after_reconnecting(draft) == (S.DRAFT, [])


def test_a_change_request_cut_mid_way_leaves_the_review_as_it_was(workspace, make_member, cut_before_history):
    lead = make_member(Role.ADMIN)
    in_review = PublicationFactory(workspace=workspace, status=S.IN_REVIEW)
    with pytest.raises((DatabaseError, InterfaceError)):
        services.publication_request_changes(publication=in_review, membership=lead, comment="Shorter.")
    assert _after_reconnecting(in_review) == (S.IN_REVIEW, [])


def test_the_calendar_settings_are_saved_together_or_not_at_all(workspace, monkeypatch):
    services.calendar_settings_update(
        workspace=workspace,
        approver_roles=["admin"],
        final_approval_required=False,
        targets={},
    )

    def broken(**kwargs):
        raise DatabaseError("the connection dropped")

    monkeypatch.setattr(services, "frequency_targets_set", broken)
    with pytest.raises(DatabaseError):
        services.calendar_settings_update(
            workspace=workspace,
            approver_roles=["admin", "strategy_lead"],
            final_approval_required=True,
            targets={"x": 5},
        )
    rules = services.approval_settings_for(workspace)
    assert (rules.approver_roles, rules.final_approval_required) == (["admin"], False)
