"""LinkedIn end to end: the recorded replies (metrics/tests/replies/linkedin_*.json, shapes from LinkedIn's
Community Management docs) through the real pull service, the real publisher and the schedule; a competitor's page,
whose figures LinkedIn keeps for the page's admins, is never asked for."""

import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
import responses
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from calendar_app import publisher
from calendar_app.models import Publication
from calendar_app.tests.factories import OwnProfileFactory, PublicationFactory
from competitors.selectors import NO_COMPETITOR_DATA
from media_library import services as media_services
from media_library.tests.factories import image_upload
from metrics.connectors import connector_for
from metrics.connectors.base import (
    AuthExpired,
    MediaSource,
    NotAvailable,
    RateLimited,
    Refused,
    UnexpectedReply,
)
from metrics.connectors.linkedin import LinkedInConnector
from metrics.models import DailySnapshot, Post, ProfileDay, PullRun, TrackedProfile
from metrics.platforms import Platform
from metrics.services import credential_save, pull_run
from metrics.tasks import pull_due_profiles
from notifications.models import Notification

from .factories import TrackedProfileFactory

pytestmark = pytest.mark.django_db
REPLIES = Path(__file__).parent / "replies"
API = "https://api.linkedin.com/rest"
NOW = "2026-12-03 12:00Z"


def _ms(day: date) -> int:
    return int(datetime.combine(day, datetime.min.time(), UTC).timestamp() * 1000)


def _gain(day: date, organic: int, paid: int) -> dict:
    return {
        "timeRange": {"start": _ms(day), "end": _ms(day + timedelta(days=1))},
        "followerGains": {"organicFollowerGain": organic, "paidFollowerGain": paid},
        "organizationalEntity": "urn:li:organization:2414183",
    }


# learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/follower-statistics
# (Retrieve Time-Bound Follower Statistics: one element per day with timeRange in ms and followerGains).
FOLLOWER_GAINS = {
    "paging": {"count": 10, "start": 0, "links": []},
    "elements": [_gain(date(2026, 12, 1), 4, 1), _gain(date(2026, 12, 2), 2, 1), _gain(date(2026, 12, 3), 4, 0)],
}


def _replay(name: str, *, with_query: bool = False) -> dict:
    """A recorded exchange's replies, matched by address (and query, when asked: the service asks with its own
    page size)."""
    fixture = json.loads((REPLIES / name).read_text())
    for reply in fixture["replies"]:
        url = reply["url"] if with_query else reply["url"].split("?")[0]
        headers = {k: v for k, v in reply["headers"].items() if k.lower() != "content-type"}
        if "json" in reply:
            responses.add(reply["method"], url, status=reply["status"], headers=headers, json=reply["json"])
        else:
            responses.add(reply["method"], url, status=reply["status"], headers=headers, body=reply.get("body", ""))
    return fixture


def _query(call) -> dict:
    return dict(parse_qsl(urlsplit(call.request.url).query))


def _own_page(workspace, **kwargs) -> TrackedProfile:
    credential_save(workspace=workspace, platform=Platform.LINKEDIN, token="linkedin-admin-token")
    return TrackedProfileFactory(
        workspace=workspace, platform=Platform.LINKEDIN, handle="acme-outdoor", external_id="2414183",
        source="live", **kwargs,
    )  # fmt: skip


@responses.activate
@time_machine.travel(NOW, tick=False)
def test_a_backfill_of_the_page_lands_its_followers_history_posts_and_days(workspace):
    for name in ("linkedin_profile.json", "linkedin_posts_first_page.json", "linkedin_posts_last_page.json"):
        _replay(name)
    responses.get(f"{API}/organizationalEntityFollowerStatistics", json=FOLLOWER_GAINS)
    profile = _own_page(workspace)
    run = pull_run(profile=profile, backfill=True)
    assert run.status == PullRun.Status.SUCCESS, run.error_message
    # Today's network size, and the days before counted back from it by the daily gains (Dec 3: +4, Dec 2: +3).
    assert dict(DailySnapshot.objects.filter(profile=profile).values_list("date", "followers")) == {
        date(2026, 12, 3): 219145, date(2026, 12, 2): 219141, date(2026, 12, 1): 219138,
    }  # fmt: skip
    jackets = Post.objects.get(profile=profile, external_id="urn:li:share:7270000000000000003")
    assert (jackets.likes, jackets.comments, jackets.shares, jackets.views) == (87, 12, 9, 5120)
    assert jackets.text == "New winter jackets are in (sizes XS-XXL) #winter"
    old = Post.objects.get(profile=profile, external_id="urn:li:share:7260000000000000001")
    assert (old.likes, old.views) == (None, None)  # beyond the statistics' 12 months: unknown, not zero
    day = ProfileDay.objects.get(profile=profile, date=date(2026, 12, 2))
    assert (day.followers, day.posts, day.interactions, day.impressions) == (219141, 1, 108, 5120)
    posts_calls = [c for c in responses.calls if urlsplit(c.request.url).path == "/rest/posts"]
    assert [_query(c)["start"] for c in posts_calls] == ["0", "2"]  # the second page from the first's cursor
    assert _query(posts_calls[0])["author"] == "urn:li:organization:2414183"
    gains = next(c for c in responses.calls if "FollowerStatistics" in c.request.url)
    assert "timeGranularityType:DAY" in _query(gains)["timeIntervals"]
    assert all(c.request.headers["Authorization"] == "Bearer linkedin-admin-token" for c in responses.calls)


@responses.activate
@time_machine.travel(NOW, tick=False)
def test_a_scheduled_pull_asks_for_no_follower_history(workspace):
    for name in ("linkedin_profile.json", "linkedin_posts_first_page.json", "linkedin_posts_last_page.json"):
        _replay(name)
    profile = _own_page(workspace)
    assert pull_run(profile=profile).status == PullRun.Status.SUCCESS
    assert not any("FollowerStatistics" in c.request.url for c in responses.calls)
    assert DailySnapshot.objects.filter(profile=profile).count() == 1


@responses.activate
@time_machine.travel(NOW, tick=False)
def test_a_revoked_token_asks_for_a_new_connection_and_stops_pulling(workspace):
    _replay("linkedin_401_revoked_token.json")
    profile = _own_page(workspace)
    with pytest.raises(AuthExpired):
        pull_run(profile=profile)
    profile.refresh_from_db()
    run = PullRun.objects.get(profile=profile)
    assert (run.status, run.error_kind) == (PullRun.Status.NEEDS_ATTENTION, "auth_expired")
    assert profile.needs_attention


@time_machine.travel(NOW, tick=False)
def test_a_competitors_linkedin_page_is_never_polled_and_its_row_says_why(workspace, client_as):
    credential_save(workspace=workspace, platform=Platform.LINKEDIN, token="linkedin-admin-token")
    rival = TrackedProfileFactory(
        workspace=workspace, platform=Platform.LINKEDIN, handle="rival-co", source="live", is_own=False
    )
    with responses.RequestsMock() as platform:  # any request to LinkedIn would fail the test
        for hours in (0, 6, 12, 18, 24):  # the beat's ticks of a day
            with time_machine.travel(timezone.now() + timedelta(hours=hours), tick=False):
                assert pull_due_profiles.delay().get() == 0
        assert len(platform.calls) == 0
    assert not PullRun.objects.filter(profile=rival).exists()
    assert not Notification.objects.filter(workspace=workspace).exists()  # nobody is asked to fix anything
    assert not TrackedProfile.objects.with_connection_problems().filter(pk=rival.pk).exists()
    with pytest.raises(NotAvailable, match="only to a page's own admins"):
        connector_for(rival)  # a "Pull now" posted by hand records the reason, and calls nobody
    page = client_as("admin", ws=workspace).get(reverse("metrics:connections")).content.decode()
    row = page.split(f'data-testid="connection-{rival.pk}"')[1].split("</tr>")[0]
    assert "Not available on LinkedIn" in row and escape(NO_COMPETITOR_DATA[Platform.LINKEDIN]) in row
    assert "Pull now" not in row and "Backfill" not in row and "Pull on schedule again" not in row


def test_the_own_page_needs_its_organization_id_and_the_workspaces_connection(workspace):
    page = TrackedProfileFactory(workspace=workspace, platform=Platform.LINKEDIN, handle="acme", source="live")
    with pytest.raises(AuthExpired, match="organization id"):
        connector_for(page)
    page.external_id = "2414183"
    with pytest.raises(AuthExpired, match="credential"):
        connector_for(page)
    credential_save(workspace=workspace, platform=Platform.LINKEDIN, token="linkedin-admin-token")
    connector = connector_for(page)
    assert isinstance(connector, LinkedInConnector)
    assert (connector.token, connector.organization) == ("linkedin-admin-token", "urn:li:organization:2414183")


def _due(workspace, profile, **kwargs) -> Publication:
    return PublicationFactory(
        workspace=workspace, profile=profile, status=Publication.Status.SCHEDULED,
        scheduled_at=timezone.now() - timedelta(minutes=1), **kwargs,
    )  # fmt: skip


@responses.activate
def test_a_publication_with_a_library_photo_goes_out_as_the_organizations_image_post(workspace, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fixture = _replay("linkedin_publish_image.json", with_query=True)
    profile = OwnProfileFactory(workspace=workspace, platform="linkedin", handle="acme-outdoor", source="live",
                                external_id="2414183")  # fmt: skip
    credential_save(workspace=workspace, platform=Platform.LINKEDIN, token="linkedin-admin-token")
    cover = media_services.media_upload(workspace=workspace, upload=image_upload("cover.jpg", "JPEG"), by=None)
    due = _due(workspace, profile, copy="Our autumn catalogue")
    media_services.publication_media_set(publication=due, media_files=[cover], by=None)
    Publication.objects.filter(pk=due.pk).update(status="scheduled")
    publisher.publications_publish_due()
    due.refresh_from_db()
    assert (due.status, due.external_id) == (Publication.Status.PUBLISHED, "urn:li:share:7270000000000000010")
    assert due.permalink == "https://www.linkedin.com/feed/update/urn:li:share:7270000000000000010/"
    initialize, upload, create = responses.calls
    assert json.loads(initialize.request.body)["initializeUploadRequest"]["owner"] == "urn:li:organization:2414183"
    assert upload.request.url == fixture["replies"][1]["url"]
    assert upload.request.body == cover.file.open("rb").read()  # the library's bytes, as stored
    assert json.loads(create.request.body)["content"]["media"]["id"] == "urn:li:image:C4E10AQFoyyAjHPMQuQ"


@responses.activate
def test_a_publish_whose_answer_is_lost_is_found_on_the_page_not_sent_again(workspace):
    responses.post(f"{API}/posts", body=requests.ReadTimeout("Read timed out."))
    for reply in json.loads((REPLIES / "linkedin_find_published_match.json").read_text())["replies"]:
        responses.add(reply["method"], reply["url"].split("?")[0], json=reply["json"])
    profile = OwnProfileFactory(workspace=workspace, platform="linkedin", handle="acme-outdoor", source="live",
                                external_id="2414183")  # fmt: skip
    credential_save(workspace=workspace, platform=Platform.LINKEDIN, token="linkedin-admin-token")
    with time_machine.travel("2026-12-02 08:59Z", tick=False) as clock:
        due = _due(workspace, profile, copy="New winter jackets are in (sizes XS-XXL) #winter")
        publisher.publications_publish_due()
        due.refresh_from_db()
        assert due.status == Publication.Status.SENDING and "No answer" in due.failure_reason
        clock.shift(timedelta(seconds=publisher.LOOKUP_DELAY_SECONDS + 1))
        publisher.publications_publish_due()
    due.refresh_from_db()
    assert (due.status, due.external_id) == (Publication.Status.PUBLISHED, "urn:li:share:7270000000000000003")
    assert list(due.events.values_list("action", flat=True)) == ["sending", "no_answer", "found_on_platform"]
    assert sum(c.request.method == "POST" for c in responses.calls) == 1  # sent once


@responses.activate
def test_a_first_comment_is_posted_as_the_organization(workspace):
    _replay("linkedin_comment.json")
    connector = LinkedInConnector(token="linkedin-admin-token", organization_id="2414183", timeout=5)
    urn = connector.comment(post_id="urn:li:share:7270000000000000010", text="Sizes XS to XXL in the shop.")
    assert urn == "urn:li:comment:(urn:li:activity:7270000000000000011,7270000000000000099)"
    assert urlsplit(responses.calls[0].request.url).path == (
        "/rest/socialActions/urn%3Ali%3Ashare%3A7270000000000000010/comments"
    )


@responses.activate
def test_a_daily_limit_waits_for_linkedins_reset_at_midnight_utc():
    _replay("linkedin_429_daily_limit.json")
    connector = LinkedInConnector(token="t", organization_id="2414183", timeout=5)
    with time_machine.travel("2026-12-03 20:00Z", tick=False), pytest.raises(RateLimited) as raised:
        connector.fetch_profile(handle="acme-outdoor")
    assert raised.value.retry_after == 4 * 3600


@responses.activate
@pytest.mark.parametrize(
    "files", [[("clip.mp4", "video/mp4"), ("cover.jpg", "image/jpeg")], [("clip.mov", "video/quicktime")]]
)
def test_a_video_with_photos_or_a_video_linkedin_does_not_take_is_refused_before_anything_is_sent(files):
    media = [MediaSource(name=name, content_type=kind, size=3, open=lambda: io.BytesIO(b"abc")) for name, kind in files]
    with pytest.raises(Refused):
        LinkedInConnector(token="t", organization_id="1", timeout=5).publish(text="Hi", media=media)
    assert len(responses.calls) == 0


@responses.activate
def test_the_token_goes_with_an_upload_only_to_linkedin():
    # The Images API's reply (shares/images-api) with an upload address that is not LinkedIn's.
    responses.post(f"{API}/images", json={"value": {"uploadUrlExpiresAt": 1796300000000,
                   "uploadUrl": "https://uploads.example.net/up", "image": "urn:li:image:C4E10AQFoyyAjHPMQuQ"}})  # fmt: skip
    photo = MediaSource(name="a.jpg", content_type="image/jpeg", size=3, open=lambda: io.BytesIO(b"abc"))
    with pytest.raises(UnexpectedReply, match="outside LinkedIn"):
        LinkedInConnector(token="t", organization_id="1", timeout=5).publish(text="Hi", media=[photo])
    assert [c.request.url.split("?")[0] for c in responses.calls] == [f"{API}/images"]


@responses.activate
def test_a_video_goes_up_in_the_parts_linkedin_asks_for(settings):
    settings.LINKEDIN_VIDEO_POLL_SECONDS = 0.01
    _replay("linkedin_publish_video.json", with_query=True)
    content = bytes(range(256)) * (4194304 // 256) + b"x" * 1000
    clip = MediaSource(name="workshop.mp4", content_type="video/mp4", size=len(content),
                       open=lambda: io.BytesIO(content))  # fmt: skip
    connector = LinkedInConnector(token="t", organization_id="2414183", timeout=5)
    result = connector.publish(text="Behind the scenes at the workshop", media=[clip])
    assert result.external_id == "urn:li:ugcPost:7270000000000000012"
    parts = [c.request.body for c in responses.calls if c.request.method == "PUT"]
    assert parts == [content[:4194304], content[4194304:]]  # bytes firstByte..lastByte of each instruction
