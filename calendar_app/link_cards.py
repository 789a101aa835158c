"""Link cards for the composer's preview: the title, description and site a shared link shows on the networks.

The networks build a card from the page's Open Graph tags (`og:title`, `og:description`, `og:site_name`, falling back
to `twitter:*`, `<title>` and `<meta name="description">`); the preview reads the same tags, so the author sees the
card before the post goes out, and a page without tags ("no card: the network shows the bare link").

Fetching an address a member typed is a request this server makes on their behalf, so it is fenced:
- only http and https, on ports 80 and 443;
- every address the host name resolves to must be public (no loopback, private, link-local or reserved range: the
  server's own network and the cloud's metadata address stay out of reach), checked again on each redirect (at most
  3, each followed by hand);
- 4 seconds to connect and read, at most 512 KB read, HTML only.
A card is kept per workspace and address for a day (`LinkCard`), so typing does not fetch the page again.
The check resolves the name before the request and the request resolves it again; a host that answers a public
address to the first and a private one to the second (DNS rebinding) gets one request through. Pinning the address
for the connection closes it; until then the answer read is only a page's title, never shown raw.
"""

import ipaddress
import socket
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests
from django.utils import timezone

from .models import LinkCard

KEPT_FOR = timedelta(days=1)
TIMEOUT = (4, 4)
MAX_BYTES = 512 * 1024
MAX_REDIRECTS = 3
USER_AGENT = "Mozilla/5.0 (compatible; SMM-Workspace-LinkPreview/1.0)"


class CardRefused(Exception):
    """An address the preview will not fetch, or a page it could not read; the message says which, for the author."""


def _addresses(host: str) -> list[str]:
    """Every address the host name resolves to (a seam for tests: nothing here reaches a real DNS)."""
    try:
        return [info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)]
    except (socket.gaierror, UnicodeError) as error:
        raise CardRefused("That site's name does not resolve.") from error


def check_address(url: str) -> str:
    """The address if the preview may fetch it, else CardRefused saying why."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CardRefused("Only http and https links get a card.")
    if parts.port not in (None, 80, 443):
        raise CardRefused("Links to another port than 80 or 443 get no card.")
    for address in _addresses(parts.hostname):
        if not ipaddress.ip_address(address.split("%")[0]).is_global:
            raise CardRefused("That link points into a private network: no card.")
    return url


class _Tags(HTMLParser):
    """The page's card tags, read from its <head> (parsing stops at <body>)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title, self._in_title, self.done = "", False, False

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.done = True
        elif tag == "title":
            self._in_title = True
        elif tag == "meta":
            values = dict(attrs)
            key = (values.get("property") or values.get("name") or "").strip().lower()
            if key and values.get("content") and key not in self.meta:
                self.meta[key] = values["content"].strip()

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title and not self.done:
            self.title += data


def _first(meta: dict, *keys: str, limit: int) -> str:
    for key in keys:
        if meta.get(key):
            return " ".join(meta[key].split())[:limit]
    return ""


def _get(url: str) -> tuple[str, str]:
    """The page's final address and its first MAX_BYTES as text, following redirects by hand (each one checked)."""
    for _ in range(MAX_REDIRECTS + 1):
        check_address(url)
        try:
            response = requests.get(
                url,
                timeout=TIMEOUT,
                allow_redirects=False,
                stream=True,
                headers={"User-Agent": USER_AGENT, "Accept": "text/html"},
            )
        except requests.RequestException as error:
            raise CardRefused("The site did not answer.") from error
        with response:
            if response.is_redirect and response.headers.get("Location"):
                url = urljoin(url, response.headers["Location"])
                continue
            if response.status_code >= 400:
                raise CardRefused(f"The site answered {response.status_code}: no card.")
            if "html" not in response.headers.get("Content-Type", ""):
                raise CardRefused("That link is not a web page: the network shows the bare link.")
            body = b""
            for chunk in response.iter_content(16384):
                body += chunk
                if len(body) >= MAX_BYTES:
                    break
            return url, body[:MAX_BYTES].decode(response.encoding or "utf-8", errors="replace")
    raise CardRefused("Too many redirects: no card.")


def read_card(url: str) -> dict:
    """Fetches the page and reads its card (title, description, site name); CardRefused when it cannot."""
    final, html = _get(url)
    tags = _Tags()
    tags.feed(html)  # Python's HTMLParser reads broken markup as far as it can, without raising
    meta = tags.meta
    title = _first(meta, "og:title", "twitter:title", limit=300) or " ".join(tags.title.split())[:300]
    return {
        "final_url": final,
        "title": title,
        "description": _first(meta, "og:description", "twitter:description", "description", limit=500),
        "site_name": _first(meta, "og:site_name", limit=120) or (urlsplit(final).hostname or ""),
    }


def link_card(*, workspace, url: str, now=None) -> LinkCard:
    """The workspace's card for this address, read again when older than a day. A refusal is kept too (its `error`),
    so a link that gets no card is not fetched on every key stroke."""
    now = now or timezone.now()
    card = LinkCard.objects.filter(workspace=workspace, url=url).first()
    if card and card.fetched_at > now - KEPT_FOR:
        return card
    fields = {"final_url": "", "title": "", "description": "", "site_name": "", "error": ""}
    try:
        fields |= read_card(url)
    except CardRefused as refusal:
        fields["error"] = str(refusal)
    card, _ = LinkCard.objects.update_or_create(workspace=workspace, url=url, defaults=fields | {"fetched_at": now})
    return card
