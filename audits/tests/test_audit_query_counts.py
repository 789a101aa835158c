"""The audit pages read in a fixed number of queries, however many accounts, people and findings there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from audits import services
from metrics.models import TrackedProfile

from .factories import AccessGrantFactory, SocialAccountFactory

PAGES = ["/audit/", "/audit/accounts/", "/audit/access/", "/audit/tools/", "/audit/compare/"]


def grow(workspace, owner, n):
    for _ in range(n):
        profile = TrackedProfile.objects.create(
            workspace=workspace, platform="instagram", handle=f"p{TrackedProfile.objects.count()}"
        )
        account = SocialAccountFactory(workspace=workspace, owner=owner, tracked_profile=profile)
        AccessGrantFactory(account=account, two_factor=False)
        AccessGrantFactory(account=account, member=owner, person_name="", person_email="")
        services.tool_save(workspace=workspace, name=f"Tool {account.pk}", purpose="ads", monthly_cost=5, users=[owner])
    services.audit_run(workspace=workspace, by=None)


def queries(client, path):
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context)


@pytest.mark.parametrize("path", PAGES)
def test_an_audit_page_does_not_run_more_queries_as_data_grows(client_as, workspace, path):
    client = client_as(Role.ADMIN)
    owner = client.membership.user
    grow(workspace, owner, 2)
    services.audit_run(workspace=workspace, by=None)  # two runs to compare from the start
    queries(client, path)  # the first request also writes the session
    small = queries(client, path)
    grow(workspace, owner, 8)
    assert queries(client, path) == small
