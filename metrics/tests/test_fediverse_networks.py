"""Bluesky and Mastodon as networks: accounts, profiles and publications on them show on every page that lists such
rows, the demo platform pulls them, and a live profile fails as "not connected yet" until their connectors come."""

import html

import pytest
import time_machine
from django.urls import reverse

from accounts.roles import Role
from audits.tests.factories import AccessGrantFactory, SocialAccountFactory
from calendar_app.tests.factories import PublicationFactory
from metrics.connectors import NoLiveConnector, connector_for
from metrics.models import PullRun
from metrics.platforms import PLATFORM_COLOURS, PLATFORM_ICONS, Platform, account_name
from metrics.services import pull_run
from metrics.tasks import pull_due_profiles

from .factories import TrackedProfileFactory

pytestmark = pytest.mark.django_db
NOW = "2026-11-23 10:00Z"
HANDLES = {Platform.BLUESKY: "acme.bsky.social", Platform.MASTODON: "acme@mastodon.social"}


def test_every_network_has_a_colour_and_an_icon():
    assert set(PLATFORM_COLOURS) == set(PLATFORM_ICONS) == set(Platform)
    assert (PLATFORM_ICONS[Platform.BLUESKY], PLATFORM_ICONS[Platform.MASTODON]) == ("bluesky", "mastodon")


# Bluesky, Mastodon and LinkedIn have theirs (test_*_connector.py)
@pytest.mark.parametrize("platform", [Platform.YOUTUBE])
def test_a_live_profile_on_a_network_without_a_live_connector_stops_its_pulls_saying_so(client_as, workspace, platform):
    profile = TrackedProfileFactory(workspace=workspace, platform=platform, handle="acme-b2b", source="live")
    with pytest.raises(NoLiveConnector, match=f"No live connector for {platform.label} yet."):
        connector_for(profile)
    with time_machine.travel(NOW, tick=False):
        assert pull_due_profiles.delay().get() == 1
    content = html.unescape(client_as(Role.ANALYST).get(reverse("metrics:connections")).content.decode())
    assert f"The app has no live connector for {platform.label} yet." in content


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("platform", [Platform.BLUESKY, Platform.MASTODON])
def test_the_demo_platform_pulls_a_bluesky_or_mastodon_profile(workspace, platform):
    profile = TrackedProfileFactory(workspace=workspace, platform=platform, handle=HANDLES[platform], source="demo")
    run = pull_run(profile=profile, kind=PullRun.Kind.BACKFILL, backfill=True)
    assert run.status == PullRun.Status.SUCCESS
    assert profile.snapshots.count() > 300 and profile.posts.exists()


@time_machine.travel(NOW, tick=False)
def test_pages_listing_bluesky_and_mastodon_accounts_show_them(client_as, workspace):
    for platform, handle in HANDLES.items():
        profile = TrackedProfileFactory(workspace=workspace, platform=platform, handle=handle, source="demo")
        pull_run(profile=profile, kind=PullRun.Kind.BACKFILL, backfill=True)
        account = SocialAccountFactory(workspace=workspace, platform=platform, handle=handle, tracked_profile=profile)
        AccessGrantFactory(account=account)
        PublicationFactory(workspace=workspace, profile=profile, copy=f"Hello from {platform.label}")
    client = client_as(Role.ADMIN)
    pages = [
        reverse("metrics:dashboard"),
        reverse("metrics:top"),
        reverse("metrics:connections"),
        reverse("audits:accounts"),
        reverse("audits:access"),
        reverse("audits:report"),
        reverse("calendar_app:publishing") + "?view=list",
        reverse("calendar_app:queue"),
        reverse("calendar_app:composer"),
        "/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    inventory = html.unescape(client.get(reverse("audits:accounts")).content.decode())
    assert "@acme.bsky.social" in inventory and "@acme@mastodon.social" in inventory
    composer = html.unescape(client.get(reverse("calendar_app:composer")).content.decode())
    assert account_name("bluesky", HANDLES[Platform.BLUESKY]) in composer
    assert account_name("mastodon", HANDLES[Platform.MASTODON]) in composer
    calendar = html.unescape(client.get(reverse("calendar_app:publishing") + "?view=list").content.decode())
    assert "Bluesky" in calendar and "Mastodon" in calendar


@pytest.mark.parametrize(
    ("platform", "handle", "error", "url"),
    [
        ("bluesky", "acme.bsky.social", None, "https://bsky.app/profile/acme.bsky.social"),
        ("bluesky", "acme.example.com", None, "https://bsky.app/profile/acme.example.com"),
        ("bluesky", "acme", "cannot be a handle on Bluesky", ""),
        ("mastodon", "acme@mastodon.social", None, "https://mastodon.social/@acme"),
        ("mastodon", "acme", "cannot be a handle on Mastodon", ""),
    ],
)
def test_the_inventory_knows_what_bluesky_and_mastodon_handles_look_like(platform, handle, error, url):
    from audits.handles import handle_error, profile_url, url_error

    said = handle_error(platform, handle)
    assert (said is None) if error is None else (error in said)
    if url:
        assert profile_url(platform, handle) == url
    assert url_error("mastodon", "https://fosstodon.org/@acme") is None  # each server its own
    assert "bsky.app" in url_error("bluesky", "https://x.com/acme")
