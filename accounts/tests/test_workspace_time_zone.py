"""Every request runs in its workspace's time zone: what "today" is, what a page shows, what a form reads."""

from datetime import UTC, date, datetime

import time_machine

from accounts.roles import Role
from audits.tests.factories import AccessGrantFactory


@time_machine.travel(datetime(2026, 12, 1, 23, 30, tzinfo=UTC), tick=False)
def test_late_evening_in_utc_is_already_tomorrow_in_the_workspace(client_as, workspace):
    workspace.time_zone = "Asia/Tokyo"
    workspace.save()
    client = client_as(Role.ADMIN)
    grant = AccessGrantFactory(account__workspace=workspace, last_reviewed_on=None)
    client.post(f"/audit/access/{grant.pk}/review/")
    grant.refresh_from_db()
    assert grant.last_reviewed_on == date(2026, 12, 2)  # 08:30 on the 2nd in Tokyo
