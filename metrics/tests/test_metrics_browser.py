"""The metrics pages in a real browser: charts draw, and an admin pulls a profile now."""

import contextlib

import pytest

from accounts.roles import Role
from metrics.services import pull_run

from .factories import TrackedProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analyst_sees_the_charts_drawn_with_their_denominator(page, browser_login, make_member, workspace):
    member = make_member(Role.ANALYST)
    pull_run(profile=TrackedProfileFactory(workspace=workspace, handle="browser_brand"), backfill=True)
    browser_login(member.user.email)
    page.goto("/metrics/")
    assert page.locator("#followers-chart").bounding_box()["height"] > 100
    # Chart.js registers each drawn chart; three charts, all drawn.
    assert page.evaluate("Object.keys(Chart.instances).length") == 3
    assert "followers on the day of posting" in page.get_by_test_id("denominator").inner_text()


def test_admin_pulls_now_from_the_connections_page(page, browser_login, make_member, workspace):
    member = make_member(Role.ADMIN)
    profile = TrackedProfileFactory(workspace=workspace, handle="click_brand")
    browser_login(member.user.email)
    page.goto("/metrics/connections/")
    page.get_by_test_id(f"connection-{profile.pk}").get_by_role("button", name="Pull now").click()
    page.wait_for_load_state("networkidle")
    assert "is queued" in page.locator(".alert").inner_text()
    assert "OK" in page.get_by_test_id(f"connection-{profile.pk}").inner_text()


@pytest.mark.parametrize("width", [390, 1440])
def test_a_stopped_backfill_and_a_stopped_profile_read_plainly_at_phone_and_desktop_widths(
    page, browser_login, make_member, workspace, width
):
    from datetime import timedelta

    from django.utils import timezone

    from metrics.models import PullRun
    from metrics.services import pull_runs_reap

    member = make_member(Role.ADMIN)
    stopped = TrackedProfileFactory(workspace=workspace, handle="stopped_backfill")
    PullRun.objects.create(
        profile=stopped,
        kind=PullRun.Kind.BACKFILL,
        posts_done=900,
        posts_expected=1252,
        pages_done=9,
        cursor="900",
        attempts=1,
        heartbeat_at=timezone.now() - timedelta(minutes=10),
    )
    pull_runs_reap()
    gone = TrackedProfileFactory(workspace=workspace, handle="suspended")
    pull_run_quietly(gone)
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(member.user.email)
    page.goto("/metrics/connections/")
    row = page.get_by_test_id(f"connection-{stopped.pk}")
    assert "Backfill stopped after 900 of 1,252 posts" in row.get_by_test_id("pull-stopped").inner_text()
    assert row.get_by_role("button", name="Resume backfill").is_enabled()
    assert "Scheduled pulls stopped." in page.get_by_test_id(f"connection-{gone.pk}").inner_text()
    # The page itself never scrolls sideways; the table scrolls inside its own box on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=f"screenshots/connections-stopped-{width}.png", full_page=True)


def pull_run_quietly(profile):
    from metrics.connectors.base import ConnectorError

    with contextlib.suppress(ConnectorError):  # recorded: the page shows it
        pull_run(profile=profile)


def test_pull_now_shows_queued_then_done_in_the_row_without_a_reload(
    page, browser_login, make_member, workspace, monkeypatch
):
    """The queue takes the pull but no worker runs it until the row says "queued"; then it runs (the real task,
    through the outbox's claim) and the row turns to done by itself: the page is never reloaded."""
    from outbox import registry
    from outbox.models import QueuedAction

    class QueueThatHoldsIt:
        def apply_async(self, **options):
            return None

    real_task_for = registry.task_for
    monkeypatch.setattr(registry, "task_for", lambda name: QueueThatHoldsIt())
    member = make_member(Role.ADMIN)
    profile = TrackedProfileFactory(workspace=workspace, handle="live_brand")
    browser_login(member.user.email)
    page.goto("/metrics/connections/")
    page.get_by_test_id(f"connection-{profile.pk}").get_by_role("button", name="Pull now").click()
    page.wait_for_load_state("networkidle")
    live = page.get_by_test_id(f"pull-live-{profile.pk}")
    assert "Pull queued" in live.inner_text()
    page.evaluate("window.__notReloaded = true")

    action = QueuedAction.objects.get(name="metrics.pull_now", arguments__profile_id=profile.pk)
    real_task_for(action.name).apply(kwargs=action.arguments, task_id=action.task_id, retries=action.attempts)

    page.locator(f'[data-testid="pull-live-{profile.pk}"][data-state="done"]').wait_for(timeout=10_000)
    assert "Pull done" in live.inner_text()
    assert page.evaluate("window.__notReloaded === true")


def test_a_connections_failed_days_show_when_opened(page, browser_login, make_member, workspace):
    from metrics.models import PullRun
    from metrics.pull_run_days import pull_runs_count

    member = make_member(Role.ADMIN)
    profile = TrackedProfileFactory(workspace=workspace, handle="flaky_brand")
    PullRun.objects.create(profile=profile, status=PullRun.Status.FAILED, error_kind="auth")
    pull_runs_count()
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else 0)
    browser_login(member.user.email)
    page.goto("/metrics/connections/")
    failed = page.get_by_test_id(f"failed-days-{profile.pk}")
    assert failed.locator("table").count() == 0  # not read until opened
    failed.locator("summary").click()
    failed.locator("table").wait_for()
    assert "auth" in failed.inner_text() and failed.locator("summary").inner_text() == "Failed days"
    assert refused == []
