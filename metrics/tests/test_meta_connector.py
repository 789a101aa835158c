"""The Meta connectors against Graph API replies in their documented shapes, through pyfacebook."""

import re
from datetime import UTC, datetime

import pytest
import requests
import responses

from metrics.connectors.base import AuthExpired, HandleNotFound, NotAvailable, RateLimited, TransientError
from metrics.connectors.meta import FacebookPageConnector, InstagramConnector

GRAPH = "https://graph.facebook.com/v24.0"


def graph_error(code, message="An error", subcode=None, **extra):
    error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbCdEf", **extra}
    if subcode:
        error["error_subcode"] = subcode
    return {"error": error}


def fb_post(n, shares=None):
    post = {
        "id": f"123_{n}",
        "message": f"Post {n}",
        "created_time": "2026-11-20T10:00:00+0000",
        "permalink_url": f"https://www.facebook.com/123/posts/{n}",
        "likes": {"data": [], "summary": {"total_count": 50, "can_like": True, "has_liked": False}},
        "comments": {"data": [], "summary": {"order": "ranked", "total_count": 7, "can_comment": True}},
    }
    if shares is not None:
        post["shares"] = {"count": shares}
    return post


@pytest.fixture
def page():
    return FacebookPageConnector(token="page-token", timeout=5, page_id="123")


@responses.activate
def test_page_followers_come_from_followers_count(page):
    responses.get(f"{GRAPH}/acmepage", json={"id": "123", "name": "Acme", "followers_count": 9000, "fan_count": 8700})
    profile = page.fetch_profile(handle="acmepage")
    assert (profile.external_id, profile.followers) == ("123", 9000)
    assert responses.calls[0].request.req_kwargs["timeout"] == 5


@responses.activate
def test_page_posts_follow_paging_and_tolerate_missing_shares(page):
    responses.get(
        f"{GRAPH}/123/posts",
        json={
            "data": [fb_post(1, shares=4), fb_post(2)],
            "paging": {"cursors": {"before": "B1", "after": "A1"}, "next": f"{GRAPH}/123/posts?after=A1&limit=2"},
        },
    )
    responses.get(
        f"{GRAPH}/123/posts", json={"data": [fb_post(3)], "paging": {"cursors": {"before": "B2", "after": "A2"}}}
    )
    first = page.fetch_posts(external_id="123")
    second = page.fetch_posts(external_id="123", cursor=first.next_cursor)
    assert first.next_cursor == "A1" and second.next_cursor is None
    assert responses.calls[1].request.params["after"] == "A1"
    assert [(p.likes, p.comments, p.shares) for p in first.posts] == [(50, 7, 4), (50, 7, 0)]


@pytest.mark.parametrize("code", [4, 17, 32, 613])
@responses.activate
def test_throttling_codes_wait_for_the_time_meta_estimates(page, code):
    usage = '{"123": [{"type": "pages", "call_count": 100, "total_cputime": 20, "total_time": 30, "estimated_time_to_regain_access": 12}]}'
    responses.get(
        f"{GRAPH}/123/posts",
        status=400,
        headers={"X-Business-Use-Case-Usage": usage},
        json=graph_error(code, "(#4) Application request limit reached", is_transient=True),
    )
    with pytest.raises(RateLimited) as caught:
        page.fetch_posts(external_id="123")
    assert caught.value.retry_after == 12 * 60


@responses.activate
def test_throttling_without_an_estimate_waits_an_hour(page):
    responses.get(f"{GRAPH}/123/posts", status=400, json=graph_error(17, "(#17) User request limit reached"))
    with pytest.raises(RateLimited) as caught:
        page.fetch_posts(external_id="123")
    assert caught.value.retry_after == 3600


@responses.activate
def test_usage_near_the_limit_pauses_before_meta_blocks(page):
    responses.get(
        f"{GRAPH}/acmepage",
        headers={"X-App-Usage": '{"call_count": 97, "total_time": 10, "total_cputime": 10}'},
        json={"id": "123", "name": "Acme", "followers_count": 1},
    )
    # The call that brought the header succeeded: it keeps its answer.
    assert page.fetch_profile(handle="acmepage").followers == 1
    # The next call (here or in another worker with the same token) waits without asking Meta.
    with pytest.raises(RateLimited):
        FacebookPageConnector(token="page-token", page_id="123").fetch_profile(handle="acmepage")
    assert len(responses.calls) == 1


@responses.activate
def test_an_expired_token_needs_attention(page):
    responses.get(
        f"{GRAPH}/acmepage",
        status=400,
        json=graph_error(190, "Error validating access token: Session has expired.", subcode=463),
    )
    with pytest.raises(AuthExpired):
        page.fetch_profile(handle="acmepage")


@responses.activate
def test_another_brands_page_without_public_content_access_is_not_available(page):
    responses.get(
        f"{GRAPH}/rivalpage",
        status=400,
        json=graph_error(100, "Unsupported get request. Object with ID 'rivalpage' does not exist", subcode=33),
    )
    with pytest.raises(NotAvailable):
        page.fetch_profile(handle="rivalpage")


@responses.activate
def test_network_failures_are_transient(page):
    responses.get(f"{GRAPH}/acmepage", body=requests.ConnectionError("reset"))
    with pytest.raises(TransientError):
        page.fetch_profile(handle="acmepage")


IG_MEDIA = {
    "id": "1790",
    "caption": "Studio day",
    "timestamp": "2026-11-19T08:30:00+0000",
    "permalink": "https://www.instagram.com/p/abc/",
    "media_type": "IMAGE",
    "like_count": 120,
    "comments_count": 9,
}


@responses.activate
def test_own_instagram_account_gives_followers_and_media():
    ig = InstagramConnector(token="t", own_account_id="1784", is_own=True)
    responses.get(
        f"{GRAPH}/1784",
        json={"id": "1784", "username": "acme", "followers_count": 4000, "follows_count": 50, "media_count": 210},
    )
    responses.get(
        f"{GRAPH}/1784/media",
        json={"data": [IG_MEDIA, {**IG_MEDIA, "id": "1791"}], "paging": {"cursors": {"after": "Q"}}},
    )
    profile = ig.fetch_profile(handle="acme")
    page = ig.fetch_posts(external_id="1784")
    assert (profile.followers, profile.following, profile.posts_count) == (4000, 50, 210)
    assert page.next_cursor is None  # no "next": last page
    assert (page.posts[0].likes, page.posts[0].comments, page.posts[0].media_type) == (120, 9, "image")


@responses.activate
def test_competitor_on_instagram_goes_through_business_discovery():
    ig = InstagramConnector(token="t", own_account_id="1784", is_own=False)
    responses.get(
        f"{GRAPH}/1784",
        json={
            "business_discovery": {
                "id": "1799",
                "username": "rival",
                "followers_count": 12000,
                "media_count": 80,
                "media": {
                    "data": [{k: v for k, v in IG_MEDIA.items() if k != "like_count"}],
                    "paging": {"cursors": {"after": "C1"}, "next": "x"},
                },
            },
            "id": "1784",
        },
    )
    profile = ig.fetch_profile(handle="rival")
    assert profile.followers == 12000
    assert "business_discovery.username(rival)" in responses.calls[0].request.params["fields"]
    page = ig.fetch_posts(external_id="1799")
    assert page.posts[0].likes is None  # hidden like counts come back absent: unknown, not zero
    assert page.next_cursor == "C1"


@responses.activate
def test_unknown_instagram_handle_is_not_found():
    ig = InstagramConnector(token="t", own_account_id="1784", is_own=False)
    responses.get(
        re.compile(f"{GRAPH}/1784.*"),
        status=400,
        json=graph_error(110, "Invalid user id", subcode=2207013),
    )
    with pytest.raises(HandleNotFound):
        ig.fetch_profile(handle="nobody")


@responses.activate
def test_a_pages_time_paged_next_is_followed_with_its_until_and_paging_token(page):
    # A Page's posts page by time: `next` carries until and __paging_token, no cursors.
    responses.get(
        f"{GRAPH}/123/posts",
        json={
            "data": [fb_post(1)],
            "paging": {"next": f"{GRAPH}/123/posts?access_token=t&until=1763546400&since&__paging_token=enc_Ad"},
        },
    )
    responses.get(f"{GRAPH}/123/posts", json={"data": [fb_post(2)]})
    first = page.fetch_posts(external_id="123")
    second = page.fetch_posts(external_id="123", cursor=first.next_cursor)
    asked = responses.calls[1].request.params
    assert (asked["until"], asked["__paging_token"]) == ("1763546400", "enc_Ad")
    assert "after" not in asked and "since" not in asked
    assert [p.external_id for p in first.posts + second.posts] == ["123_1", "123_2"]
    assert second.next_cursor is None


@responses.activate
def test_page_likes_come_from_reactions_when_meta_gives_them(page):
    post = fb_post(1, shares=2)
    post["reactions"] = {"data": [], "summary": {"total_count": 64, "viewer_reaction": "NONE"}}
    responses.get(f"{GRAPH}/123/posts", json={"data": [post]})
    assert page.fetch_posts(external_id="123").posts[0].likes == 64
    assert "reactions.summary(total_count)" in responses.calls[0].request.params["fields"]


@responses.activate
def test_competitor_media_page_through_business_discovery_cursors():
    # Built as connector_for builds it, with the handle: a resumed pull asks for page 2 without the profile.
    ig = InstagramConnector(token="t", own_account_id="1784", is_own=False, handle="rival")
    media = dict(IG_MEDIA)
    responses.get(
        f"{GRAPH}/1784",
        json={"business_discovery": {"media": {"data": [media], "paging": {"cursors": {"after": "C2"}}}, "id": "9"}},
    )
    responses.get(f"{GRAPH}/1784", json={"business_discovery": {"media": {"data": []}, "id": "9"}})
    first = ig.fetch_posts(external_id="9", cursor="C1")
    last = ig.fetch_posts(external_id="9", cursor=first.next_cursor)
    assert (
        "business_discovery.username(rival){media.after(C1).limit(100)" in responses.calls[0].request.params["fields"]
    )
    assert ".after(C2)" in responses.calls[1].request.params["fields"]
    assert (first.next_cursor, last.next_cursor, last.posts) == ("C2", None, [])


@responses.activate
def test_instagram_lookup_stops_at_media_older_than_the_attempt():
    ig = InstagramConnector(token="t", own_account_id="1784", is_own=True)
    old = {**IG_MEDIA, "id": "1", "caption": "Launch", "timestamp": "2026-11-10T08:00:00+0000"}
    responses.get(
        f"{GRAPH}/1784/media",
        json={"data": [old], "paging": {"cursors": {"after": "Q"}, "next": f"{GRAPH}/1784/media?after=Q"}},
    )
    assert ig.find_published(text="Launch", since=datetime(2026, 11, 19, tzinfo=UTC)) is None
    assert len(responses.calls) == 1  # the rest is older still: no second page


@responses.activate
def test_an_instagram_publish_whose_link_cannot_be_read_is_still_published():
    ig = InstagramConnector(token="t", own_account_id="1784", is_own=True)
    responses.post(f"{GRAPH}/1784/media", json={"id": "c1"})
    responses.post(f"{GRAPH}/1784/media_publish", json={"id": "m1"})
    responses.get(
        f"{GRAPH}/m1", status=500, json=graph_error(2, "An unexpected error has occurred.", is_transient=True)
    )
    result = ig.publish(text="Studio day", media_urls=["https://media.example/a.jpg"])
    assert (result.external_id, result.permalink) == ("m1", "")
