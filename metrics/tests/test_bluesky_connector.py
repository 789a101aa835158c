"""Bluesky end to end through our services: a pull lands the profile's figures and posts, a publish through the
publisher is recorded with its permalink, and a renewed session is kept. The platform's edge is the recorded
replies of metrics/tests/replies/bsky_*.json, replayed to atproto's httpx client by bsky_replay.Replay."""

from datetime import UTC, datetime

import httpx
import pytest
import time_machine

from calendar_app import publisher
from calendar_app.models import Publication
from calendar_app.tests.factories import OwnProfileFactory, PublicationFactory
from metrics.connectors import connector_for
from metrics.connectors.base import AuthExpired, RateLimited, Refused, TransientError
from metrics.connectors.bluesky import BlueskyConnector, record_key
from metrics.models import Credential, DailySnapshot, Post, PullRun, TrackedProfile
from metrics.oauth import Grant
from metrics.services import credential_connect, pull_run

from .bsky_replay import DID, ISSUED, Replay, jwt
from .bsky_replay import recorded as _replies
from .factories import TrackedProfileFactory

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
# The session the credential keeps: issued the day before, its access token's `exp` still ahead by our clock.
STORED_ACCESS = jwt("access", iat=ISSUED - 24 * 3600)
STORED_REFRESH = jwt("refresh", iat=ISSUED - 24 * 3600)
# The same session an hour and a half after its access token expired (a PDS's access tokens last two hours).
EXPIRED_ACCESS = jwt("access", iat=int(NOW.timestamp()) - 3 * 3600 - 1800, exp=int(NOW.timestamp()) - 3600 - 1800)


def _any_query(reply: dict) -> dict:
    return {**reply, "url": reply["url"].split("?")[0]}


def _connect(workspace, *, access_token: str = STORED_ACCESS):
    grant = Grant(access_token=access_token, refresh_token=STORED_REFRESH, account_id=DID,
                  account_name="acme.bsky.social")  # fmt: skip
    return credential_connect(workspace=workspace, platform="bluesky", grant=grant, by=None)


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db
def test_a_bluesky_profile_pull_lands_its_followers_and_posts_without_a_connection(workspace, monkeypatch):
    profile = TrackedProfileFactory(
        workspace=workspace, platform="bluesky", handle="rival.bsky.social", source=TrackedProfile.Source.LIVE
    )
    replay = Replay(*_replies("bsky_profile")).install(monkeypatch)
    for page in ("bsky_feed_first_page", "bsky_feed_second_page", "bsky_feed_last_page"):
        replay.add(_any_query(_replies(page)[0]))  # the pull asks 100 a page; the pages come in order

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
    cursors = [c.params.get("cursor") for c in replay.calls if "getAuthorFeed" in c.url]
    assert cursors == [None, "2026-11-29T10:00:00.000Z", "2026-11-20T07:00:00.000Z"]
    assert {c.params["limit"] for c in replay.calls if "getAuthorFeed" in c.url} == {"100"}
    assert all("Authorization" not in c.headers for c in replay.calls)  # public reads: no session sent


@pytest.mark.django_db
def test_a_bluesky_post_goes_out_through_the_publisher_with_its_permalink_and_the_renewed_session_is_kept(
    workspace, monkeypatch
):
    """bsky_expired_token_renewed.json: the service says the stored access token has expired (400 ExpiredToken,
    though its `exp` is still ahead by our clock), the refresh token renews it, the post is created once; the new
    pair replaces the old one in the credential."""
    credential = _connect(workspace)
    profile = OwnProfileFactory(workspace=workspace, platform="bluesky", handle="acme.bsky.social", source="live")
    due = PublicationFactory(
        workspace=workspace, profile=profile, status=Publication.Status.SCHEDULED, scheduled_at=NOW, copy="Launch day"
    )
    replay = Replay(*_replies("bsky_expired_token_renewed")).install(monkeypatch)
    renewed = _replies("bsky_expired_token_renewed")[1]["json"]

    publisher.publications_publish_due()

    due.refresh_from_db()
    created = _replies("bsky_expired_token_renewed")[-1]["json"]["uri"]
    assert (due.status, due.external_id) == (Publication.Status.PUBLISHED, created)
    assert due.permalink == f"https://bsky.app/profile/acme.bsky.social/post/{created.rsplit('/', 1)[-1]}"
    sent = replay.calls[-1].json()
    assert (sent["repo"], sent["collection"], sent["record"]["text"]) == (DID, "app.bsky.feed.post", "Launch day")
    assert sent["rkey"] == replay.calls[0].json()["rkey"]  # sent again under the same record key
    assert [c.headers["Authorization"] for c in replay.calls] == [
        f"Bearer {STORED_ACCESS}",
        f"Bearer {STORED_REFRESH}",
        f"Bearer {renewed['accessJwt']}",
    ]
    credential.refresh_from_db()
    assert (credential.token, credential.refresh_token) == (renewed["accessJwt"], renewed["refreshJwt"])
    publisher.publications_publish_due()
    assert len(replay.calls) == 3  # once


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db
def test_an_access_token_past_its_exp_is_renewed_by_atproto_before_the_post_and_the_new_pair_is_kept(
    workspace, monkeypatch
):
    """atproto reads the access token's `exp`: past it, the session is renewed before the createRecord is sent (no
    refused call first), and the renewed pair reaches on_session, which stores it in the credential."""
    credential = _connect(workspace, access_token=EXPIRED_ACCESS)
    profile = OwnProfileFactory(workspace=workspace, platform="bluesky", handle="acme.bsky.social", source="live")
    renewing, created = _replies("bsky_expired_token_renewed")[1:]
    replay = Replay(renewing, created).install(monkeypatch)

    result = connector_for(profile).publish(text="Launch day", attempt_id="0b7e1c3a-5d2f-4a8e-9c61-2f4d8e7a9b10")

    assert result.external_id == created["json"]["uri"]
    assert [(c.method, c.url.rsplit("/", 1)[-1]) for c in replay.calls] == [
        ("POST", "com.atproto.server.refreshSession"), ("POST", "com.atproto.repo.createRecord")
    ]  # fmt: skip
    assert replay.calls[0].headers["Authorization"] == f"Bearer {STORED_REFRESH}"
    assert replay.calls[1].headers["Authorization"] == f"Bearer {renewing['json']['accessJwt']}"
    credential.refresh_from_db()
    assert (credential.token, credential.refresh_token) == (
        renewing["json"]["accessJwt"], renewing["json"]["refreshJwt"]
    )  # fmt: skip


@time_machine.travel(NOW, tick=False)
def test_a_renewal_atproto_makes_before_the_call_and_bluesky_refuses_is_a_refused_refresh(monkeypatch):
    """The refresh token expired too: on_refresh_refused is told, and the post, never sent, cannot have happened."""
    replay = Replay(_replies("bsky_expired_refresh_token")[1]).install(monkeypatch)
    refused = []
    connector = BlueskyConnector(access_token=EXPIRED_ACCESS, refresh_token=STORED_REFRESH, did=DID,
                                 on_refresh_refused=refused.append)  # fmt: skip

    with pytest.raises(AuthExpired) as expired:
        connector.publish(text="Launch day", attempt_id="a")

    assert not expired.value.may_have_happened
    assert [c.url.rsplit("/", 1)[-1] for c in replay.calls] == ["com.atproto.server.refreshSession"]
    assert len(refused) == 1 and "ExpiredToken" in refused[0]


def test_an_access_token_atproto_cannot_read_is_renewed_before_the_call_and_handed_to_on_session(monkeypatch):
    """Not a JWT (atproto could not tell when it expires): renewed first rather than failing in atproto."""
    renewing, created = _replies("bsky_expired_token_renewed")[1:]
    replay = Replay(renewing, created).install(monkeypatch)
    kept = []
    connector = BlueskyConnector(access_token="not-a-jwt", refresh_token=STORED_REFRESH, did=DID,
                                 handle="acme.bsky.social", on_session=lambda *pair: kept.append(pair))  # fmt: skip

    connector.publish(text="Launch day", attempt_id="a")

    assert [c.url.rsplit("/", 1)[-1] for c in replay.calls] == ["com.atproto.server.refreshSession",
                                                                "com.atproto.repo.createRecord"]  # fmt: skip
    assert kept == [(renewing["json"]["accessJwt"], renewing["json"]["refreshJwt"])]


def test_a_retry_of_a_publish_attempt_writes_under_the_same_record_key(monkeypatch):
    """The first answer was lost (a gateway's 502 page: the record may exist); the retry of the same attempt asks for
    the same TID, so the service cannot create a second post, and find_published reads that key."""
    attempt = "0b7e1c3a-5d2f-4a8e-9c61-2f4d8e7a9b10"
    replay = Replay(*_replies("bsky_publish_502_html_gateway"), _replies("bsky_expired_token_renewed")[-1])
    replay.install(monkeypatch)
    connector = BlueskyConnector(access_token=STORED_ACCESS, refresh_token=STORED_REFRESH, did=DID,
                                 handle="acme.bsky.social")  # fmt: skip

    with pytest.raises(TransientError) as lost:
        connector.publish(text="Launch day", attempt_id=attempt)
    assert lost.value.may_have_happened
    again = connector.publish(text="Launch day", attempt_id=attempt)

    assert [c.json()["rkey"] for c in replay.calls] == [record_key(attempt)] * 2 == ["53c23iy4qly6o"] * 2
    assert again.external_id.endswith("/53c23iy4qly6o")


def test_a_post_beyond_the_lexicon_s_limits_is_refused_before_anything_is_sent(monkeypatch):
    replay = Replay().install(monkeypatch)
    connector = BlueskyConnector(access_token=STORED_ACCESS, refresh_token=STORED_REFRESH, did=DID)
    with pytest.raises(Refused) as refused:
        connector.publish(text="a" * 3001, attempt_id="a")
    assert not refused.value.may_have_happened and replay.calls == []


def test_a_gateway_page_is_transient_and_may_have_happened_only_on_a_write(monkeypatch):
    replay = Replay(*_replies("bsky_502_html_gateway"), *_replies("bsky_publish_502_html_gateway")).install(monkeypatch)
    connector = BlueskyConnector(access_token=STORED_ACCESS, refresh_token=STORED_REFRESH, did=DID)

    with pytest.raises(TransientError) as read:
        connector.fetch_posts(external_id="did:plc:ewvi7nxzyoun6zhxrhs64oiz")
    with pytest.raises(TransientError) as write:
        connector.publish(text="Launch day", attempt_id="a")

    assert (read.value.may_have_happened, write.value.may_have_happened) == (False, True)
    assert "HTTP 502 (text/html" in str(read.value)
    assert len(replay.calls) == 2  # neither sent again


def test_a_429_waits_until_bluesky_s_ratelimit_reset(monkeypatch):
    Replay(*_replies("bsky_429_rate_limited")).install(monkeypatch)  # RateLimit-Reset 240 s ahead

    with pytest.raises(RateLimited) as limited:
        BlueskyConnector().fetch_posts(external_id="did:plc:ewvi7nxzyoun6zhxrhs64oiz")

    assert 230 <= limited.value.retry_after <= 241
    assert "RateLimitExceeded" in str(limited.value)


@pytest.mark.parametrize(
    ("failure", "may_have_happened"),
    [(httpx.ConnectError("Connection refused"), False), (httpx.ReadTimeout("timed out"), True),
     (httpx.RemoteProtocolError("Server disconnected without sending a response."), True)],
)  # fmt: skip
def test_the_network_failing_is_transient_and_a_write_may_have_happened_unless_never_connected(
    failure, may_have_happened
):
    def fail(request):
        raise failure

    connector = BlueskyConnector(access_token=STORED_ACCESS, refresh_token=STORED_REFRESH, did=DID,
                                 transport=httpx.MockTransport(fail))  # fmt: skip
    with pytest.raises(TransientError) as publish:
        connector.publish(text="Launch day", attempt_id="a")
    with pytest.raises(TransientError) as pull:
        connector.fetch_profile(handle="rival.bsky.social")
    assert (publish.value.may_have_happened, pull.value.may_have_happened) == (may_have_happened, False)


def test_every_request_has_the_platforms_timeout(settings):
    settings.PLATFORM_HTTP_TIMEOUT = 7.5
    timeouts = []

    def answer(request):
        timeouts.append(request.extensions["timeout"])
        return httpx.Response(200, json={"did": "did:plc:ewvi7nxzyoun6zhxrhs64oiz", "handle": "rival.bsky.social",
                                         "followersCount": 8})  # fmt: skip

    BlueskyConnector(transport=httpx.MockTransport(answer)).fetch_profile(handle="rival.bsky.social")
    BlueskyConnector(timeout=3, transport=httpx.MockTransport(answer)).fetch_profile(handle="rival.bsky.social")
    assert [set(t.values()) for t in timeouts] == [{7.5}, {3}]


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
    key = record_key("0b7e1c3a-5d2f-4a8e-9c61-2f4d8e7a9b10")
    assert key == record_key("0b7e1c3a-5d2f-4a8e-9c61-2f4d8e7a9b10") != record_key("another attempt")
    # The TID syntax of atproto's lexicons (com.atproto syntax: tid).
    assert len(key) == 13 and key[0] in "234567abcdefghij" and set(key) <= set("234567abcdefghijklmnopqrstuvwxyz")
    # A UUID v7 attempt id gives the key its own time (milliseconds, as microseconds in the top 53 bits).
    v7 = "01938f5e-8a00-7000-8000-000000000000"
    value = sum("234567abcdefghijklmnopqrstuvwxyz".index(c) << (5 * (12 - i)) for i, c in enumerate(record_key(v7)))
    assert value >> 10 == 0x01938F5E8A00 * 1000


CREATE_SESSION = "https://bsky.social/xrpc/com.atproto.server.createSession"
SESSION_ACCESS, SESSION_REFRESH = jwt("access"), jwt("refresh")


@pytest.mark.django_db
def test_an_admin_connects_bluesky_with_an_app_password_and_only_the_session_is_kept(client_as, workspace, monkeypatch):
    """createSession's output as its lexicon gives it (com/atproto/server/createSession.json), its tokens in the
    shape the PDS issues."""
    from django.urls import reverse

    replay = Replay({"method": "POST", "url": CREATE_SESSION, "status": 200,
                     "headers": {"content-type": "application/json; charset=utf-8"},
                     "json": {"accessJwt": SESSION_ACCESS, "refreshJwt": SESSION_REFRESH,
                              "handle": "acme.bsky.social", "did": DID, "active": True}}).install(monkeypatch)  # fmt: skip
    client = client_as(ws=workspace)
    page = client.get(reverse("metrics:connect"))
    assert b"Connect Bluesky" in page.content
    answer = client.post(
        reverse("metrics:oauth_connect", args=["bluesky"]),
        {"identifier": "@acme.bsky.social", "app_password": "abcd-efgh-ijkl-mnop"},
    )
    assert answer.status_code == 302
    assert [(c.method, c.url) for c in replay.calls] == [("POST", CREATE_SESSION)]  # signed in once, nothing more
    assert replay.calls[0].json() == {"identifier": "acme.bsky.social", "password": "abcd-efgh-ijkl-mnop"}
    credential = Credential.objects.get(workspace=workspace, platform="bluesky")
    assert (credential.account_id, credential.account_name) == (DID, "acme.bsky.social")
    assert (credential.token, credential.refresh_token) == (SESSION_ACCESS, SESSION_REFRESH)
    stored = " ".join(str(v) for v in Credential.objects.filter(pk=credential.pk).values().first().values())
    assert "abcd-efgh-ijkl-mnop" not in stored and SESSION_REFRESH not in stored  # encrypted, no password
    assert b"abcd-efgh-ijkl-mnop" not in client.get(reverse("metrics:connections")).content


@pytest.mark.django_db
def test_a_refused_app_password_says_so_and_stores_nothing(client_as, workspace, monkeypatch):
    from django.urls import reverse

    # packages/xrpc-server/src/errors.ts: AuthRequiredError, HTTP 401; the PDS's message for a wrong password.
    Replay({"method": "POST", "url": CREATE_SESSION, "status": 401,
            "headers": {"content-type": "application/json; charset=utf-8"},
            "json": {"error": "AuthenticationRequired", "message": "Invalid identifier or password"}}).install(
        monkeypatch
    )  # fmt: skip
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


@pytest.mark.django_db
def test_a_refresh_bluesky_refuses_marks_the_connection_needs_reconnecting_and_tells_the_admins(
    workspace, make_member, monkeypatch
):
    """bsky_expired_refresh_token.json through the connector the app builds for the profile."""
    from accounts.roles import Role
    from notifications.models import Notification

    make_member(Role.ADMIN, ws=workspace)

    credential = _connect(workspace)
    profile = OwnProfileFactory(workspace=workspace, platform="bluesky", handle="acme.bsky.social", source="live")
    replay = Replay(*_replies("bsky_expired_refresh_token")).install(monkeypatch)
    with pytest.raises(AuthExpired):
        connector_for(profile).publish(text="Launch day", attempt_id="0b7e1c3a-5d2f-4a8e-9c61-2f4d8e7a9b10")
    assert len(replay.calls) == 2  # the post refused, the renewal refused: nothing sent again
    credential.refresh_from_db()
    assert credential.needs_reconnecting
    assert credential.refresh_token == STORED_REFRESH
    assert Notification.objects.filter(workspace=workspace, kind="connection_needs_attention").exists()


# com.atproto.server.deleteSession (lexicons/com/atproto/server/deleteSession.json: a procedure with no input or
# output, authenticated by the refresh token; packages/pds/src/api/com/atproto/server/deleteSession.ts answers 200
# with an empty body; a refresh token already revoked gets the auth verifier's 400 ExpiredToken/InvalidToken).
DELETE_SESSION = "https://bsky.social/xrpc/com.atproto.server.deleteSession"


def _connected_bluesky(workspace):
    grant = Grant(access_token=SESSION_ACCESS, refresh_token=SESSION_REFRESH, account_id=DID,
                        account_name="acme.bsky.social")  # fmt: skip
    return credential_connect(workspace=workspace, platform="bluesky", grant=grant, by=None)


@pytest.mark.django_db
def test_removing_bluesky_signs_its_session_out_with_the_refresh_token(client_as, workspace, monkeypatch):
    from django.urls import reverse

    replay = Replay({"method": "POST", "url": DELETE_SESSION, "status": 200, "body": ""}).install(monkeypatch)
    client = client_as(ws=workspace)
    credential = _connected_bluesky(workspace)
    page = client.post(reverse("metrics:credential_delete", args=[credential.pk]), follow=True).content.decode()
    assert [(c.method, c.url) for c in replay.calls] == [("POST", DELETE_SESSION)]
    assert replay.calls[0].headers["authorization"] == f"Bearer {SESSION_REFRESH}"
    assert not Credential.objects.filter(workspace=workspace).exists()
    assert "Bluesky disconnected: its token is revoked." in page


@pytest.mark.django_db
def test_a_bluesky_sign_out_refused_still_forgets_the_session_and_says_so(client_as, workspace, monkeypatch):
    from django.urls import reverse

    Replay({"method": "POST", "url": DELETE_SESSION, "status": 400,
            "headers": {"content-type": "application/json; charset=utf-8"},
            "json": {"error": "ExpiredToken", "message": "Token has expired"}}).install(monkeypatch)  # fmt: skip
    client = client_as(ws=workspace)
    credential = _connected_bluesky(workspace)
    page = client.post(reverse("metrics:credential_delete", args=[credential.pk]), follow=True).content.decode()
    assert not Credential.objects.filter(workspace=workspace).exists()
    assert "Bluesky did not confirm it revoked the token" in page
