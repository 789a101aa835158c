"""Bluesky end to end through our services: a pull lands the profile's figures and posts, a publish through the
publisher is recorded with its permalink, and a renewed session is kept. The platform's edge is the recorded
replies of metrics/tests/replies/bsky_*.json, replayed with `responses`."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import responses
import time_machine

from calendar_app import publisher
from calendar_app.models import Publication
from calendar_app.tests.factories import OwnProfileFactory, PublicationFactory
from metrics.connectors import connector_for
from metrics.connectors.base import AuthExpired
from metrics.connectors.bluesky import BlueskyConnector
from metrics.models import Credential, DailySnapshot, Post, PullRun, TrackedProfile
from metrics.oauth import Grant
from metrics.services import credential_connect, pull_run

from .factories import TrackedProfileFactory

REPLIES = Path(__file__).parent / "replies"
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
DID = "did:plc:z72i7hdynmk6r22z27h6tvur"


def _replies(name: str) -> list[dict]:
    return json.loads((REPLIES / f"{name}.json").read_text())["replies"]


def _register(reply: dict, *, any_query: bool = False) -> None:
    url = reply["url"].split("?")[0] if any_query else reply["url"]
    headers = {k: v for k, v in reply["headers"].items() if not v.startswith("{now")}
    responses.add(reply["method"], url, status=reply["status"], headers=headers, json=reply["json"])


def _connect(workspace):
    grant = Grant(access_token="stale-access-jwt", refresh_token="old-refresh-jwt", account_id=DID,
                  account_name="acme.bsky.social")  # fmt: skip
    return credential_connect(workspace=workspace, platform="bluesky", grant=grant, by=None)


@responses.activate
@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db
def test_a_bluesky_profile_pull_lands_its_followers_and_posts_without_a_connection(workspace):
    profile = TrackedProfileFactory(
        workspace=workspace, platform="bluesky", handle="rival.bsky.social", source=TrackedProfile.Source.LIVE
    )
    _register(_replies("bsky_profile")[0])
    for page in ("bsky_feed_first_page", "bsky_feed_second_page", "bsky_feed_last_page"):
        _register(_replies(page)[0], any_query=True)  # the pull asks 100 a page; the pages come in order

    run = pull_run(profile=profile)

    assert run.status == PullRun.Status.SUCCESS
    profile.refresh_from_db()
    assert profile.external_id == DID.replace("z72i7hdynmk6r22z27h6tvur", "ewvi7nxzyoun6zhxrhs64oiz")
    assert DailySnapshot.objects.get(profile=profile).followers == 12873
    posts = {p.external_id: p for p in Post.objects.filter(profile=profile)}
    # Five posts of its own over three pages; the repost of another account's post is not one of them.
    assert sorted(posts) == ["3lbyyy2post05", "3lbzzz2post03", "3lbzzz2post04", "3lcaaa2post01", "3lcaaa2post02"]
    assert (posts["3lcaaa2post01"].likes, posts["3lcaaa2post01"].shares) == (41, 6)
    assert posts["3lbzzz2post04"].likes is None  # not given is not zero
    cursors = [c.request.params.get("cursor") for c in responses.calls if "getAuthorFeed" in c.request.url]
    assert cursors == [None, "2026-11-29T10:00:00.000Z", "2026-11-20T07:00:00.000Z"]


@responses.activate
@pytest.mark.django_db
def test_a_bluesky_post_goes_out_through_the_publisher_with_its_permalink_and_the_renewed_session_is_kept(workspace):
    """bsky_expired_token_renewed.json: the stored access token has expired, the refresh token renews it, the post
    is created once; the new pair replaces the old one in the credential."""
    credential = _connect(workspace)
    profile = OwnProfileFactory(workspace=workspace, platform="bluesky", handle="acme.bsky.social", source="live")
    due = PublicationFactory(
        workspace=workspace, profile=profile, status=Publication.Status.SCHEDULED, scheduled_at=NOW, copy="Launch day"
    )
    for reply in _replies("bsky_expired_token_renewed"):
        _register(reply)

    publisher.publications_publish_due()

    due.refresh_from_db()
    created = _replies("bsky_expired_token_renewed")[-1]["json"]["uri"]
    assert (due.status, due.external_id) == (Publication.Status.PUBLISHED, created)
    assert due.permalink == f"https://bsky.app/profile/acme.bsky.social/post/{created.rsplit('/', 1)[-1]}"
    sent = json.loads(responses.calls[-1].request.body)
    assert (sent["repo"], sent["collection"], sent["record"]["text"]) == (DID, "app.bsky.feed.post", "Launch day")
    assert responses.calls[1].request.headers["Authorization"] == "Bearer old-refresh-jwt"
    assert responses.calls[-1].request.headers["Authorization"] == "Bearer new-access-jwt"
    credential.refresh_from_db()
    assert (credential.token, credential.refresh_token) == ("new-access-jwt", "new-refresh-jwt")
    publisher.publications_publish_due()
    assert len(responses.calls) == 3  # once


@pytest.mark.django_db
def test_a_bluesky_profile_without_a_connection_pulls_but_cannot_publish(workspace):
    profile = OwnProfileFactory(workspace=workspace, platform="bluesky", handle="acme.bsky.social", source="live")
    connector = connector_for(profile)
    assert isinstance(connector, BlueskyConnector)
    with pytest.raises(AuthExpired) as refused:
        connector.publish(text="Launch day", attempt_id="a")
    assert not refused.value.may_have_happened
    assert not Credential.objects.filter(workspace=workspace).exists()


def test_the_record_key_is_a_valid_tid_and_the_same_for_every_retry_of_an_attempt():
    from metrics.connectors.bluesky import record_key

    key = record_key("0b7e1c3a-5d2f-4a8e-9c61-2f4d8e7a9b10")
    assert key == record_key("0b7e1c3a-5d2f-4a8e-9c61-2f4d8e7a9b10") != record_key("another attempt")
    # The TID syntax of atproto's lexicons (com.atproto syntax: tid).
    assert len(key) == 13 and key[0] in "234567abcdefghij" and set(key) <= set("234567abcdefghijklmnopqrstuvwxyz")
    # A UUID v7 attempt id gives the key its own time (milliseconds, as microseconds in the top 53 bits).
    v7 = "01938f5e-8a00-7000-8000-000000000000"
    value = sum("234567abcdefghijklmnopqrstuvwxyz".index(c) << (5 * (12 - i)) for i, c in enumerate(record_key(v7)))
    assert value >> 10 == 0x01938F5E8A00 * 1000


CREATE_SESSION = "https://bsky.social/xrpc/com.atproto.server.createSession"


@responses.activate
@pytest.mark.django_db
def test_an_admin_connects_bluesky_with_an_app_password_and_only_the_session_is_kept(client_as, workspace):
    """createSession's output as its lexicon gives it (com/atproto/server/createSession.json)."""
    from django.urls import reverse

    responses.post(CREATE_SESSION, json={"accessJwt": "session-access-jwt", "refreshJwt": "session-refresh-jwt",
                                         "handle": "acme.bsky.social", "did": DID, "active": True})  # fmt: skip
    client = client_as(ws=workspace)
    page = client.get(reverse("metrics:connections"))
    assert b"Connect Bluesky" in page.content
    answer = client.post(
        reverse("metrics:oauth_connect", args=["bluesky"]),
        {"identifier": "@acme.bsky.social", "app_password": "abcd-efgh-ijkl-mnop"},
    )
    assert answer.status_code == 302
    assert json.loads(responses.calls[0].request.body) == {
        "identifier": "acme.bsky.social",
        "password": "abcd-efgh-ijkl-mnop",
    }
    credential = Credential.objects.get(workspace=workspace, platform="bluesky")
    assert (credential.account_id, credential.account_name) == (DID, "acme.bsky.social")
    assert (credential.token, credential.refresh_token) == ("session-access-jwt", "session-refresh-jwt")
    stored = " ".join(str(v) for v in Credential.objects.filter(pk=credential.pk).values().first().values())
    assert "abcd-efgh-ijkl-mnop" not in stored and "session-refresh-jwt" not in stored  # encrypted, no password
    assert b"abcd-efgh-ijkl-mnop" not in client.get(reverse("metrics:connections")).content


@responses.activate
@pytest.mark.django_db
def test_a_refused_app_password_says_so_and_stores_nothing(client_as, workspace):
    from django.urls import reverse

    # packages/xrpc-server/src/errors.ts: AuthRequiredError, HTTP 401; the PDS's message for a wrong password.
    responses.post(CREATE_SESSION, status=401,
                   json={"error": "AuthenticationRequired", "message": "Invalid identifier or password"})  # fmt: skip
    client = client_as(ws=workspace)
    answer = client.post(
        reverse("metrics:oauth_connect", args=["bluesky"]),
        {"identifier": "acme.bsky.social", "app_password": "wrong"},
        follow=True,
    )
    assert "Invalid identifier or password" in answer.content.decode()
    assert not Credential.objects.filter(workspace=workspace).exists()


@pytest.mark.django_db
def test_only_who_manages_connections_may_connect_bluesky(client_as, workspace):
    from django.urls import reverse

    from accounts.roles import Role

    client = client_as(Role.COMMUNITY_MANAGER, ws=workspace)
    answer = client.post(
        reverse("metrics:oauth_connect", args=["bluesky"]), {"identifier": "a.bsky.social", "app_password": "x"}
    )
    assert answer.status_code == 403
    assert not Credential.objects.filter(workspace=workspace).exists()


@responses.activate
@pytest.mark.django_db
def test_a_refresh_bluesky_refuses_marks_the_connection_needs_reconnecting_and_tells_the_admins(workspace, make_member):
    """bsky_expired_refresh_token.json through the connector the app builds for the profile."""
    from accounts.roles import Role
    from notifications.models import Notification

    make_member(Role.ADMIN, ws=workspace)

    credential = _connect(workspace)
    profile = OwnProfileFactory(workspace=workspace, platform="bluesky", handle="acme.bsky.social", source="live")
    for reply in _replies("bsky_expired_refresh_token"):
        _register(reply)
    with pytest.raises(AuthExpired):
        connector_for(profile).publish(text="Launch day", attempt_id="0b7e1c3a-5d2f-4a8e-9c61-2f4d8e7a9b10")
    credential.refresh_from_db()
    assert credential.needs_reconnecting
    assert credential.refresh_token == "old-refresh-jwt"
    assert Notification.objects.filter(workspace=workspace, kind="connection_needs_attention").exists()
