"""One interface for every platform. A connector returns plain data classes and never touches models."""

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import IO


@dataclass(frozen=True)
class ProfileData:
    external_id: str
    handle: str
    display_name: str
    followers: int
    following: int | None = None
    posts_count: int | None = None


@dataclass(frozen=True)
class PostData:
    external_id: str
    published_at: datetime
    text: str = ""
    permalink: str = ""
    media_type: str = ""
    # None: the platform did not give the figure (a hidden like count, a field it no longer sends), which is
    # not the same as zero.
    likes: int | None = 0
    comments: int | None = 0
    shares: int | None = 0
    views: int | None = None


@dataclass(frozen=True)
class PostsPage:
    posts: list[PostData]
    next_cursor: str | None = None  # None on the last page


@dataclass(frozen=True)
class MediaSource:
    """One of a post's media files as bytes, for a network that takes the file itself (X) rather than an address
    to fetch (Meta): `open()` gives a binary file to read from the start."""

    name: str
    content_type: str
    size: int
    open: Callable[[], IO[bytes]]
    alt_text: str = ""


@dataclass(frozen=True)
class PublishResult:
    external_id: str
    permalink: str = ""


class ConnectorError(Exception):
    """A platform call failed; `kind` says how the caller should react.

    `permanent`: asking again cannot help until a person changes something (the handle, the connection), so
    the pull schedule stops polling. `may_have_happened`: a write (a publish) may have reached the platform
    although no answer came back (a read timeout, a gateway error): it must be looked up, never sent again
    blindly.
    """

    kind = "error"
    permanent = False

    def __init__(self, message: str = "", *, retry_after: float | None = None, may_have_happened: bool = False):
        super().__init__(message or self.__class__.__doc__ or self.kind)
        self.retry_after = retry_after  # seconds to wait before trying again, when the platform says
        self.may_have_happened = may_have_happened


class TransientError(ConnectorError):
    """The platform or the network failed for now; retry with backoff."""

    kind = "transient"


class RateLimited(ConnectorError):
    """The platform's rate limit or usage cap was reached; retry after `retry_after` seconds."""

    kind = "rate_limited"


class AuthExpired(ConnectorError):
    """The token expired or was revoked: the connection needs a person's attention."""

    kind = "auth_expired"


class HandleNotFound(ConnectorError):
    """The handle is unknown, suspended or protected."""

    kind = "not_found"
    permanent = True


class InvalidHandle(HandleNotFound):
    """The platform refuses the handle itself (it cannot be a username there)."""

    kind = "invalid_handle"


class NotAvailable(ConnectorError):
    """The platform does not give this figure to us (for example another brand's Facebook Page)."""

    kind = "not_available"
    permanent = True


class NoLiveConnector(ConnectorError):
    """The app has no live connector for this network yet."""

    kind = "no_connector"
    permanent = True


class UnexpectedReply(ConnectorError):
    """The platform answered in a shape the connector does not read (a changed API, a gateway's page)."""

    kind = "unexpected_reply"


class Refused(ConnectorError):
    """The platform refused the request itself (a 4xx other than a rate limit or the token): sending it again
    unchanged cannot help."""

    kind = "refused"


class DuplicatePost(Refused):
    """The platform refused the post as a duplicate of one it already shows: look it up (find_published)
    rather than send it again."""

    kind = "duplicate"


class PublishNotSupported(ConnectorError):
    """This platform or connection cannot publish through the API."""

    kind = "publish_not_supported"


class LookupNotPossible(ConnectorError):
    """The platform gives no way to tell whether an earlier publish went out."""

    kind = "lookup_not_possible"


class Connector(ABC):
    platform: str
    # The most posts the platform lets anyone page back through (X: the newest 3,200), None when unbounded.
    max_reachable_posts: int | None = None

    @abstractmethod
    def fetch_profile(self, *, handle: str, external_id: str = "") -> ProfileData:
        """The profile's current figures."""

    @abstractmethod
    def fetch_posts(
        self, *, external_id: str, since: datetime | None = None, cursor: str | None = None, page_size: int = 100
    ) -> PostsPage:
        """One page of the profile's posts, newest first, published after `since` when given."""

    def publish(
        self, *, text: str, media_urls: Sequence[str] = (), attempt_id: str = "", media: Sequence[MediaSource] = ()
    ) -> PublishResult:
        """Create the post. `media_urls`: every media's address (typed ones, then the library's, signed), for a
        network that fetches them; `media`: the library files as bytes, for one that takes the files. `attempt_id`
        names this attempt; a platform that can store it lets find_published look the post up by it."""
        raise PublishNotSupported(f"Publishing on {self.platform} is not supported by this connection.")

    def comment(self, *, post_id: str, text: str) -> str:
        """Post `text` as the first comment under the account's own post `post_id`; returns the comment's id."""
        raise PublishNotSupported(f"First comments on {self.platform} are not supported by this connection yet.")

    def find_published(self, *, text: str, since: datetime, attempt_id: str = "") -> PublishResult | None:
        """After a crash or an unanswered publish: the post if the platform shows it (created since `since`, with
        this text or attempt id), None if the platform shows none; LookupNotPossible if it cannot tell."""
        raise LookupNotPossible(f"{self.platform} gives no way to look up an earlier post.")
