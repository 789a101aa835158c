"""What media each network takes with a post, checked before a post goes to review, and how its feed frames a photo.

From the networks' publishing documentation (December 2026):
- X: up to 4 photos, or 1 animated GIF, or 1 video, never mixed; a photo at most 5 MB, a GIF 15 MB, a video 512 MB
  (docs.x.com, "Media upload", "Best practices").
- Instagram (content publishing API): every post has media; one photo or video, or a carousel of 2 to 10; photos
  JPEG only, at most 8 MB, between 4:5 and 1.91:1; videos MP4 or MOV, at most 300 MB for a reel
  (developers.facebook.com, "Content Publishing").
- Facebook Pages: photos JPEG, PNG, GIF, BMP or TIFF, at most 4 MB (Graph API, "Page Photos"); video up to 10 GB.
- LinkedIn (Images and Videos APIs): photos JPEG, PNG or GIF under 36,152,320 pixels, up to 20 in a post
  (multiImage); one video, MP4, at most 500 MB.
- Bluesky: up to 4 images, each a blob of at most 1,000,000 bytes (lexicon app.bsky.embed.images: `maxLength` 4,
  `maxSize` 1000000), or one video of at most 100,000,000 bytes, MP4 (app.bsky.embed.video); a post has one embed,
  so never both. The lexicon accepts `image/*`; the apps send JPEG, PNG and WebP, which is what we allow.
- Mastodon: up to 4 attachments (`configuration.statuses.max_media_attachments` of /api/v2/instance), and a video
  only alone ("Cannot attach a video to a post that already contains images"). Each server sets its own sizes: these
  are mastodon.social's, from its /api/v2/instance: images up to 16 MB (`image_size_limit` 16777216), videos up
  to 99 MB (`video_size_limit` 103809024); JPEG, PNG, GIF, WebP images, MP4, MOV, WebM videos
  (docs.joinmastodon.org "Posting to your profile", "Media").

A media address typed by hand (not from the media library) is counted but its type and size are not known here:
the network checks them when it fetches it. X, Bluesky and Mastodon take the files themselves, uploaded by the worker
from the library (`takes_files`), so a typed address cannot go out there.

The preview frames a photo as the feed does: its own proportions, held within the range the network shows
(`frame`, width / height), cropped beyond it. Bluesky's and Mastodon's frames are read from their web apps' feeds, not
from documentation.
"""

from dataclasses import dataclass

from metrics.platforms import Platform

MB = 1024 * 1024
IMAGE, VIDEO = "image", "video"


@dataclass(frozen=True)
class MediaRules:
    max_photos: int | None  # None: no documented limit
    max_videos: int
    photo_types: frozenset[str]
    photo_max_bytes: int | None
    video_types: frozenset[str] = frozenset({"video/mp4", "video/quicktime"})
    video_max_bytes: int | None = None
    gif_max_bytes: int | None = None  # an animated GIF counts as a video where the network says so (X)
    gif_is_video: bool = False
    mixed: bool = True  # photos and a video in one post
    needs_media: bool = False
    ratio: tuple[float, float] | None = None  # photos must fall within (width / height)
    max_pixels: int | None = None
    frame: tuple[float, float] = (0.8, 1.91)  # the feed shows a photo within these proportions
    # The network takes the files themselves (uploaded by the worker from the library), not addresses to fetch.
    takes_files: bool = False

    def as_json(self) -> dict:
        """What the composer's preview needs (calendar_app/static/calendar_app/composer.js)."""
        return {"max_photos": self.max_photos, "max_videos": self.max_videos, "frame": list(self.frame)}


JPEG, PNG, GIF, WEBP = "image/jpeg", "image/png", "image/gif", "image/webp"
MP4, MOV, WEBM = "video/mp4", "video/quicktime", "video/webm"

RULES = {
    Platform.X: MediaRules(
        max_photos=4, max_videos=1, photo_types=frozenset({JPEG, PNG, WEBP, GIF}), photo_max_bytes=5 * MB,
        video_max_bytes=512 * MB, gif_max_bytes=15 * MB, gif_is_video=True, mixed=False, frame=(0.75, 16 / 9),
        takes_files=True,
    ),
    Platform.INSTAGRAM: MediaRules(
        max_photos=10, max_videos=10, photo_types=frozenset({JPEG}), photo_max_bytes=8 * MB,
        video_max_bytes=300 * MB, needs_media=True, ratio=(0.8, 1.91), frame=(0.8, 1.91),
    ),
    Platform.FACEBOOK: MediaRules(
        max_photos=None, max_videos=1, photo_types=frozenset({JPEG, PNG, GIF, "image/bmp", "image/tiff"}),
        photo_max_bytes=4 * MB, video_max_bytes=10 * 1024 * MB, mixed=False, frame=(0.8, 1.91),
    ),
    Platform.LINKEDIN: MediaRules(
        max_photos=20, max_videos=1, photo_types=frozenset({JPEG, PNG, GIF}), photo_max_bytes=None,
        video_types=frozenset({"video/mp4"}), video_max_bytes=500 * MB, mixed=False, max_pixels=36_152_320,
        frame=(0.8, 1.91),
    ),
    Platform.BLUESKY: MediaRules(
        max_photos=4, max_videos=1, photo_types=frozenset({JPEG, PNG, WEBP}), photo_max_bytes=1_000_000,
        video_types=frozenset({MP4}), video_max_bytes=100_000_000, mixed=False, frame=(0.75, 2.0), takes_files=True,
    ),
    Platform.MASTODON: MediaRules(
        max_photos=4, max_videos=1, photo_types=frozenset({JPEG, PNG, GIF, WEBP}), photo_max_bytes=16 * MB,
        video_types=frozenset({MP4, MOV, WEBM}), video_max_bytes=99 * MB, mixed=False, frame=(0.75, 16 / 9),
        takes_files=True,
    ),
}  # fmt: skip

TYPE_NAMES = {JPEG: "JPEG", PNG: "PNG", GIF: "GIF", WEBP: "WebP", MP4: "MP4", MOV: "MOV", WEBM: "WebM"}


def _names(types) -> str:
    return ", ".join(sorted(TYPE_NAMES.get(t, t.split("/")[-1].upper()) for t in types))


def _mb(size: int) -> str:
    if size % 1_000_000 == 0:  # a limit the network states in bytes (Bluesky's 1,000,000): said as it states it
        return f"{size:,} bytes"
    return f"{size / MB:.0f} MB" if size >= MB else f"{size / 1024:.0f} KB"


def media_problems(platform: str, files=(), *, addresses: int = 0) -> list[str]:
    """What keeps these media from going out on this network, for the author: `files` from the media library (each
    with kind, content_type, size_bytes, width, height and original_name), plus `addresses` typed by hand."""
    rules = RULES.get(platform)
    if rules is None:
        return []
    label = Platform(platform).label
    files = list(files)
    problems = []
    videos = [f for f in files if f.kind == VIDEO or (rules.gif_is_video and f.content_type == GIF)]
    photos = [f for f in files if f not in videos]
    total = len(files) + addresses
    if rules.needs_media and total == 0:
        problems.append(f"{label} posts need a photo or a video.")
    if rules.takes_files and addresses:
        problems.append(
            f"{label} takes a post's media as files: put the media typed as addresses in the media library."
        )
    if rules.max_photos is not None and len(photos) > rules.max_photos:
        problems.append(f"{label} takes at most {rules.max_photos} photos in a post; this one has {len(photos)}.")
    if len(videos) > rules.max_videos:
        what = "video or GIF" if rules.gif_is_video else "video"
        problems.append(f"{label} takes one {what} a post; this one has {len(videos)}.")
    if not rules.mixed and photos and videos:
        problems.append(f"{label} takes photos or a video, not both in one post.")
    for f in photos:
        if f.content_type not in rules.photo_types:
            problems.append(f"{f.original_name}: {label} takes {_names(rules.photo_types)} photos.")
        elif rules.photo_max_bytes and f.size_bytes > rules.photo_max_bytes:
            problems.append(
                f"{f.original_name}: {_mb(f.size_bytes)}; {label} takes photos up to {_mb(rules.photo_max_bytes)}."
            )
        if rules.ratio and f.width and f.height:
            low, high = rules.ratio
            if not low <= f.width / f.height <= high:
                problems.append(
                    f"{f.original_name}: {f.width} x {f.height} px is outside {label}'s proportions (from 4:5 tall to 1.91:1 wide)."
                )
        if rules.max_pixels and f.width and f.height and f.width * f.height > rules.max_pixels:
            problems.append(f"{f.original_name}: {f.width} x {f.height} px is more pixels than {label} takes.")
    for f in videos:
        limit = rules.gif_max_bytes if f.content_type == GIF else rules.video_max_bytes
        if f.content_type != GIF and f.content_type not in rules.video_types:
            problems.append(f"{f.original_name}: {label} takes {_names(rules.video_types)} videos.")
        elif limit and f.size_bytes > limit:
            problems.append(f"{f.original_name}: {_mb(f.size_bytes)}; {label} takes up to {_mb(limit)}.")
    return problems


def publication_media_problems(publication) -> list[str]:
    """The media problems of a post as it stands: its library files and its typed addresses, for its network."""
    from media_library.selectors import publication_media

    files = publication_media(publication=publication) if publication.pk else []
    return media_problems(publication.profile.platform, files, addresses=len(publication.media_urls or []))
