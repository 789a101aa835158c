"""The publishing calendar's feed gives the same wall-clock times on PostgreSQL (timezone() in SQL) and elsewhere
(SQLite, what `make run` uses without DATABASE_URL: made in Python). It failed with a 500 on SQLite."""

from datetime import UTC, datetime
from unittest import mock

import pytest

from calendar_app import selectors

from .factories import PublicationFactory

pytestmark = pytest.mark.django_db


def test_the_feed_gives_the_same_local_times_whichever_database_computes_them(workspace):
    PublicationFactory(workspace=workspace, scheduled_at=datetime(2026, 3, 29, 8, 0, tzinfo=UTC))  # 10:00, summer time
    PublicationFactory(workspace=workspace, scheduled_at=datetime(2026, 3, 28, 23, 45, tzinfo=UTC))  # 00:45 the 29th
    window = {"start": datetime(2026, 3, 1, tzinfo=UTC), "end": datetime(2026, 4, 30, tzinfo=UTC)}
    by_database = selectors.publication_feed(workspace=workspace, **window)
    with mock.patch.object(selectors.connection, "vendor", "sqlite"):
        in_python = selectors.publication_feed(workspace=workspace, **window)
    assert [(r[1], r[2]) for r in in_python] == [
        ("2026-03-29T00:45", "2026-03-29T01:15"),
        ("2026-03-29T10:00", "2026-03-29T10:30"),
    ]
    assert in_python == by_database or selectors.connection.vendor != "postgresql"
