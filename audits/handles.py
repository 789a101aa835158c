"""What a handle and a profile URL look like on each network, so the inventory refuses what cannot be right."""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from metrics.platforms import Platform


@dataclass(frozen=True)
class HandleRule:
    pattern: str  # a full match on the handle, without the leading @
    hint: str  # says in words what the pattern allows
    hosts: tuple[str, ...]  # the URL's host must be one of these or a subdomain of one
    profile_url: str  # canonical URL built from the handle ({} or {user}, {domain}) when none is given


RULES: dict[str, HandleRule] = {
    Platform.X: HandleRule(
        r"[A-Za-z0-9_]{1,15}", "1 to 15 letters, digits or underscores", ("x.com", "twitter.com"), "https://x.com/{}"
    ),
    Platform.FACEBOOK: HandleRule(
        r"[A-Za-z0-9.\-]{3,50}",
        "3 to 50 letters, digits, dots or hyphens",
        ("facebook.com", "fb.com"),
        "https://www.facebook.com/{}",
    ),
    Platform.INSTAGRAM: HandleRule(
        r"[A-Za-z0-9._]{1,30}",
        "1 to 30 letters, digits, dots or underscores",
        ("instagram.com",),
        "https://www.instagram.com/{}/",
    ),
    Platform.LINKEDIN: HandleRule(
        r"[A-Za-z0-9\-]{2,100}",
        "2 to 100 letters, digits or hyphens (the company page's slug)",
        ("linkedin.com",),
        "https://www.linkedin.com/company/{}/",
    ),
    Platform.YOUTUBE: HandleRule(
        r"[A-Za-z0-9._\-]{3,30}",
        "3 to 30 letters, digits, dots, hyphens or underscores",
        ("youtube.com", "youtu.be"),
        "https://www.youtube.com/@{}",
    ),
    Platform.TIKTOK: HandleRule(
        r"[A-Za-z0-9._]{2,24}",
        "2 to 24 letters, digits, dots or underscores",
        ("tiktok.com",),
        "https://www.tiktok.com/@{}",
    ),
    Platform.PINTEREST: HandleRule(
        r"[A-Za-z0-9_]{3,30}",
        "3 to 30 letters, digits or underscores",
        ("pinterest.com", "pinterest.fr", "pinterest.co.uk", "pinterest.de", "pinterest.es", "pinterest.it"),
        "https://www.pinterest.com/{}/",
    ),
    # A Bluesky handle is a domain name: "brand.bsky.social", or the brand's own domain (atproto "Handle").
    Platform.BLUESKY: HandleRule(
        r"(?=.{3,253}$)([A-Za-z0-9]([A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]([A-Za-z0-9\-]{0,61}[A-Za-z0-9])?",
        "a domain name such as brand.bsky.social",
        ("bsky.app",),
        "https://bsky.app/profile/{}",
    ),
    # A Mastodon account lives on its own server: "user@server". Its address is on that server, so any host will do.
    Platform.MASTODON: HandleRule(
        r"[A-Za-z0-9_]{1,30}@([A-Za-z0-9]([A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}",
        "the full address user@server, such as brand@mastodon.social",
        (),
        "https://{domain}/@{user}",
    ),
}


def normalise_handle(handle: str) -> str:
    """The handle as people type it, without spaces or the leading @."""
    return (handle or "").strip().lstrip("@").strip()


def handle_error(platform: str, handle: str) -> str | None:
    """A sentence saying why `handle` cannot be an account on `platform`, or None when it can."""
    if not handle:
        return "Enter the account's handle."
    rule = RULES.get(platform)
    if rule is None:  # "Other": any name will do
        return None if len(handle) <= 100 else "Keep the handle under 100 characters."
    if not re.fullmatch(rule.pattern, handle):
        return f"“{handle}” cannot be a handle on {Platform(platform).label}: use {rule.hint}, without the leading @."
    return None


def url_error(platform: str, url: str) -> str | None:
    """A sentence saying why `url` cannot be the address of an account on `platform`, or None."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "Enter a full address starting with https://."
    rule = RULES.get(platform)
    if rule is None:
        return None
    host = parts.hostname.lower()
    if not rule.hosts:  # no one host: each server its own (Mastodon)
        return None
    if not any(host == h or host.endswith("." + h) for h in rule.hosts):
        return f"This address is not on {Platform(platform).label}: it should be on {rule.hosts[0]}."
    return None


def profile_url(platform: str, handle: str) -> str:
    """The usual address of an account, for when the inventory is given only a handle."""
    rule = RULES.get(platform)
    if not rule or not handle:
        return ""
    user, _, domain = handle.partition("@")
    return rule.profile_url.format(handle, user=user, domain=domain)
