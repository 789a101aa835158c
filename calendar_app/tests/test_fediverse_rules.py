"""Bluesky's and Mastodon's rules (calendar_app/voice.py, calendar_app/media_rules.py): lengths in graphemes, links
and remote mentions as each counts them, and the media each takes."""

from types import SimpleNamespace

import pytest

from calendar_app.media_rules import MB, media_problems
from calendar_app.voice import copy_length, counting, length_problem

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # man, woman, girl, boy joined: 7 code points
THUMB = "\U0001f44d\U0001f3fd"  # thumbs up with a skin tone: 2 code points
FLAG = "\U0001f1eb\U0001f1f7"  # the French flag: two regional indicators
CAFE = "cafe\u0301"  # "café" with a combining acute accent: 5 code points, 4 letters as people see them
LINK = "https://shop.example.com/spring-collection-2027?utm_source=mastodon"  # 67 characters


@pytest.mark.parametrize(
    ("text", "bluesky", "mastodon", "x"),
    [
        (FAMILY, 1, 1, 7),
        (THUMB * 3, 3, 3, 6),
        (FLAG + FLAG, 2, 2, 4),
        (CAFE, 4, 4, 5),
        (f"{CAFE} {FAMILY}!", 7, 7, 14),
        # A link counts whole on Bluesky (the record keeps it as typed), 23 on Mastodon and on X.
        (f"Spring {LINK}", 7 + len(LINK), 7 + 23, 7 + 23),
        ("https://a.io", 12, 23, 23),  # a short link counts 23 too: Mastodon puts 23 characters in its place
        # A mention of another server's account counts as @user on Mastodon alone.
        ("Thanks @alice@example.social!", 29, 14, 29),
        ("cc @bob.smith@fosstodon.org and @carol", 38, 24, 38),
        # The link is read first: the @ inside it is no mention.
        ("https://mastodon.social/@alice@example.com ok", 45, 23 + 3, 23 + 3),
        ("mail me@example.com", 19, 19, 19),  # an e-mail address is no mention
    ],
)
def test_each_network_counts_graphemes_links_and_mentions_its_own_way(text, bluesky, mastodon, x):
    assert (copy_length("bluesky", text), copy_length("mastodon", text), copy_length("x", text)) == (
        bluesky,
        mastodon,
        x,
    )


def test_an_email_address_is_not_a_mention_but_a_mention_after_a_word_boundary_is():
    # Mastodon's mention needs no letter, digit, "=" or "/" before the @: "me@example.com" is an address, not a mention.
    assert copy_length("mastodon", "me@alice@example.com") == len("me@alice@example.com")
    assert copy_length("mastodon", "(@alice@example.com)") == len("(@alice)")


def test_bluesky_allows_300_graphemes_so_300_family_emoji_fit_and_301_do_not():
    assert length_problem("bluesky", FAMILY * 300) is None  # 2,100 code points, 300 as people see them
    assert length_problem("bluesky", FAMILY * 301) == "301 characters: Bluesky allows 300."
    assert length_problem("bluesky", "a" * 300) is None
    assert length_problem("bluesky", CAFE * 75) is None  # 300 letters, 375 code points
    assert length_problem("bluesky", "a" * 290 + " " + LINK) == f"{291 + len(LINK)} characters: Bluesky allows 300."


def test_mastodon_allows_500_with_each_link_as_23_and_remote_mentions_as_their_username():
    filler = "a" * (500 - 23 - len(" @alice "))
    assert length_problem("mastodon", f"{filler} @alice@example.social {LINK}") is None  # 500 exactly
    assert length_problem("mastodon", f"{filler}a @alice@example.social {LINK}") == (
        "501 characters: Mastodon allows 500."
    )
    assert length_problem("mastodon", THUMB * 500) is None


def test_the_composer_is_given_each_networks_way_of_counting():
    assert counting("bluesky") == {
        "limit": 300,
        "link_weight": None,
        "graphemes": True,
        "mentions_without_domain": False,
    }
    assert counting("mastodon") == {
        "limit": 500,
        "link_weight": 23,
        "graphemes": True,
        "mentions_without_domain": True,
    }
    assert counting("x") == {"limit": 280, "link_weight": 23, "graphemes": False, "mentions_without_domain": False}


def photo(name="spring.jpg", content_type="image/jpeg", size=900_000):
    return SimpleNamespace(
        original_name=name, kind="image", content_type=content_type, size_bytes=size, width=1200, height=900
    )


def video(name="teaser.mp4", content_type="video/mp4", size=20 * MB):
    return SimpleNamespace(
        original_name=name, kind="video", content_type=content_type, size_bytes=size, width=1920, height=1080
    )


def test_bluesky_takes_four_images_of_at_most_a_million_bytes_or_one_video():
    assert media_problems("bluesky", [photo() for _ in range(4)]) == []
    assert media_problems("bluesky", [photo() for _ in range(5)]) == [
        "Bluesky takes at most 4 photos in a post; this one has 5."
    ]
    assert media_problems("bluesky", [photo(size=1_000_000)]) == []
    assert media_problems("bluesky", [photo(size=1_000_001)]) == [
        "spring.jpg: 977 KB; Bluesky takes photos up to 1,000,000 bytes."
    ]
    assert media_problems("bluesky", [photo("a.webp", "image/webp"), photo("b.png", "image/png")]) == []
    assert media_problems("bluesky", [photo("dance.gif", "image/gif")]) == [
        "dance.gif: Bluesky takes JPEG, PNG, WebP photos."
    ]
    assert media_problems("bluesky", [photo(), video()]) == ["Bluesky takes photos or a video, not both in one post."]
    assert media_problems("bluesky", [video(), video()]) == ["Bluesky takes one video a post; this one has 2."]
    assert media_problems("bluesky", [video(size=101 * MB)]) == [
        "teaser.mp4: 101 MB; Bluesky takes up to 100,000,000 bytes."
    ]
    assert media_problems("bluesky", [video("t.mov", "video/quicktime")]) == ["t.mov: Bluesky takes MP4 videos."]


def test_mastodon_takes_four_attachments_with_mastodon_socials_sizes_and_a_video_alone():
    assert media_problems("mastodon", [photo(size=15 * MB) for _ in range(4)]) == []
    assert media_problems("mastodon", [photo() for _ in range(5)]) == [
        "Mastodon takes at most 4 photos in a post; this one has 5."
    ]
    assert media_problems("mastodon", [photo(size=17 * MB)]) == [
        "spring.jpg: 17 MB; Mastodon takes photos up to 16 MB."
    ]
    assert media_problems("mastodon", [photo("dance.gif", "image/gif")]) == []  # a GIF is an image on Mastodon
    assert media_problems("mastodon", [video("clip.webm", "video/webm", size=98 * MB)]) == []
    assert media_problems("mastodon", [video(size=100 * MB)]) == ["teaser.mp4: 100 MB; Mastodon takes up to 99 MB."]
    assert media_problems("mastodon", [photo(), video()]) == ["Mastodon takes photos or a video, not both in one post."]
