"""Permanent outcomes (not found, invalid handle, not available, no live connector) stop the scheduled pulls
until someone changes the profile or asks again; the connections page says so, with the next step."""

import html
from datetime import timedelta

import pytest
import responses
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from metrics.models import PullRun, TrackedProfile
from metrics.platforms import Platform
from metrics.services import credential_save, profile_pulls_resume
from metrics.tasks import pull_due_profiles

from .factories import TrackedProfileFactory

pytestmark = pytest.mark.django_db
NOW = "2026-11-23 10:00Z"
API = "https://api.twitter.com/2"
# X answers an unknown username with HTTP 200, no `data` and an `errors` array (its documented problem shape).
X_USER_NOT_FOUND = {
    "errors": [
        {
            "value": "acme",
            "detail": "Could not find user with username: [acme].",
            "title": "Not Found Error",
            "resource_type": "user",
            "parameter": "username",
            "resource_id": "acme",
            "type": "https://api.twitter.com/2/problems/resource-not-found",
        }
    ]
}
X_USER = {"data": {"id": "42", "name": "Acme", "username": "acme", "public_metrics": {"followers_count": 1000}}}


def _beat_ticks(count: int, every=timedelta(hours=6)) -> int:
    """Run the fan-out `count` times, `every` apart; the pulls it queued in all."""
    queued = 0
    for tick in range(1, count + 1):
        with time_machine.travel(timezone.now() + tick * every, tick=False):
            queued += pull_due_profiles.delay().get()
    return queued


@time_machine.travel(NOW, tick=False)
def test_a_handle_not_found_is_not_polled_again_by_the_schedule(workspace):
    profile = TrackedProfileFactory(workspace=workspace, handle="suspended")
    assert pull_due_profiles.delay().get() == 1
    assert _beat_ticks(8) == 0  # two days of ticks: nothing (it was polled every 6 hours for ever)
    assert PullRun.objects.filter(profile=profile).count() == 1
    profile.refresh_from_db()
    assert (profile.pulls_stopped, profile.pulls_are_stopped) == ("not_found", True)
    assert PullRun.objects.get(profile=profile).status == PullRun.Status.NOT_FOUND


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("change", ["save", "update"])
def test_changing_the_handle_resumes_the_schedule_however_it_is_changed(workspace, change):
    profile = TrackedProfileFactory(workspace=workspace, handle="suspended")
    pull_due_profiles.delay().get()
    profile.refresh_from_db()  # as the admin's change form loads it
    assert profile.pulls_are_stopped
    if change == "save":  # the admin's change form, the competitors page
        profile.handle = "back_brand"
        profile.save()
    else:  # any other path that writes the row
        TrackedProfile.objects.filter(pk=profile.pk).update(handle="back_brand")
    assert pull_due_profiles.delay().get() == 1
    profile.refresh_from_db()
    assert PullRun.objects.filter(profile=profile).latest("pk").status == PullRun.Status.SUCCESS
    assert profile.pulls_stopped == "" and not profile.pulls_are_stopped


@time_machine.travel(NOW, tick=False)
def test_a_profile_switched_from_a_network_without_live_connector_to_demo_figures_is_pulled_again(workspace):
    profile = TrackedProfileFactory(
        workspace=workspace, platform=Platform.YOUTUBE, handle="acme", source=TrackedProfile.Source.LIVE
    )
    assert pull_due_profiles.delay().get() == 1
    profile.refresh_from_db()
    assert profile.pulls_stopped == "no_connector"
    assert _beat_ticks(2) == 0
    profile.source = TrackedProfile.Source.DEMO
    profile.save(update_fields=["source"])
    assert pull_due_profiles.delay().get() == 1


@responses.activate
@time_machine.travel(NOW, tick=False)
def test_pull_now_asks_again_and_its_success_puts_the_profile_back_on_schedule(
    client_as, workspace, django_capture_on_commit_callbacks
):
    credential_save(workspace=workspace, platform=Platform.X, token="live-bearer-token")
    profile = TrackedProfileFactory(workspace=workspace, handle="acme", source=TrackedProfile.Source.LIVE)
    responses.get(f"{API}/users/by/username/acme", json=X_USER_NOT_FOUND)
    responses.get(f"{API}/users/by/username/acme", json=X_USER)  # the account is back
    responses.get(f"{API}/users/42/tweets", json={"meta": {"result_count": 0}})
    assert pull_due_profiles.delay().get() == 1
    assert _beat_ticks(4) == 0
    assert len(responses.calls) == 1

    client = client_as(Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("metrics:pull_now", args=[profile.pk]))
    profile.refresh_from_db()
    assert not profile.pulls_are_stopped
    assert PullRun.objects.filter(profile=profile, kind=PullRun.Kind.MANUAL, status=PullRun.Status.SUCCESS).exists()
    with time_machine.travel(profile.next_pull_at, tick=False):
        assert pull_due_profiles.delay().get() == 1  # scheduled again


@time_machine.travel(NOW, tick=False)
def test_resuming_by_hand_puts_a_stopped_profile_back_on_schedule(workspace):
    profile = TrackedProfileFactory(workspace=workspace, handle="gone_brand")
    pull_due_profiles.delay().get()
    profile.refresh_from_db()
    profile_pulls_resume(profile=profile)  # the admin's "Pull on schedule again"
    assert pull_due_profiles.delay().get() == 1


@time_machine.travel(NOW, tick=False)
def test_an_expired_token_keeps_needing_attention_rather_than_stopping(workspace):
    profile = TrackedProfileFactory(workspace=workspace, handle="acme", source=TrackedProfile.Source.LIVE)
    pull_due_profiles.delay().get()  # no credential for X in this workspace
    profile.refresh_from_db()
    assert profile.needs_attention and profile.pulls_stopped == ""
    credential_save(workspace=workspace, platform=Platform.X, token="new-token")
    profile.refresh_from_db()
    assert not profile.needs_attention and profile.next_pull_at is None


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("platform", "handle", "is_own", "source", "says"),
    [
        (Platform.X, "suspended", True, "demo", "says @suspended is unknown, suspended or protected. Check the handle"),
        (Platform.YOUTUBE, "ours", True, "live", "The app has no live connector for YouTube yet."),
    ],
)
def test_the_connections_page_says_why_pulls_stopped_and_what_to_do(
    client_as, workspace, platform, handle, is_own, source, says
):
    TrackedProfileFactory(workspace=workspace, platform=platform, handle=handle, is_own=is_own, source=source)
    pull_due_profiles.delay().get()
    content = html.unescape(client_as(Role.ANALYST).get(reverse("metrics:connections")).content.decode())
    assert "Scheduled pulls stopped." in content and "Pulls stopped" in content
    assert says in content
    assert "none scheduled: “Pull now” tries again" in content


def test_a_network_that_stopped_giving_an_accounts_figures_says_so_on_its_row(client_as, workspace):
    # Meta's answer for another brand's Page without Page Public Content Access (metrics/connectors/meta.py): the
    # pulls stop; a LinkedIn competitor is never pulled at all (test_linkedin_connector).
    profile = TrackedProfileFactory(workspace=workspace, platform=Platform.FACEBOOK, handle="rival", is_own=False,
                                    source="live")  # fmt: skip
    TrackedProfile.objects.filter(pk=profile.pk).update(
        pulls_stopped="not_available", pulls_stopped_for=profile.pull_identity, last_error_kind="not_available"
    )
    content = html.unescape(client_as(Role.ANALYST).get(reverse("metrics:connections")).content.decode())
    assert "Pulls stopped" in content and "does not give this account's figures to this app" in content
    assert "none scheduled: “Pull now” tries again" in content


def test_the_team_home_says_which_accounts_no_longer_pull(client_as, workspace):
    # A live account on a network the app has no connector for yet: a permanent outcome of its own kind.
    TrackedProfileFactory(workspace=workspace, handle="acme_pins", platform="pinterest", source="live")
    assert pull_due_profiles.delay().get() == 1
    page = client_as(Role.ADMIN).get("/").content.decode()
    health = page.split('data-testid="health-panel"', 1)[1][:800]
    assert "@acme_pins" in health and "Pulls stopped" in health
