"""A deterministic demo platform: plausible figures, no network. Same handle and day, same figures."""

import fcntl
import functools
import hashlib
import json
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .base import (
    Connector,
    HandleNotFound,
    MediaSource,
    PostData,
    PostsPage,
    ProfileData,
    PublishResult,
)

# Handles that behave like a suspended account, so the demo shows that state too.
SUSPENDED_HANDLES = frozenset({"suspended", "gone_brand"})
HISTORY_DAYS = 3 * 365
TOPICS = [
    "Behind the scenes at our workshop",
    "New product launch: meet the team",
    "Customer story of the week",
    "Tips to get the most out of your order",
    "Live Q&A this Thursday",
    "Our sustainability report is out",
    "Weekend giveaway: tell us your favourite",
    "Event recap with photos",
    "We are hiring: join the team",
    "Poll: which colour should we make next?",
]
MEDIA_TYPES = ["photo", "video", "text", "carousel", "link"]


def _unit(*parts) -> float:
    """A stable pseudo-random number in [0, 1) from the given parts."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@functools.lru_cache(maxsize=4096)
def _units(*prefix):
    """unit(x) == _unit(*prefix, x), with the prefix hashed once: the demo draws thousands of numbers per profile."""
    head = hashlib.sha256(("|".join(str(p) for p in prefix) + "|").encode())

    def unit(last) -> float:
        digest = head.copy()
        digest.update(str(last).encode())
        return int.from_bytes(digest.digest()[:8], "big") / 2**64

    return unit


@functools.lru_cache(maxsize=4096)
def _growth_curve(platform: str, handle: str) -> tuple[int, float]:
    """A profile's follower base and daily growth: the same for every day, so computed once per profile."""
    return 2_000 + int(_unit(platform, handle, "base") * 60_000), 0.0004 + _unit(platform, handle, "growth") * 0.0012


def _wait_like_a_platform(share: float = 1.0) -> None:
    """A real platform takes a few hundred milliseconds per call; DEMO_PLATFORM_LATENCY makes the demo do so too
    (fault tests and the crisis benchmark publish through it at a real platform's pace)."""
    latency = settings.DEMO_PLATFORM_LATENCY * share
    if latency > 0:
        time.sleep(latency)


class PublishedLedger:
    """What the demo platform has accepted, in a file shared by every process on the machine (one JSON line per
    post), so that a post can be looked up after the worker that sent it died, as on a real platform."""

    def __init__(self, platform: str, *, of: str = "published"):
        folder = Path(settings.DEMO_PLATFORM_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{platform}-{of}.jsonl"  # the posts, or ("comments") the first comments under them

    def add(self, entry: dict) -> None:
        with self.path.open("a", encoding="utf-8") as out:
            fcntl.flock(out, fcntl.LOCK_EX)
            out.write(json.dumps(entry) + "\n")

    def entries(self) -> list[dict]:
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as lines:
            fcntl.flock(lines, fcntl.LOCK_SH)
            return [json.loads(line) for line in lines if line.strip()]


class DemoConnector(Connector):
    def __init__(self, platform: str, *, now: datetime | None = None, is_own: bool = True, handle: str = ""):
        self.platform = platform
        self.now = now or timezone.now()
        self.is_own = is_own
        self.handle = handle

    # Figures for any day come from a smooth growth curve with a little daily noise.
    def followers_on(self, handle: str, day) -> int:
        base, daily_growth = _growth_curve(self.platform, handle)
        age = (day - (self.now.date() - timedelta(days=HISTORY_DAYS))).days
        noise = 1 + (_units(self.platform, handle)(day) - 0.5) * 0.002
        return max(0, int(base * (1 + daily_growth) ** max(age, 0) * noise))

    def fetch_profile(self, *, handle: str, external_id: str = "") -> ProfileData:
        _wait_like_a_platform()
        if handle.lower() in SUSPENDED_HANDLES:
            raise HandleNotFound(f"@{handle} is suspended on {self.platform}.")
        return ProfileData(
            external_id=external_id or f"demo-{self.platform}-{handle}",
            handle=handle,
            display_name=handle.replace("_", " ").title(),
            followers=self.followers_on(handle, self.now.date()),
            following=100 + int(_unit(self.platform, handle, "following") * 900),
            posts_count=len(self._post_times(handle)),
        )

    def _post_times(self, handle: str) -> list[datetime]:
        """Publication times over the history, newest first: 2 to 9 posts a week per profile."""
        per_week = 2 + int(_unit(self.platform, handle, "cadence") * 8)
        gap = timedelta(days=7 / per_week)
        start = datetime.combine(self.now.date() - timedelta(days=HISTORY_DAYS), datetime.min.time(), tzinfo=UTC)
        times, at, i = [], start + timedelta(hours=9), 0
        jitter_unit = _units(self.platform, handle, "jitter")
        while at < self.now:
            jitter = timedelta(minutes=int(jitter_unit(i) * 240))
            times.append(at + jitter)
            at, i = at + gap, i + 1
        return [t for t in reversed(times) if t < self.now]

    def post_for(self, handle: str, published_at: datetime) -> PostData:
        index = int(published_at.timestamp()) // 60  # stable whatever page or window asked for it
        followers = self.followers_on(handle, published_at.date())
        quality = _units(self.platform, handle, "post")(index)
        rate = 0.002 + quality**3 * 0.06  # most posts modest, a few stand out
        # Young posts are still gathering engagement.
        age_hours = (self.now - published_at).total_seconds() / 3600
        maturity = min(1.0, 0.35 + age_hours / 72)
        total = int(followers * rate * maturity)
        likes = int(total * 0.78)
        comments = int(total * 0.09)
        shares = total - likes - comments
        external_id = f"{handle}-{int(published_at.timestamp())}"
        return PostData(
            external_id=external_id,
            published_at=published_at,
            text=f"{TOPICS[index % len(TOPICS)]} #{handle.split('_')[0]}",
            permalink=f"https://demo.invalid/{self.platform}/{handle}/{external_id}",
            media_type=MEDIA_TYPES[int(_units(self.platform, handle, "media")(index) * len(MEDIA_TYPES))],
            likes=likes,
            comments=comments,
            shares=shares,
            views=int(followers * (0.2 + quality * 0.6) * maturity),
        )

    def fetch_posts(
        self, *, external_id: str, since: datetime | None = None, cursor: str | None = None, page_size: int = 100
    ) -> PostsPage:
        _wait_like_a_platform()
        handle = external_id.split("-", 2)[-1] if external_id.startswith("demo-") else external_id
        times = self._post_times(handle)
        if since is not None:
            times = [t for t in times if t > since]
        offset = int(cursor or 0)
        window = times[offset : offset + page_size]
        total = len(times)
        posts = [self.post_for(handle, t) for t in window]
        next_cursor = str(offset + page_size) if offset + page_size < total else None
        return PostsPage(posts=posts, next_cursor=next_cursor)

    def publish(
        self, *, text: str, media_urls: Sequence[str] = (), attempt_id: str = "", media: Sequence[MediaSource] = ()
    ) -> PublishResult:
        """The demo platform accepts every post half-way through its latency and keeps it in its ledger."""
        called_at = time.time()
        _wait_like_a_platform(0.5)
        external_id = f"demo-pub-{uuid.uuid4().hex[:16]}"
        result = PublishResult(
            external_id=external_id, permalink=f"https://demo.invalid/{self.platform}/posts/{external_id}"
        )
        PublishedLedger(self.platform).add(
            {
                "external_id": external_id,
                "permalink": result.permalink,
                "handle": self.handle,
                "text": text,
                "media_urls": list(media_urls),
                "media_files": [item.name for item in media],
                "attempt_id": attempt_id,
                "called_at": called_at,
                "accepted_at": time.time(),
            }
        )
        _wait_like_a_platform(0.5)  # the answer travels back: a worker killed now leaves the post unrecorded
        return result

    def comment(self, *, post_id: str, text: str) -> str:
        """The demo platform takes every first comment and keeps it in its ledger, under its post."""
        _wait_like_a_platform(0.5)
        comment_id = f"demo-comment-{uuid.uuid4().hex[:16]}"
        PublishedLedger(self.platform, of="comments").add(
            {"external_id": comment_id, "reply_to": post_id, "handle": self.handle, "text": text,
             "accepted_at": time.time()}
        )  # fmt: skip
        _wait_like_a_platform(0.5)  # the answer travels back: a worker killed now leaves the comment unrecorded
        return comment_id

    def find_published(self, *, text: str, since: datetime, attempt_id: str = "") -> PublishResult | None:
        """The demo platform keeps every post's attempt id, so a lookup is exact."""
        _wait_like_a_platform()
        for entry in PublishedLedger(self.platform).entries():
            same = entry["attempt_id"] == attempt_id if attempt_id else entry["text"] == text
            if same and entry["accepted_at"] >= since.timestamp() and entry.get("handle", "") == self.handle:
                return PublishResult(external_id=entry["external_id"], permalink=entry["permalink"])
        return None
