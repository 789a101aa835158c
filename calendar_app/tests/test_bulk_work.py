"""Work on several publications from the publishing list (calendar_app/bulk.py), and "Duplicate" on one: each goes
through the same service as alone, one refused leaves the others done, and the outcome names it with its reason."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from accounts.roles import Role
from calendar_app.models import Publication

from .factories import OwnProfileFactory, PublicationFactory, brand_voice_avoids

pytestmark = pytest.mark.django_db
S = Publication.Status
AT = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)


def _bulk(client, action, posts, **extra):
    data = {"action": action, "ids": [p.pk for p in posts], "next": "/calendar/publishing/?status=in_review"} | extra
    return client.post(reverse("calendar_app:publications_bulk"), data, follow=True)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_approving_several_approves_each_the_author_keeps_four_eyes_and_the_outcome_names_the_refused(
    client_as, workspace, make_member
):
    client = client_as(Role.STRATEGY_LEAD)
    approver = client.membership.user
    others = [PublicationFactory(workspace=workspace, status=S.IN_REVIEW, scheduled_at=AT) for _ in range(2)]
    mine = PublicationFactory(workspace=workspace, status=S.IN_REVIEW, owner=approver, content_item__title="Mine")
    draft = PublicationFactory(workspace=workspace, status=S.DRAFT, content_item__title="Still a draft")
    response = _bulk(client, "approve", [*others, mine, draft])
    assert response.redirect_chain[-1][0] == "/calendar/publishing/?status=in_review"  # back to the list as it was
    assert [Publication.objects.get(pk=p.pk).status for p in others] == [S.SCHEDULED, S.SCHEDULED]
    assert Publication.objects.get(pk=mine.pk).status == S.IN_REVIEW
    assert Publication.objects.get(pk=draft.pk).status == S.DRAFT
    [summary] = _messages(response)
    assert summary.startswith("Approved 2 of 4. Not done: ")
    assert f"“Mine on @{mine.profile.handle} on X (Twitter)”: Four eyes" in summary
    assert "“Still a draft on @" in summary and "Only a publication in review can be approved" in summary


def test_moving_several_to_another_account_sends_the_approved_back_to_review(client_as, workspace, other_workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    target = OwnProfileFactory(workspace=workspace, platform="linkedin", handle="acme_b2b")
    scheduled = PublicationFactory(workspace=workspace, status=S.SCHEDULED, scheduled_at=AT)
    draft = PublicationFactory(workspace=workspace, status=S.DRAFT)
    _bulk(client, "move_account", [scheduled, draft], account=target.pk)
    scheduled.refresh_from_db(), draft.refresh_from_db()
    assert scheduled.profile == draft.profile == target
    assert scheduled.status == S.IN_REVIEW and draft.status == S.DRAFT
    assert "moved" not in scheduled.events.values_list("action", flat=True)  # the edit is logged as an edit
    assert list(scheduled.events.values_list("action", flat=True)) == ["edited"]
    theirs = OwnProfileFactory(workspace=other_workspace)
    refused = _bulk(client, "move_account", [draft], account=theirs.pk)
    assert _messages(refused) == ["Choose the account to move them to."]
    draft.refresh_from_db()
    assert draft.profile == target


def test_shifting_several_by_days_moves_each_and_skips_one_without_a_time(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    dated = PublicationFactory(workspace=workspace, status=S.DRAFT, scheduled_at=AT)
    undated = PublicationFactory(workspace=workspace, status=S.DRAFT, scheduled_at=None, content_item__title="Undated")
    response = _bulk(client, "shift_days", [dated, undated], days="-2")
    dated.refresh_from_db()
    assert dated.scheduled_at == AT - timedelta(days=2)
    assert _messages(response) == [f"Shifted 1 of 2. Not done: “{undated}”: It has no time to shift."]
    assert _messages(_bulk(client, "shift_days", [dated], days="0")) == [
        "Give a number of days to shift them by (-365 to 365, not 0)."
    ]


def test_deleting_several_deletes_only_what_has_not_gone_out(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    draft = PublicationFactory(workspace=workspace, status=S.DRAFT)
    published = PublicationFactory(workspace=workspace, status=S.PUBLISHED, content_item__title="Out already")
    response = _bulk(client, "delete", [draft, published])
    assert not Publication.objects.filter(pk=draft.pk).exists() and Publication.objects.filter(pk=published.pk).exists()
    assert f"“{published}”: It is published: only a post not sent yet can be deleted." in _messages(response)[0]


def test_another_workspace_posts_are_never_touched_and_an_analyst_may_not_act(client_as, workspace, other_workspace):
    theirs = PublicationFactory(workspace=other_workspace, status=S.DRAFT)
    client = client_as(Role.COMMUNITY_MANAGER)
    response = _bulk(client, "delete", [theirs])
    assert Publication.objects.filter(pk=theirs.pk).exists() and _messages(response) == ["Deleted 0 of 0."]
    analyst = client_as(Role.ANALYST)
    mine = PublicationFactory(workspace=workspace, status=S.DRAFT)
    assert (
        analyst.post(reverse("calendar_app:publications_bulk"), {"action": "delete", "ids": [mine.pk]}).status_code
        == 403
    )
    assert Publication.objects.filter(pk=mine.pk).exists()
    assert 'data-testid="bulk-form"' not in analyst.get(reverse("calendar_app:publishing")).content.decode()


def test_sending_several_for_review_refuses_the_one_with_words_to_avoid(client_as, workspace):
    brand_voice_avoids(workspace, "cheap")
    client = client_as(Role.COMMUNITY_MANAGER)
    clean = PublicationFactory(workspace=workspace, status=S.DRAFT, copy="Meet the team.")
    cheap = PublicationFactory(workspace=workspace, status=S.DRAFT, copy="So cheap!", content_item__title="Cheap")
    response = _bulk(client, "submit", [clean, cheap])
    assert Publication.objects.get(pk=clean.pk).status == S.IN_REVIEW
    assert Publication.objects.get(pk=cheap.pk).status == S.DRAFT
    assert f"Sent for review 1 of 2. Not done: “{cheap}”: Words the brand avoids: cheap." == _messages(response)[0]


def test_duplicate_makes_a_draft_copy_without_a_time_and_opens_its_form(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    original = PublicationFactory(
        workspace=workspace,
        status=S.PUBLISHED,
        scheduled_at=AT,
        copy="Our spring range",
        media_urls=["https://a.example/1.jpg"],
    )
    response = client.post(reverse("calendar_app:publication_duplicate", args=[original.pk]))
    copy = Publication.objects.exclude(pk=original.pk).get()
    assert response["Location"] == reverse("calendar_app:publication_edit", args=[copy.pk])
    assert (copy.status, copy.scheduled_at, copy.copy, copy.media_urls) == (
        S.DRAFT,
        None,
        "Our spring range",
        original.media_urls,
    )
    assert (copy.content_item, copy.profile, copy.owner) == (
        original.content_item,
        original.profile,
        client.membership.user,
    )
    assert copy.events.get().comment == f"Duplicated from #{original.pk}."


def test_the_list_offers_the_selection_to_those_who_edit(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    post = PublicationFactory(workspace=workspace, scheduled_at=datetime.now(tz=UTC) + timedelta(days=1))
    page = client.get(reverse("calendar_app:publishing")).content.decode()
    assert 'data-testid="bulk-form"' in page and f'name="ids" value="{post.pk}"' in page
    assert '<option value="move_account">Move to another account</option>' in page


def test_a_duplicate_carries_the_originals_library_files_in_their_order(client_as, workspace, settings, tmp_path):
    from media_library.models import PublicationMedia
    from media_library.tests.factories import MediaFileFactory

    settings.MEDIA_ROOT = tmp_path
    client = client_as(Role.COMMUNITY_MANAGER)
    original = PublicationFactory(workspace=workspace, status=S.PUBLISHED, scheduled_at=AT)
    first, second = MediaFileFactory(workspace=workspace), MediaFileFactory(workspace=workspace)
    PublicationMedia.objects.create(publication=original, media_file=second, position=0)
    PublicationMedia.objects.create(publication=original, media_file=first, position=1)
    client.post(reverse("calendar_app:publication_duplicate", args=[original.pk]))
    copy = Publication.objects.exclude(pk=original.pk).get()
    files = PublicationMedia.objects.filter(publication=copy).order_by("position").values_list("media_file", flat=True)
    assert list(files) == [second.pk, first.pk]
    assert list(copy.events.values_list("action", flat=True)) == ["created"]
