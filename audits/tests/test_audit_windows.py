"""The inventory and the access register print a window of rows (the pager under it): their queries and the rows
they read stay the same however many accounts and accesses the workspace records; the CSV exports stay complete."""

import csv
import io

import pytest

from accounts.roles import Role
from audits import views
from audits.models import AccessGrant, SocialAccount
from tests.reads import reads

from .factories import AccessGrantFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


def grow(workspace, n):
    SocialAccount.objects.bulk_create(
        SocialAccount(workspace=workspace, platform="instagram", handle=f"grown{SocialAccount.objects.count()}x{i}")
        for i in range(n)
    )
    accounts = list(SocialAccount.objects.filter(workspace=workspace).order_by("-pk")[:n])
    AccessGrant.objects.bulk_create(
        AccessGrant(workspace=workspace, account=a, person_name=f"P {a.pk}", person_email=f"p{a.pk}@x.test")
        for a in accounts
    )


def measure(client, path):
    client.get(path)  # the first request writes the session
    with reads() as seen:
        assert client.get(path).status_code == 200
    return seen


@pytest.mark.parametrize("path", ["/audit/accounts/", "/audit/access/"])
def test_a_register_reads_a_window_whatever_its_size(client_as, workspace, path):
    client = client_as(Role.ADMIN)
    grow(workspace, 3)
    small = measure(client, path)
    grow(workspace, 3 * views.PAGE_SIZE)
    large = measure(client, path)
    assert large[0] == small[0]
    # The rows read grow with the window (3 -> PAGE_SIZE rows) but not with the register past it.
    assert large[1] <= small[1] + 2 * views.PAGE_SIZE
    grow(workspace, 3 * views.PAGE_SIZE)
    assert measure(client, path) == large


def test_the_inventory_is_paged_and_the_export_keeps_every_account(client_as, workspace):
    client = client_as(Role.ADMIN)
    SocialAccountFactory.create_batch(views.PAGE_SIZE + 5, workspace=workspace)
    first = client.get("/audit/accounts/").content.decode()
    second = client.get("/audit/accounts/?page=2").content.decode()
    assert 'data-testid="pager"' in first and "Page 1 of 2" in first
    shown = [a for a in SocialAccount.objects.filter(workspace=workspace) if f"@{a.handle}<" in first]
    rest = [a for a in SocialAccount.objects.filter(workspace=workspace) if f"@{a.handle}<" in second]
    assert len(shown) == views.PAGE_SIZE and len(rest) == 5 and not set(shown) & set(rest)
    rows = list(csv.reader(io.StringIO(client.get("/audit/export/accounts.csv").content.decode())))
    assert len(rows) == views.PAGE_SIZE + 5 + 1  # and the header


def test_the_access_register_is_paged_and_the_export_keeps_every_access(client_as, workspace):
    client = client_as(Role.ADMIN)
    AccessGrantFactory.create_batch(views.PAGE_SIZE + 5, account__workspace=workspace)
    first = client.get("/audit/access/").content.decode()
    second = client.get("/audit/access/?page=2").content.decode()
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert first.count('data-testid="reviewed-on"') == views.PAGE_SIZE
    assert second.count('data-testid="reviewed-on"') == 5
    rows = list(csv.reader(io.StringIO(client.get("/audit/export/access.csv").content.decode())))
    assert len(rows) == views.PAGE_SIZE + 5 + 1
