"""The metrics page reads a window: a page of 25 accounts in its table and charts, whatever the brand's number."""

import pytest
from django.utils import timezone

from accounts.roles import Role
from metrics.models import ProfileDay
from metrics.platforms import Platform
from tests.reads import reads

from .factories import TrackedProfileFactory

pytestmark = pytest.mark.django_db


def _profiles(workspace, count, start=0):
    profiles = [
        TrackedProfileFactory(workspace=workspace, platform=Platform.X, handle=f"brand{n:03d}")
        for n in range(start, start + count)
    ]
    ProfileDay.objects.bulk_create(
        ProfileDay(profile=p, date=timezone.localdate(), followers=1000 + i) for i, p in enumerate(profiles)
    )


def _shown(client, query=""):
    response = client.get("/metrics/" + query)
    assert response.status_code == 200
    page = response.content.decode()
    charted = response.context["charts"]["profiles"]
    return page, page.count('data-figure="followers"'), [c["label"] for c in charted]


def test_the_metrics_page_shows_and_charts_25_accounts_a_page_and_keeps_the_period(client_as, workspace):
    client = client_as(Role.ADMIN)
    _profiles(workspace, 30)
    page, rows, charted = _shown(client, "?days=90")
    assert rows == 25 and len(charted) == 25 and "@brand000" in page and "@brand025" not in page
    assert "1\u201325 of 30 accounts" in page and "Page 1 of 2" in page
    assert 'href="?days=90&amp;page=2"' in page
    page, rows, charted = _shown(client, "?days=90&page=2")
    assert rows == 5 and charted == [f"@brand{n:03d} (X (Twitter))" for n in range(25, 30)]
    assert "@brand025" in page and "@brand000" not in page


def test_the_metrics_page_reads_as_much_for_30_accounts_as_for_60(client_as, workspace):
    client = client_as(Role.ADMIN)
    _profiles(workspace, 30)
    client.get("/metrics/")
    with reads() as few:
        client.get("/metrics/")
    _profiles(workspace, 30, start=30)
    with reads() as many:
        assert _shown(client)[1] == 25
    assert many == few
