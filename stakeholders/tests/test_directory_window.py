"""The directory shows one page of contacts: it reads 50 rows, and counts every contact once, in one grouped query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role

from .factories import ContactFactory, DepartmentFactory

pytestmark = pytest.mark.django_db


def _queries(client) -> list[str]:
    client.get("/stakeholders/")  # the first request after the login writes to the session
    with CaptureQueriesContext(connection) as captured:
        body = client.get("/stakeholders/").content.decode()
    return body, [q["sql"] for q in captured.captured_queries]


def test_the_directory_reads_a_page_and_counts_in_one_grouped_query_whatever_the_number_of_contacts(
    client_as, workspace
):
    client = client_as(Role.ADMIN)
    sales, events = DepartmentFactory(workspace=workspace, name="Sales"), DepartmentFactory(workspace=workspace)
    ContactFactory(workspace=workspace, department=sales, is_met=True)
    _, small = _queries(client)
    for n in range(60):
        ContactFactory(workspace=workspace, department=(sales, events, None)[n % 3], is_met=n % 2 == 0)
    body, large = _queries(client)
    assert len(large) == len(small)
    whole = [sql for sql in large if 'FROM "stakeholders_contact"' in sql and "LIMIT" not in sql]
    assert len(whole) == 1 and "GROUP BY" in whole[0], whole
    assert not any('JOIN "stakeholders_contact"' in sql and "LIMIT" not in sql for sql in large)
    assert 'data-testid="total-contacts">61<' in body
    assert "Page 1 of 2" in body
