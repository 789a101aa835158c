"""A figure the platform does not give is stored as unknown, never as 0; a handle is one account in any case."""

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError
from django.urls import reverse

from accounts.roles import Role
from metrics.connectors.base import PostData
from metrics.models import Post
from metrics.services import upsert_posts

from .factories import TrackedProfileFactory

pytestmark = pytest.mark.django_db


def test_hidden_like_counts_are_stored_as_unknown_and_shown_as_a_dash(workspace, client_as):
    profile = TrackedProfileFactory(workspace=workspace, platform="instagram", handle="brand")
    published = datetime(2026, 11, 20, 9, tzinfo=UTC)
    hidden = PostData(external_id="1790", published_at=published, text="Likes hidden", likes=None, comments=12)
    upsert_posts(profile=profile, posts=[hidden], followers_on=lambda day: 1000, now=published)
    post = Post.objects.get(profile=profile)
    assert (post.likes, post.comments, post.interactions) == (None, 12, 12)
    page = client_as(Role.ANALYST).get(reverse("metrics:top"), {"start": "2026-11-01", "end": "2026-11-30"})
    assert "Likes hidden" in page.content.decode()
    assert "None" not in page.content.decode().split("Likes hidden", 1)[1][:600]


def test_a_handle_is_tracked_once_whatever_its_case(workspace):
    TrackedProfileFactory(workspace=workspace, platform="x", handle="AcmeBrand")
    with pytest.raises(IntegrityError):
        TrackedProfileFactory(workspace=workspace, platform="x", handle="acmebrand")
