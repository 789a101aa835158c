"""The social networks the workspace knows. One list, shared by every app."""

from django.db import models


class Platform(models.TextChoices):
    X = "x", "X (Twitter)"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    LINKEDIN = "linkedin", "LinkedIn"
    YOUTUBE = "youtube", "YouTube"
    TIKTOK = "tiktok", "TikTok"
    PINTEREST = "pinterest", "Pinterest"
    BLUESKY = "bluesky", "Bluesky"
    MASTODON = "mastodon", "Mastodon"
    OTHER = "other", "Other"


# Networks that give no other brand's figures through their API (shared/PLATFORMS.md): a competitor's account there
# is tracked by name only, never pulled. The one place for this rule: the connectors, the connections page and the
# benchmark all read it.
NO_COMPETITOR_DATA = {
    Platform.LINKEDIN: "LinkedIn gives follower and post figures only to a page's own admins, not for competitors.",
}


# One colour per network, used by every calendar and chart.
PLATFORM_COLOURS = {
    Platform.X: "#111111",
    Platform.FACEBOOK: "#1877f2",
    Platform.INSTAGRAM: "#d62976",
    Platform.LINKEDIN: "#0a66c2",
    Platform.YOUTUBE: "#ff0000",
    Platform.TIKTOK: "#25f4ee",
    Platform.PINTEREST: "#e60023",
    Platform.BLUESKY: "#1185fe",  # Bluesky's butterfly blue
    Platform.MASTODON: "#6364ff",  # Mastodon's brand purple
    Platform.OTHER: "#6c757d",
}

# One Bootstrap icon per network (bi-<name>), beside the account on the calendars' chips.
PLATFORM_ICONS = {
    Platform.X: "twitter-x",
    Platform.FACEBOOK: "facebook",
    Platform.INSTAGRAM: "instagram",
    Platform.LINKEDIN: "linkedin",
    Platform.YOUTUBE: "youtube",
    Platform.TIKTOK: "tiktok",
    Platform.PINTEREST: "pinterest",
    Platform.BLUESKY: "bluesky",
    Platform.MASTODON: "mastodon",
    Platform.OTHER: "globe",
}

_LABELS = dict(Platform.choices)


def icon_of(platform: str) -> str:
    """The network's Bootstrap icon name; an unknown value gets the icon of "Other"."""
    return PLATFORM_ICONS.get(platform, PLATFORM_ICONS[Platform.OTHER])


def colour_of(platform: str) -> str:
    """The network's colour; a value no network has (a network since removed) gets the colour of "Other"."""
    return PLATFORM_COLOURS.get(platform, PLATFORM_COLOURS[Platform.OTHER])


def account_name(platform: str, handle: str) -> str:
    """How an account is named on every page: "@handle on Network"."""
    return f"@{handle} on {label_of(platform)}"


def label_of(platform: str) -> str:
    """The network's name ("x" -> "X (Twitter)"), from a dict built once; an unknown value as stored."""
    return _LABELS.get(platform, platform)
