"""Review links for people outside the workspace (calendar_app/external_review.py): they see the link's posts only,
approve, ask for changes or comment under their name; an expired or withdrawn link opens nothing."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from calendar_app import external_review
from calendar_app.models import ExternalReview, Publication, PublicationComment, PublicationEvent
from notifications.models import Notification

from .factories import PublicationFactory

pytestmark = pytest.mark.django_db
S = Publication.Status


@pytest.fixture
def shared(client_as, workspace, make_member):
    author = make_member(Role.COMMUNITY_MANAGER).user
    post = PublicationFactory(
        workspace=workspace, owner=author, status=S.IN_REVIEW, copy="Our spring range is here.",
        scheduled_at=datetime(2026, 12, 10, 9, 0, tzinfo=UTC), content_item__title="Spring",
    )  # fmt: skip
    other = PublicationFactory(workspace=workspace, content_item__title="Not shared", copy="Secret plans.")
    client = client_as(Role.CONTENT_LEAD)
    client.post(reverse("calendar_app:review_share", args=[post.pk]), {"reviewer": "Dana (client)", "days": "7"})
    review = ExternalReview.objects.get()
    client.logout()
    return {"post": post, "other": other, "review": review, "author": author, "client": client}


def _url(review):
    return reverse("calendar_app:review_page", args=[review.token])


def test_a_logged_out_reviewer_sees_the_shared_post_only_in_the_workspace_zone(shared):
    client, review = shared["client"], shared["review"]
    page = client.get(_url(review))
    text = page.content.decode()
    assert page.status_code == 200 and "Our spring range is here." in text and "10:00" in text  # Paris time
    assert "Secret plans." not in text and "Not shared" not in text
    assert "For Dana (client)" in text
    review.refresh_from_db()
    assert review.last_opened_at is not None
    assert shared["post"].events.filter(action="shared_for_review").exists()


def test_the_reviewer_asks_for_changes_the_post_goes_back_to_draft_and_its_author_is_told(shared):
    client, review, post = shared["client"], shared["review"], shared["post"]
    client.post(
        _url(review), {"publication": post.pk, "name": "Dana", "decision": "changes", "comment": "Add the price."}
    )
    post.refresh_from_db()
    assert post.status == S.DRAFT
    event = post.events.latest("pk")
    assert (event.action, event.actor, event.to_status) == ("client_changes_requested", None, S.DRAFT)
    assert event.comment == "Dana asked for changes through the review link: Add the price."
    comment = PublicationComment.objects.get()
    assert (comment.external_author, comment.visibility, comment.author) == ("Dana", "client", None)
    assert Notification.objects.filter(recipient__user=shared["author"], kind="client_review").exists()
    # Asking for changes needs a comment; an approval does not.
    refused = client.post(_url(review), {"publication": post.pk, "name": "Dana", "decision": "changes"}, follow=True)
    assert "Say what should change" in refused.content.decode()
    client.post(_url(review), {"publication": post.pk, "name": "Dana", "decision": "approve"})
    assert post.events.latest("pk").action == "client_approved"
    assert Publication.objects.get(pk=post.pk).status == S.DRAFT  # the post's own approval stays the team's


def test_a_link_answers_for_its_own_posts_only(shared):
    client, review, other = shared["client"], shared["review"], shared["other"]
    response = client.post(
        _url(review), {"publication": other.pk, "name": "Dana", "decision": "comment", "comment": "Hi"}, follow=True
    )
    assert "That post is not part of this review." in response.content.decode()
    assert not PublicationComment.objects.exists() and not other.events.exists()


def test_an_expired_or_withdrawn_link_opens_nothing_and_an_unknown_one_is_not_found(shared, client_as):
    client, review = shared["client"], shared["review"]
    ExternalReview.objects.filter(pk=review.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    gone = client.get(_url(review))
    assert gone.status_code == 410 and "This review link has expired" in gone.content.decode()
    assert "Our spring range" not in gone.content.decode()
    assert (
        client.post(_url(review), {"publication": shared["post"].pk, "name": "D", "decision": "approve"}).status_code
        == 410
    )
    assert client.get(reverse("calendar_app:review_page", args=["nope"])).status_code == 404
    fresh = external_review.review_share(
        workspace=review.workspace, publication_ids=[shared["post"].pk], reviewer="Lee", days=3, by=None
    )
    team = client_as(Role.COMMUNITY_MANAGER)
    team.post(reverse("calendar_app:review_revoke", args=[fresh.pk]), {"next": "https://evil.example/"})
    team.logout()
    withdrawn = client.get(_url(fresh))
    assert withdrawn.status_code == 410 and "was withdrawn" in withdrawn.content.decode()


def test_sharing_needs_a_reviewer_and_a_sane_duration_and_another_workspace_post_is_not_shared(
    client_as, workspace, other_workspace
):
    client = client_as(Role.COMMUNITY_MANAGER)
    post = PublicationFactory(workspace=workspace)
    theirs = PublicationFactory(workspace=other_workspace)
    client.post(reverse("calendar_app:review_share", args=[post.pk]), {"reviewer": " ", "days": "7"})
    client.post(reverse("calendar_app:review_share", args=[post.pk]), {"reviewer": "Dana", "days": "90"})
    assert client.post(reverse("calendar_app:review_share", args=[theirs.pk]), {"reviewer": "Dana"}).status_code == 404
    assert (
        not ExternalReview.objects.exists() and not PublicationEvent.objects.filter(action="shared_for_review").exists()
    )
    assert (
        client_as(Role.ANALYST)
        .post(reverse("calendar_app:review_share", args=[post.pk]), {"reviewer": "D"})
        .status_code
        == 403
    )


def test_a_batch_from_the_list_shares_one_link_for_the_selected_posts(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    posts = [PublicationFactory(workspace=workspace) for _ in range(3)]
    response = client.post(
        reverse("calendar_app:publications_bulk"),
        {"action": "share", "ids": [p.pk for p in posts[:2]], "reviewer": "Dana"},
        follow=True,
    )
    review = ExternalReview.objects.get()
    assert set(review.publications.values_list("pk", flat=True)) == {posts[0].pk, posts[1].pk}
    assert f"/review/{review.token}/" in response.content.decode()
