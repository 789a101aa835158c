import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.roles import Role
from calendar_app import services
from calendar_app.models import Publication

from .factories import OwnProfileFactory, PublicationFactory, brand_voice_avoids

pytestmark = pytest.mark.django_db
S = Publication.Status


def _in_review(workspace, **kwargs):
    return PublicationFactory(workspace=workspace, status=S.IN_REVIEW, **kwargs)


def test_a_draft_goes_to_review_then_is_scheduled_on_approval(workspace, make_member):
    publication = PublicationFactory(workspace=workspace)
    author, approver = make_member(Role.COMMUNITY_MANAGER), make_member(Role.STRATEGY_LEAD)
    services.publication_submit(publication=publication, by=author.user)
    assert publication.status == S.IN_REVIEW
    services.publication_approve(publication=publication, membership=approver)
    assert Publication.objects.get().status == S.SCHEDULED
    actions = list(publication.events.values_list("action", "actor"))
    assert actions == [("submitted", author.user.pk), ("approved", approver.user.pk)]


def test_an_approved_publication_without_a_time_is_approved_not_scheduled(workspace, make_member):
    publication = _in_review(workspace, scheduled_at=None)
    services.publication_approve(publication=publication, membership=make_member(Role.ADMIN))
    assert publication.status == S.APPROVED


def test_request_changes_needs_a_comment_and_sends_it_back_to_draft(workspace, make_member):
    publication = _in_review(workspace)
    lead = make_member(Role.STRATEGY_LEAD)
    with pytest.raises(ValidationError):
        services.publication_request_changes(publication=publication, membership=lead, comment=" ")
    services.publication_request_changes(publication=publication, membership=lead, comment="Shorter, please.")
    assert publication.status == S.DRAFT
    assert publication.events.get().comment == "Shorter, please."


def test_content_lead_approves_only_when_the_workspace_allows_it(workspace, make_member):
    content_lead = make_member(Role.CONTENT_LEAD)
    publication = _in_review(workspace)
    with pytest.raises(PermissionDenied):
        services.publication_approve(publication=publication, membership=content_lead)
    services.approval_settings_update(
        workspace=workspace, approver_roles=["admin", "content_lead"], final_approval_required=False
    )
    services.publication_approve(publication=publication, membership=content_lead)
    assert publication.status == S.SCHEDULED


def test_community_manager_may_never_approve(workspace, make_member):
    services.approval_settings_update(
        workspace=workspace, approver_roles=["admin", "strategy_lead", "content_lead"], final_approval_required=False
    )
    with pytest.raises(PermissionDenied):
        services.publication_approve(publication=_in_review(workspace), membership=make_member(Role.COMMUNITY_MANAGER))


def test_with_a_final_approver_required_the_content_lead_gives_only_a_first_approval(workspace, make_member):
    services.approval_settings_update(
        workspace=workspace, approver_roles=["admin", "strategy_lead", "content_lead"], final_approval_required=True
    )
    publication = _in_review(workspace)
    content_lead, strategy = make_member(Role.CONTENT_LEAD), make_member(Role.STRATEGY_LEAD)
    services.publication_approve(publication=publication, membership=content_lead)
    assert (publication.status, publication.first_approved_by) == (S.IN_REVIEW, content_lead.user)
    services.publication_approve(publication=publication, membership=strategy)
    assert publication.status == S.SCHEDULED


def test_editing_an_approved_publication_sends_it_back_to_review_with_the_change_logged(workspace, make_member):
    publication = PublicationFactory(workspace=workspace, status=S.SCHEDULED, copy="Old copy")
    editor = make_member(Role.COMMUNITY_MANAGER).user
    publication.copy = "New copy"
    services.publication_save(publication=publication, by=editor)
    publication.refresh_from_db()
    assert publication.status == S.IN_REVIEW
    event = publication.events.get()
    assert (event.action, event.actor, event.changes) == ("edited", editor, {"copy": ["Old copy", "New copy"]})


def test_copy_over_the_x_limit_is_refused_by_the_form(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    profile = OwnProfileFactory(workspace=workspace, platform="x")
    item = PublicationFactory(workspace=workspace).content_item
    response = client.post(
        reverse("calendar_app:publication_new"),
        {"content_item": item.pk, "profile": profile.pk, "copy": "a" * 281, "scheduled_at": "2026-12-01T10:00"},
    )
    assert "281 characters: X (Twitter) allows 280." in response.content.decode()
    assert Publication.objects.count() == 1


def test_a_word_to_avoid_is_flagged_on_the_draft_and_blocks_review(client_as, workspace):
    brand_voice_avoids(workspace, "cheap")
    client = client_as(Role.COMMUNITY_MANAGER)
    publication = PublicationFactory(workspace=workspace, copy="Cheap deals all week!")
    page = client.get(reverse("calendar_app:publication_detail", args=[publication.pk])).content.decode()
    assert "Words the brand avoids: cheap." in page
    client.post(reverse("calendar_app:publication_action", args=[publication.pk, "submit"]))
    assert Publication.objects.get().status == S.DRAFT


def test_analyst_cannot_change_a_publication(client_as, workspace):
    client = client_as(Role.ANALYST)
    publication = PublicationFactory(workspace=workspace)
    response = client.post(reverse("calendar_app:publication_action", args=[publication.pk, "submit"]))
    assert response.status_code == 403


def test_a_publication_of_another_workspace_is_not_found(client_as, other_workspace):
    client = client_as(Role.ADMIN)
    publication = PublicationFactory(workspace=other_workspace)
    assert client.get(reverse("calendar_app:publication_detail", args=[publication.pk])).status_code == 404
    response = client.post(
        reverse("calendar_app:publication_move", args=[publication.pk]), {"start": "2026-12-01T10:00"}
    )
    assert response.status_code == 404


def test_dragging_an_approved_publication_moves_it_and_sends_it_back_to_review(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    publication = PublicationFactory(workspace=workspace, status=S.SCHEDULED)
    response = client.post(
        reverse("calendar_app:publication_move", args=[publication.pk]), {"start": "2026-12-01T10:00:00.000Z"}
    )
    assert response.json() == {"ok": True, "status": "In review"}
    publication.refresh_from_db()
    assert publication.scheduled_at.isoformat() == "2026-12-01T09:00:00+00:00"  # 10:00 in Paris, winter
    assert publication.status == S.IN_REVIEW


def test_the_strategy_lead_sets_approvers_and_targets_in_one_form_and_sees_the_brand_voices_words(client_as, workspace):
    brand_voice_avoids(workspace, "cheap", "guys")
    client = client_as(Role.STRATEGY_LEAD)
    page = client.get(reverse("calendar_app:settings")).content.decode()
    assert "cheap" in page and "guys" in page
    assert reverse("strategy:edit_section", args=["voice"]) in page
    response = client.post(
        reverse("calendar_app:settings"),
        {
            "approver_roles": ["admin", "content_lead"],
            "final_approval_required": "on",
            "target_x": "5",
            "target_linkedin": "2",
        },
    )
    assert response.status_code == 302
    rules = services.approval_settings_for(workspace)
    assert (rules.approver_roles, rules.final_approval_required) == (["admin", "content_lead"], True)
    assert dict(workspace.frequency_targets.values_list("platform", "posts_per_week")) == {"x": 5, "linkedin": 2}


def test_content_lead_cannot_change_the_approval_settings(client_as):
    assert client_as(Role.CONTENT_LEAD).get(reverse("calendar_app:settings")).status_code == 403


def test_the_history_names_the_states_as_people_say_them(client_as, workspace):
    client = client_as(Role.STRATEGY_LEAD)
    publication = PublicationFactory(workspace=workspace)
    services.publication_submit(publication=publication, by=client.membership.user)
    page = client.get(reverse("calendar_app:publication_detail", args=[publication.pk])).content.decode()
    assert "(Draft → In review)" in page
    assert "in_review" not in page.split('data-testid="history"')[1].split("</ul>")[0]


def test_a_status_no_longer_known_is_shown_as_stored():
    assert Publication.status_label("outcome_unknown") == "outcome_unknown"
    assert Publication.status_label(S.UNKNOWN) == "Outcome unknown"
