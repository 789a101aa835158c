"""Comments on a publication: threads one level deep, internal or for the client, the authors, the thread and the
@mentioned told; any role that reads the calendar may comment, none of another workspace."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from calendar_app.models import PublicationComment
from notifications.models import Notification

from .factories import PublicationFactory

pytestmark = pytest.mark.django_db


def _comment(client, publication, body, **extra):
    return client.post(
        reverse("calendar_app:publication_comment", args=[publication.pk]),
        {"body": body, "visibility": "internal"} | extra,
    )


def test_an_analyst_comments_the_owner_is_told_and_a_reply_to_a_reply_joins_the_thread(
    client_as, workspace, make_member
):
    owner = make_member(Role.COMMUNITY_MANAGER, full_name="Jordan").user
    publication = PublicationFactory(workspace=workspace, owner=owner)
    client = client_as(Role.ANALYST)
    analyst = client.membership.user
    response = _comment(client, publication, "The link in the copy is broken.")
    first = PublicationComment.objects.get()
    assert response["Location"].endswith(f"/calendar/publishing/{publication.pk}/#comment-{first.pk}")
    assert Notification.objects.filter(recipient__user=owner, kind="comment").count() == 1
    client.force_login(owner)
    _comment(client, publication, "Fixed, thanks.", parent=first.pk)
    reply = PublicationComment.objects.latest("pk")
    _comment(client, publication, "And the image too.", parent=reply.pk)
    assert set(PublicationComment.objects.exclude(pk=first.pk).values_list("parent", flat=True)) == {first.pk}
    assert Notification.objects.filter(recipient__user=analyst, kind="comment").count() == 2  # the thread's commenter
    page = client.get(reverse("calendar_app:publication_detail", args=[publication.pk])).content.decode()
    assert page.count('data-testid="comment-thread"') == 1 and page.count('data-testid="comment-reply"') == 2
    assert "The link in the copy is broken." in page and "Fixed, thanks." in page


def test_a_comment_for_the_client_is_marked_and_an_empty_one_is_refused(client_as, workspace):
    client = client_as(Role.CONTENT_LEAD)
    publication = PublicationFactory(workspace=workspace)
    _comment(client, publication, "Ready for your eyes.", visibility="client")
    _comment(client, publication, "   ")
    assert list(PublicationComment.objects.values_list("visibility", flat=True)) == ["client"]
    page = client.get(reverse("calendar_app:publication_detail", args=[publication.pk])).content.decode()
    assert "For the client" in page and "Ready for your eyes." in page


def test_a_mentioned_member_is_told(client_as, workspace, make_member):
    sam = make_member(Role.STRATEGY_LEAD, email="sam@example.test", full_name="Sam").user
    client = client_as(Role.COMMUNITY_MANAGER)
    publication = PublicationFactory(workspace=workspace, owner=client.membership.user)
    _comment(client, publication, "@sam can you check the claim?")
    assert Notification.objects.filter(recipient__user=sam).exists()


def test_nobody_comments_on_another_workspace_publication_or_replies_across_publications(
    client_as, workspace, other_workspace
):
    client = client_as(Role.ADMIN)
    theirs = PublicationFactory(workspace=other_workspace)
    assert _comment(client, theirs, "Hello").status_code == 404
    mine, other = PublicationFactory(workspace=workspace), PublicationFactory(workspace=workspace)
    _comment(client, mine, "On mine.")
    on_mine = PublicationComment.objects.get()
    _comment(client, other, "A reply elsewhere?", parent=on_mine.pk)
    assert PublicationComment.objects.count() == 1  # refused: that thread is not this publication's


def test_the_history_shows_what_an_edit_changed_in_the_copy_word_by_word(client_as, workspace):
    from calendar_app import services
    from calendar_app.templatetags.calendar_tags import copy_diff

    assert str(copy_diff("Meet the <b>team</b> today", "Meet our <b>team</b> today!")) == (
        'Meet <del class="copy-removed">the</del><ins class="copy-added">our</ins> &lt;b&gt;team&lt;/b&gt; '
        '<del class="copy-removed">today</del><ins class="copy-added">today!</ins>'
    )
    client = client_as(Role.COMMUNITY_MANAGER)
    publication = PublicationFactory(workspace=workspace, copy="Spring is here.")
    publication.copy = "Spring is finally here."
    services.publication_save(publication=publication, by=client.membership.user)
    page = client.get(reverse("calendar_app:publication_detail", args=[publication.pk])).content.decode()
    assert 'Copy: Spring is <ins class="copy-added">finally </ins>here.' in page
