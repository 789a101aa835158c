"""LinkedIn organization pages through the Community Management API (versioned REST under /rest/).

LinkedIn maintains no Python client for the versioned REST API (linkedin-api-python-client is a beta it no longer
develops), so the connector speaks it itself through the platform timeout session, as the Mastodon connector does.
Every call goes through `LinkedInConnector._call`: every way it can fail (LinkedIn's error object, a 429 without
any reset, a gateway's page, a body that is not JSON, the network) becomes a classified ConnectorError there.

The organization is `urn:li:organization:{id}`, the tracked profile's external id. Its figures (network size,
follower and share statistics) are given to the page's administrators only: a competitor's page is not pulled
(`linkedin_connector`). Every request names the API version (`LinkedIn-Version`, the LINKEDIN_VERSION setting:
LinkedIn sunsets a version about a year after it ships) and Rest.li protocol 2.0.0, in which a URN is URL-encoded
in a path or a query and a list is written `List(a,b)`.
"""

import logging
import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote, urlsplit

import requests
from django.conf import settings

from .base import (
    AuthExpired,
    Connector,
    ConnectorError,
    DuplicatePost,
    HandleNotFound,
    LookupNotPossible,
    MediaSource,
    NotAvailable,
    PostData,
    PostsPage,
    ProfileData,
    PublishNotSupported,
    PublishResult,
    RateLimited,
    Refused,
    TransientError,
    UnexpectedReply,
)
from .http import TimeoutSession, describe, rate_limited, request_failure, unreadable_reply

log = logging.getLogger(__name__)

PAGE_SIZE = 100  # the most the Posts API's author finder gives per page
DEFAULT_RATE_LIMIT_WAIT = 15 * 60  # LinkedIn sends no Retry-After; a short throttle passes within minutes
LOOKUP_MARGIN = timedelta(minutes=5)
LOOKUP_PAGES = 3
FOLLOWER_HISTORY_DAYS = 365  # LinkedIn keeps time-bound statistics for a rolling 12 months
PHOTO_TYPES = {"image/jpeg", "image/png", "image/gif"}
VIDEO_TYPES = {"video/mp4"}
VIDEO_WAIT_SECONDS = 120.0  # within the send's time limit (calendar_app/tasks.py), as Instagram's containers
MAX_IMAGES = 20  # multiImage takes 2 to 20
PUBLISHED_STATES = {"PUBLISHED", "PUBLISHED_EDITED"}
URL = re.compile(r"https?://[^\s<>\"']+")
# Reserved characters of LinkedIn's "little text" format (the commentary of a post): escaped with a backslash,
# else LinkedIn reads them as markup (a mention, a hashtag) or drops the text after them.
LITTLE_TEXT_RESERVED = re.compile(r"([\\|{}@\[\]()<>#*_~])")
LITTLE_TEXT_ESCAPED = re.compile(r"\\([\\|{}@\[\]()<>#*_~])")
HASHTAG = re.compile(r"\{hashtag\|\\?#\|([^}]*)\}")
MENTION = re.compile(r"@\[([^\]]*)\]\(urn:li:[^)]*\)")


def organization_urn(organization_id: str) -> str:
    return f"urn:li:organization:{organization_id}"


def _enc(urn: str) -> str:
    """A URN as Rest.li 2.0 wants it inside a path or a query value."""
    return quote(urn, safe="")


def escape_commentary(text: str) -> str:
    """Plain text as the commentary of a post (little text format): every reserved character escaped."""
    return LITTLE_TEXT_RESERVED.sub(r"\\\1", text)


def commentary_text(commentary: str) -> str:
    """The plain text of a post's commentary as LinkedIn gives it back: hashtags (`{hashtag|\\#|tag}`) as #tag,
    mentions (`@[Name](urn:li:…)`) as their name, escapes dropped."""
    text = HASHTAG.sub(r"#\1", commentary or "")
    text = MENTION.sub(r"\1", text)
    return LITTLE_TEXT_ESCAPED.sub(r"\1", text)


def _comparable(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").strip()


class LinkedInConnector(Connector):
    platform = "linkedin"

    def __init__(
        self,
        *,
        token: str,
        organization_id: str,
        timeout: float | None = None,
        base_url: str | None = None,
        version: str | None = None,
    ):
        self.token = token
        self.organization_id = str(organization_id)
        self.organization = organization_urn(self.organization_id)
        self.version = version or settings.LINKEDIN_VERSION
        self.api = settings.LINKEDIN_API_URL.rstrip("/")
        self.session = TimeoutSession(timeout, base_url=base_url)
        self._followers: int | None = None
        self._history: dict[date, int] | None = None

    # ---- every call -------------------------------------------------------------------------------------------

    def _call(self, method: str, url: str, *, write: bool = False, creating: bool = False, **kwargs):
        """One call; its reply as a response whose status is 2xx, or a classified ConnectorError. `url`: a path
        under /rest/ (with its query already written in Rest.li syntax), or an absolute address (an upload).
        `write`: the call creates something public, so a failure after sending may have happened. `creating`: a
        refusal is about the post itself (a duplicate)."""
        headers = {
            "Authorization": f"Bearer {self.token}",
            "LinkedIn-Version": self.version,
            "X-Restli-Protocol-Version": "2.0.0",
            **kwargs.pop("headers", {}),
        }
        if not url.startswith("http"):
            url = f"{self.api}/rest{url}"
        try:
            response = self.session.request(method, url, headers=headers, **kwargs)
        except requests.RequestException as error:
            raise request_failure(error, platform="LinkedIn", write=write) from error
        if 200 <= response.status_code < 300:
            return response
        raise self._classify(response, write=write, creating=creating)

    def _classify(self, response, *, write: bool, creating: bool) -> ConnectorError:
        status, error = response.status_code, _error_object(response)
        message = f"LinkedIn error {status}"
        if error is not None:
            code = error.get("serviceErrorCode") or error.get("code")
            message += f"{f' ({code})' if code else ''}: {error.get('message') or 'no message'}"
        if status == 429:
            # LinkedIn counts calls per application and per member over a day (reset at midnight UTC) and says
            # nothing about when: a daily quota waits for the reset, any other throttle a quarter of an hour.
            daily = error is not None and "day" in str(error.get("message", "")).lower()
            return rate_limited(message, wait=_seconds_to_utc_midnight() if daily else None,
                                default=DEFAULT_RATE_LIMIT_WAIT)  # fmt: skip
        if error is None:  # not LinkedIn's error object: a gateway's or a proxy's page
            return unreadable_reply(response, platform="LinkedIn", write=write)
        if status == 401:  # serviceErrorCode 65600 (invalid), 65601 (revoked), 65602 (expired) and their kin
            return AuthExpired(f"LinkedIn refused the token: {message}")
        if status == 403:
            # The token lacks a scope (w_organization_social, rw_organization_admin), or the member who connected
            # is no longer an administrator of the page: a person must reconnect it.
            return AuthExpired(f"LinkedIn refused access with this connection (a permission or the page's admin "
                               f"role is missing): {message}")  # fmt: skip
        if status == 422 and creating and "duplicate" in message.lower():
            # "Content is a duplicate of urn:li:share:…": the post this publish meant to create is already there.
            return DuplicatePost(message, may_have_happened=True)
        if status == 426:  # the LinkedIn-Version asked for is sunset or does not exist
            return UnexpectedReply(f"LinkedIn no longer answers version {self.version} (LINKEDIN_VERSION): {message}")
        if status == 404 and not write:
            return HandleNotFound(f"LinkedIn organization {self.organization_id}: {message}")
        if 400 <= status < 500:
            return Refused(message)
        return TransientError(f"LinkedIn server error: {message}", may_have_happened=write)

    def _json(self, response, *, write: bool = False):
        try:
            return response.json()
        except ValueError as error:
            raise unreadable_reply(response, platform="LinkedIn", write=write) from error

    # ---- pulling ----------------------------------------------------------------------------------------------

    def fetch_profile(self, *, handle: str, external_id: str = "") -> ProfileData:
        """The page's follower count (its network size: LinkedIn's own figure since the follower statistics no
        longer give a total) and its name."""
        size = self._json(
            self._call("GET", f"/networkSizes/{_enc(self.organization)}?edgeType=COMPANY_FOLLOWED_BY_MEMBER")
        )
        followers = _count(size, "firstDegreeSize") if isinstance(size, dict) else None
        if followers is None:
            raise UnexpectedReply(f"LinkedIn's network size of {self.organization} carries no firstDegreeSize")
        page = self._json(self._call("GET", f"/organizations/{self.organization_id}"))
        if not isinstance(page, dict):
            raise UnexpectedReply(f"LinkedIn gave no organization for {self.organization}")
        self._followers = followers
        return ProfileData(
            external_id=self.organization_id,
            handle=page.get("vanityName") or handle,
            display_name=page.get("localizedName") or "",
            followers=followers,
        )

    def followers_on(self, handle: str, day: date) -> int | None:
        """For a backfill: the followers at the end of `day` (UTC days), from the page's daily follower gains
        over the last 12 months (time-bound follower statistics) counted back from today's network size; None
        before that window, or when the statistics are not given to this connection."""
        if self._history is None:
            self._history = self._follower_history()
        return self._history.get(day)

    def _follower_history(self) -> dict[date, int]:
        if self._followers is None:
            return {}
        today = datetime.now(UTC).date()
        start = datetime.combine(today - timedelta(days=FOLLOWER_HISTORY_DAYS), datetime.min.time(), UTC)
        end = datetime.combine(today + timedelta(days=1), datetime.min.time(), UTC)
        query = (
            f"q=organizationalEntity&organizationalEntity={_enc(self.organization)}"
            f"&timeIntervals=(timeRange:(start:{_ms(start)},end:{_ms(end)}),timeGranularityType:DAY)"
        )
        try:
            reply = self._json(self._call("GET", f"/organizationalEntityFollowerStatistics?{query}"))
        except (RateLimited, TransientError):
            raise
        except ConnectorError as error:  # the history is a bonus: a connection without it still pulls today's
            log.info("No follower history for %s: %s", self.organization, error)
            return {}
        gains: dict[date, int] = {}
        for element in _elements(reply):
            begins = (element.get("timeRange") or {}).get("start")
            figures = element.get("followerGains") or {}
            if isinstance(begins, int):
                day = datetime.fromtimestamp(begins / 1000, UTC).date()
                gains[day] = (_count(figures, "organicFollowerGain") or 0) + (_count(figures, "paidFollowerGain") or 0)
        if not gains:
            return {}
        history, followers = {}, self._followers
        day = today
        while day >= min(gains):  # the end of `day` is today's count less every gain made after it
            history[day] = max(0, followers)
            followers -= gains.get(day, 0)
            day -= timedelta(days=1)
        return history

    def fetch_posts(
        self, *, external_id: str, since: datetime | None = None, cursor: str | None = None, page_size: int = 100
    ) -> PostsPage:
        """One page of the organization's posts, newest created first, with each post's share statistics."""
        return self._posts(external_id=external_id, since=since, cursor=cursor, page_size=page_size, figures=True)

    def _posts(self, *, external_id: str, since, cursor, page_size: int, figures: bool) -> PostsPage:
        """`figures`: ask for the share statistics too (a look-up needs only the texts, and w_organization_social
        with r_organization_social, not the admin scope the statistics need)."""
        count, start = max(1, min(page_size, PAGE_SIZE)), int(cursor or 0)
        author = organization_urn(external_id or self.organization_id)
        query = f"author={_enc(author)}&q=author&count={count}&start={start}&sortBy=CREATED"
        response = self._call("GET", f"/posts?{query}")
        reply = self._json(response)
        if not isinstance(reply, dict) or not isinstance(reply.get("elements"), list):
            raise UnexpectedReply(f"LinkedIn gave {describe(response)} where a list of posts was expected")
        elements = [e for e in reply["elements"] if isinstance(e, dict)]
        # A draft or a post still processing is not on the page yet (its figures neither).
        posts = [_post(e) for e in elements if e.get("lifecycleState", "PUBLISHED") in PUBLISHED_STATES]
        kept = [p for p in posts if since is None or p.published_at > since]
        if figures:
            statistics = self._share_statistics([p.external_id for p in kept])
            kept = [_with_figures(post, statistics.get(post.external_id)) for post in kept]
        next_cursor = str(start + len(elements)) if _has_next(reply.get("paging"), start, len(elements)) else None
        if len(kept) < len(posts) or not elements:
            next_cursor = None  # reached `since`
        return PostsPage(posts=kept, next_cursor=next_cursor)

    def _share_statistics(self, urns: list[str]) -> dict[str, dict]:
        """Lifetime statistics of these posts (impressions, likes, comments, shares), by post URN. LinkedIn keeps
        them for posts of the last 12 months: an older post is left out of the reply."""
        found: dict[str, dict] = {}
        for kind, param in (("share", "shares"), ("ugcPost", "ugcPosts")):
            wanted = [urn for urn in urns if urn.startswith(f"urn:li:{kind}:")]
            if not wanted:
                continue
            query = (
                f"q=organizationalEntity&organizationalEntity={_enc(self.organization)}"
                f"&{param}=List({','.join(_enc(urn) for urn in wanted)})"
            )
            for element in _elements(self._json(self._call("GET", f"/organizationalEntityShareStatistics?{query}"))):
                urn = element.get(kind)
                if isinstance(urn, str) and isinstance(element.get("totalShareStatistics"), dict):
                    found[urn] = element["totalShareStatistics"]
        return found

    # ---- publishing -------------------------------------------------------------------------------------------

    def publish(
        self, *, text: str, media_urls: Sequence[str] = (), attempt_id: str = "", media: Sequence[MediaSource] = ()
    ) -> PublishResult:
        """The post, as the organization: its photos uploaded first through the Images API, or its video through
        the Videos API (nothing is public until the post is created, so a failed upload is a definite failure),
        or, with no media, the first link of the text as an article. LinkedIn keeps no attempt id: a lost answer is looked up by text."""
        if len(media_urls) > len(media):
            raise PublishNotSupported(
                "LinkedIn takes a post's photos as files: put the photos typed as addresses in the media library."
            )
        videos = [item for item in media if item.content_type in VIDEO_TYPES]
        if any(item.content_type not in PHOTO_TYPES | VIDEO_TYPES for item in media):
            raise Refused("LinkedIn takes JPEG, PNG or GIF photos, or one MP4 video.")
        if videos and len(media) > 1:
            raise Refused("A LinkedIn post takes one video alone, or photos.")
        if len(media) > MAX_IMAGES:
            raise Refused(f"LinkedIn takes at most {MAX_IMAGES} photos in a post.")
        images = [] if videos else [{"id": self._upload(item), "altText": item.alt_text[:4086]} for item in media]
        post = {
            "author": self.organization,
            "commentary": escape_commentary(text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if videos:
            post["content"] = {"media": {"id": self._upload_video(videos[0]), "title": _title(text, None)}}
        elif len(images) == 1:
            post["content"] = {"media": images[0]}
        elif images:
            post["content"] = {"multiImage": {"images": images}}
        elif link := URL.search(text):
            post["content"] = {"article": {"source": link.group(0).rstrip(".,;:!?)"), "title": _title(text, link)}}
        response = self._call("POST", "/posts", json=post, write=True, creating=True)
        urn = response.headers.get("x-restli-id") or ""
        if not urn.startswith("urn:li:"):
            raise UnexpectedReply(
                f"LinkedIn accepted the post but named no post (x-restli-id): {describe(response)}",
                may_have_happened=True,
            )
        return PublishResult(external_id=urn, permalink=permalink(urn))

    def _upload(self, item: MediaSource) -> str:
        """One photo through the Images API: initializeUpload gives an upload address and the image URN, the bytes
        go there in a PUT."""
        response = self._call(
            "POST", "/images?action=initializeUpload", json={"initializeUploadRequest": {"owner": self.organization}}
        )
        reply = self._json(response)
        value = reply.get("value") if isinstance(reply, dict) else None
        if not isinstance(value, dict) or not value.get("uploadUrl") or not value.get("image"):
            raise UnexpectedReply(f"{item.name}: LinkedIn's initializeUpload reply has no uploadUrl or image")
        if not self._is_linkedin(value["uploadUrl"]):  # the upload carries the token: only to LinkedIn itself
            raise UnexpectedReply(f"{item.name}: LinkedIn gave an upload address outside LinkedIn")
        with item.open() as file:
            self._call("PUT", value["uploadUrl"], data=file.read(), headers={"Content-Type": item.content_type})
        return str(value["image"])

    def _upload_video(self, item: MediaSource) -> str:
        """One video through the Videos API: initializeUpload with its size gives the parts to PUT (4 MB each),
        finalizeUpload takes the parts' ETags; then LinkedIn processes it, within a bound, before the post can
        show it."""
        response = self._call(
            "POST",
            "/videos?action=initializeUpload",
            json={"initializeUploadRequest": {"owner": self.organization, "fileSizeBytes": item.size,
                                              "uploadCaptions": False, "uploadThumbnail": False}},
        )  # fmt: skip
        reply = self._json(response)
        value = reply.get("value") if isinstance(reply, dict) else None
        parts = value.get("uploadInstructions") if isinstance(value, dict) else None
        if not value or not value.get("video") or not isinstance(parts, list) or not parts:
            raise UnexpectedReply(f"{item.name}: LinkedIn's video initializeUpload reply has no video or parts")
        etags = []
        with item.open() as file:
            for part in parts:
                first, last, url = part.get("firstByte"), part.get("lastByte"), part.get("uploadUrl") or ""
                if not isinstance(first, int) or not isinstance(last, int) or not self._is_linkedin(url):
                    raise UnexpectedReply(f"{item.name}: LinkedIn gave an upload part it cannot be sent to")
                file.seek(first)
                sent = self._call("PUT", url, data=file.read(last - first + 1),
                                  headers={"Content-Type": "application/octet-stream"})  # fmt: skip
                etags.append(sent.headers.get("ETag") or "")
        video = str(value["video"])
        self._call(
            "POST",
            "/videos?action=finalizeUpload",
            json={"finalizeUploadRequest": {"video": video, "uploadToken": value.get("uploadToken") or "",
                                            "uploadedPartIds": etags}},
        )  # fmt: skip
        self._wait_for_video(video, item)
        return video

    def _wait_for_video(self, video: str, item: MediaSource) -> None:
        waited = 0.0
        while True:
            state = self._json(self._call("GET", f"/videos/{_enc(video)}"))
            status = state.get("status") if isinstance(state, dict) else None
            if status == "AVAILABLE":
                return
            if status == "PROCESSING_FAILED":
                reason = state.get("processingFailureReason") or "no reason given"
                raise Refused(f"{item.name}: LinkedIn could not process this video ({reason}).")
            poll = settings.LINKEDIN_VIDEO_POLL_SECONDS
            if waited + poll > VIDEO_WAIT_SECONDS:
                raise TransientError(f"{item.name}: LinkedIn was still processing the video after {waited:.0f} s.")
            time.sleep(poll)
            waited += poll

    def _is_linkedin(self, url: str) -> bool:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        ours = {urlsplit(self.api).hostname, "linkedin.com"}
        return parts.scheme == "https" and (host in ours or host.endswith(".linkedin.com"))

    def comment(self, *, post_id: str, text: str) -> str:
        """A comment under the organization's post, as the organization; its URN (or id)."""
        response = self._call(
            "POST",
            f"/socialActions/{_enc(post_id)}/comments",
            json={"actor": self.organization, "object": post_id, "message": {"text": text}},
            write=True,
        )
        body = {}
        if response.content:
            body = self._json(response, write=True)
        comment_id = response.headers.get("x-restli-id") or (
            (body.get("$URN") or body.get("id")) if isinstance(body, dict) else None
        )
        if not comment_id:
            raise UnexpectedReply(
                f"LinkedIn accepted the comment but named none: {describe(response)}", may_have_happened=True
            )
        return str(comment_id)

    def find_published(self, *, text: str, since: datetime, attempt_id: str = "") -> PublishResult | None:
        """The organization's post with this text created since `since`, if LinkedIn shows one: its commentary is
        read back as plain text (hashtags, mentions and escapes of the little text format undone)."""
        wanted, cursor = _comparable(text), None
        try:
            for _ in range(LOOKUP_PAGES):
                page = self._posts(
                    external_id=self.organization_id, since=since - LOOKUP_MARGIN, cursor=cursor, page_size=50,
                    figures=False,
                )  # fmt: skip
                # Newest first: the oldest match is the one this publish created.
                for post in reversed(page.posts):
                    if _comparable(post.text) == wanted:
                        return PublishResult(external_id=post.external_id, permalink=post.permalink)
                cursor = page.next_cursor
                if not cursor:
                    return None
        except (AuthExpired, Refused, HandleNotFound, NotAvailable) as error:
            raise LookupNotPossible(f"LinkedIn cannot tell whether the post went out: {error}") from error
        raise LookupNotPossible(f"More than {LOOKUP_PAGES * 50} posts since {since:%Y-%m-%d %H:%M}: check there.")


def permalink(urn: str) -> str:
    return f"https://www.linkedin.com/feed/update/{urn}/"


def _error_object(response) -> dict | None:
    """LinkedIn's error object (`status`, `serviceErrorCode`, `code`, `message`), or None when the body is not
    that object."""
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict) or not isinstance(body.get("message"), str):
        return None
    return body


def _seconds_to_utc_midnight() -> float:
    now = datetime.now(UTC)
    return (datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), UTC) - now).total_seconds()


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _count(data: dict, name: str) -> int | None:
    value = data.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _elements(reply) -> list[dict]:
    if not isinstance(reply, dict) or not isinstance(reply.get("elements"), list):
        raise UnexpectedReply("LinkedIn's statistics reply has no elements")
    return [e for e in reply["elements"] if isinstance(e, dict)]


def _has_next(paging, start: int, got: int) -> bool:
    """Rest.li paging: a `next` link, else a `total` beyond this page, else a full page."""
    if not isinstance(paging, dict) or not got:
        return False
    links = paging.get("links") or []
    if any(isinstance(link, dict) and link.get("rel") == "next" for link in links):
        return True
    total = paging.get("total")
    if isinstance(total, int):
        return start + got < total
    return got >= (paging.get("count") or PAGE_SIZE)


def _title(text: str, link: re.Match | None) -> str:
    """An article (or a video) needs a title: the first line of the text without the link, else the link."""
    address = link.group(0) if link else ""
    first = next((line.strip() for line in text.replace(address, "").splitlines() if line.strip()), "")
    return (first or address)[:400]


def _media_type(content) -> str:
    if not isinstance(content, dict) or not content:
        return "text"
    if "multiImage" in content:
        return "image"
    if "article" in content:
        return "link"
    media_id = str((content.get("media") or {}).get("id") or "")
    for kind in ("image", "video", "document"):
        if media_id.startswith(f"urn:li:{kind}:"):
            return kind
    return next(iter(content))


def _post(element: dict) -> PostData:
    moment = element.get("publishedAt") or element.get("createdAt")
    urn = element.get("id")
    if not isinstance(moment, int) or not isinstance(urn, str) or not urn:
        raise UnexpectedReply(f"LinkedIn gave a post without an id or publishedAt: {urn!r}")
    return PostData(
        external_id=urn,
        published_at=datetime.fromtimestamp(moment / 1000, UTC),
        text=commentary_text(element.get("commentary") or ""),
        permalink=permalink(urn),
        media_type=_media_type(element.get("content")),
        likes=None,
        comments=None,
        shares=None,
    )


def _with_figures(post: PostData, figures: dict | None) -> PostData:
    """The post with its share statistics; without them (a post older than 12 months) its figures stay unknown."""
    if figures is None:
        return post
    return replace(
        post,
        likes=_count(figures, "likeCount"),
        comments=_count(figures, "commentCount"),
        shares=_count(figures, "shareCount"),
        views=_count(figures, "impressionCount"),
    )


def linkedin_connector(profile) -> LinkedInConnector:
    """The connector for a tracked LinkedIn page: the brand's own, through the workspace's connection (a competitor's
    page has none: connector_for refuses it, metrics.platforms.NO_COMPETITOR_DATA)."""
    from . import _credential

    if not profile.external_id:
        raise AuthExpired("This LinkedIn page has no organization id: connect it through LinkedIn.")
    _, token = _credential(profile)
    return LinkedInConnector(token=token, organization_id=profile.external_id)
