"""Mastodon end to end: the recorded replies (metrics/tests/replies/mastodon_*.json) through the real pull service and
the real publisher, and which token goes to which server."""

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
import requests
import responses
import time_machine
from django.utils import timezone

from calendar_app import publisher
from calendar_app.models import Publication
from calendar_app.tests.factories import OwnProfileFactory, PublicationFactory
from metrics.connectors import connector_for, mastodon
from metrics.connectors.base import AuthExpired, MediaSource, TransientError
from metrics.models import DailySnapshot, Post, PullRun
from metrics.oauth import Grant
from metrics.services import credential_connect, credential_save, pull_run

from .factories import TrackedProfileFactory

pytestmark = pytest.mark.django_db
REPLIES = Path(__file__).parent / "replies"


def _replay(name: str) -> dict:
    fixture = json.loads((REPLIES / name).read_text())
    for reply in fixture["replies"]:
        headers = {k: v for k, v in reply["headers"].items() if k.lower() not in ("content-type", "x-ratelimit-reset")}
        responses.add(reply["method"], reply["url"], status=reply["status"], headers=headers, json=reply.get("json"))
    return fixture


@responses.activate
@time_machine.travel("2026-12-03 12:00Z", tick=False)
def test_a_competitor_on_mastodon_lands_its_followers_and_posts_read_without_a_token(workspace):
    for name in ("mastodon_lookup.json", "mastodon_statuses_with_next.json", "mastodon_statuses_last_page.json"):
        _replay(name)
    credential_save(workspace=workspace, platform="mastodon", token="brand-token-on-another-server")
    profile = TrackedProfileFactory(
        workspace=workspace, platform="mastodon", handle="acme@mastodon.social", source="live", is_own=False
    )
    run = pull_run(profile=profile, backfill=True)
    assert run.status == PullRun.Status.SUCCESS
    assert DailySnapshot.objects.get(profile=profile).followers == 4821
    assert Post.objects.filter(profile=profile).count() == 3  # the reply of the account counts as a post
    assert Post.objects.get(external_id="113601155021455402").likes == 31
    assert responses.calls[2].request.params["max_id"] == "113597321954871001"  # the Link header's next page
    assert all("Authorization" not in call.request.headers for call in responses.calls)


@responses.activate
def test_a_publication_on_mastodon_is_published_once_with_its_attempt_as_idempotency_key(workspace):
    fixture = json.loads((REPLIES / "mastodon_publish_video_processed.json").read_text())
    created = fixture["replies"][-1]
    responses.post(created["url"], status=200, json=created["json"])
    credential_save(workspace=workspace, platform="mastodon", token="pasted-mastodon-token")
    profile = OwnProfileFactory(workspace=workspace, platform="mastodon", handle="acme@mastodon.social", source="live")
    due = PublicationFactory(
        workspace=workspace,
        profile=profile,
        status=Publication.Status.SCHEDULED,
        scheduled_at=timezone.now() - timedelta(minutes=1),
    )
    publisher.publications_publish_due()
    due.refresh_from_db()
    assert (due.status, due.external_id) == (Publication.Status.PUBLISHED, "113602000000000099")
    request = responses.calls[0].request
    assert request.headers["Authorization"] == "Bearer pasted-mastodon-token"
    assert request.headers["Idempotency-Key"]  # the attempt's id: a retry within the hour is the same status
    publisher.publications_publish_due()
    assert len(responses.calls) == 1


def test_a_connected_token_goes_only_to_the_server_that_issued_it(workspace):
    grant = Grant(access_token="token-of-mastodon-social", account_id="1", account_name="@acme@mastodon.social")
    credential_connect(workspace=workspace, platform="mastodon", grant=grant, by=None)
    same = TrackedProfileFactory(workspace=workspace, platform="mastodon", handle="rival@mastodon.social", is_own=False)
    other = TrackedProfileFactory(workspace=workspace, platform="mastodon", handle="rival@fosstodon.org", is_own=False)
    own_elsewhere = OwnProfileFactory(workspace=workspace, platform="mastodon", handle="acme@hachyderm.io")
    for profile in (same, other, own_elsewhere):
        profile.source = "live"
    assert connector_for(same).token == "token-of-mastodon-social"
    assert (connector_for(other).server, connector_for(other).token) == ("fosstodon.org", "")
    with pytest.raises(AuthExpired, match=r"on mastodon\.social, not on hachyderm\.io"):
        connector_for(own_elsewhere)


# The network failing under Mastodon.py: no reply to record, the requests exception itself (what the timeout
# session raises). A publish whose connection was made may have happened; one never sent cannot have.
@responses.activate
@pytest.mark.parametrize(
    ("failure", "may_have_happened"),
    [(requests.ReadTimeout("read timed out"), True), (requests.ConnectTimeout("connect timed out"), False)],
)
def test_a_publish_lost_in_the_network_says_whether_the_status_may_exist(failure, may_have_happened):
    responses.post("https://mastodon.social/api/v1/statuses", body=failure)
    connector = mastodon.MastodonConnector(server="mastodon.social", token="t", timeout=5)
    with pytest.raises(TransientError) as raised:
        connector.publish(text="Out Friday.", attempt_id="publication-7-attempt-1")
    assert raised.value.may_have_happened is may_have_happened


@responses.activate
def test_a_pasted_token_that_names_a_file_is_sent_as_typed_never_read_from_the_file(tmp_path):
    """Mastodon.py's constructor reads `access_token` from a file when one of that name exists: the connector
    must never hand it a member's text that way (it would send the file's first line to the server)."""
    secret = tmp_path / "settings.env"
    secret.write_text("SECRET_KEY=do-not-send\n")
    fixture = json.loads((REPLIES / "mastodon_lookup.json").read_text())["replies"][0]
    responses.get(fixture["url"], json=fixture["json"])
    mastodon.MastodonConnector(server="mastodon.social", token=str(secret), timeout=5).fetch_profile(
        handle="acme@mastodon.social"
    )
    assert responses.calls[0].request.headers["Authorization"] == f"Bearer {secret}"


@responses.activate
def test_a_file_still_processing_after_the_bound_fails_before_any_status_is_created(monkeypatch):
    fixture = json.loads((REPLIES / "mastodon_publish_video_processed.json").read_text())
    accepted, processing = fixture["replies"][0], fixture["replies"][1]
    responses.post(accepted["url"], status=202, json=accepted["json"])
    responses.get(processing["url"], status=206, json=processing["json"])  # 206 again and again
    monkeypatch.setattr(mastodon, "MEDIA_POLL_SECONDS", 0.01)
    monkeypatch.setattr(mastodon, "MAX_MEDIA_WAIT_SECONDS", 0.05)
    video = MediaSource(name="shell.mp4", content_type="video/mp4", size=4, open=lambda: io.BytesIO(b"\0" * 4),
                        alt_text="The shell folded into its pocket")  # fmt: skip
    connector = mastodon.MastodonConnector(server="mastodon.social", token="t", timeout=5)
    with pytest.raises(TransientError, match="still processing") as raised:
        connector.publish(text="Packs into its own pocket.", media=[video], attempt_id="a")
    assert raised.value.may_have_happened is False
    upload = responses.calls[0].request.body  # multipart: the file and its alt text (`description`)
    assert b'name="description"\r\n\r\nThe shell folded into its pocket' in upload
    assert 1 < len(responses.calls) <= 6  # polled, within the bound
    assert not any(c.request.url.endswith("/api/v1/statuses") for c in responses.calls)
