"""The directory's totals (the team home's "Not met yet" and the directory page): counted from the index alone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stakeholders import selectors

from .factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_the_totals_count_the_contacts_met_and_not_without_reading_their_ids(workspace, other_workspace):
    ContactFactory.create_batch(3, workspace=workspace, is_met=True)
    ContactFactory.create_batch(2, workspace=workspace, is_met=False)
    ContactFactory(workspace=other_workspace, is_met=False)
    with CaptureQueriesContext(connection) as queries:
        totals = selectors.directory_totals(workspace=workspace)
    assert totals == {"total": 5, "met": 3, "not_met": 2}
    # COUNT of the id column makes PostgreSQL read each contact's row instead of the (workspace, is_met) index.
    (query,) = queries
    assert 'COUNT("stakeholders_contact"."id")' not in query["sql"], query["sql"]
