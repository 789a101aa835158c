"""Approval steps (issue 20 point 4): up to three per workspace or per network, approved in order by a different
member at each step; changes requested at any step send the post back to its author with the reason."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from calendar_app import bulk, services
from calendar_app.models import ApprovalStep, Publication, PublicationApproval
from calendar_app.steps import approval_steps_set
from notifications.models import Notification

from .factories import OwnProfileFactory, PublicationFactory

pytestmark = pytest.mark.django_db
S = Publication.Status

THREE_STEPS = [
    ("Content lead", ["content_lead"]),
    ("Strategy", ["strategy_lead", "admin"]),
    ("Final approval", ["admin"]),
]


def _written_and_sent_by(membership, workspace, platform="x"):
    profile = OwnProfileFactory(workspace=workspace, platform=platform)
    # An Instagram post needs media (calendar_app/media_rules.py): an address the network fetches.
    media = ["https://cdn.example.com/photo.jpg"] if platform == "instagram" else []
    draft = PublicationFactory.build(workspace=workspace, profile=profile, media_urls=media)
    draft.content_item.save()
    draft.content_item_id, draft.profile_id = draft.content_item.pk, profile.pk
    publication = services.publication_save(publication=draft, by=membership.user)
    return services.publication_submit(publication=publication, by=membership.user)


@pytest.fixture
def team(make_member):
    return {
        "author": make_member(Role.COMMUNITY_MANAGER),
        "content": make_member(Role.CONTENT_LEAD),
        "strategy": make_member(Role.STRATEGY_LEAD),
        "admin": make_member(Role.ADMIN),
        "admin2": make_member(Role.ADMIN),
    }


@pytest.fixture
def three_steps(workspace):
    return approval_steps_set(workspace=workspace, network="", steps=THREE_STEPS)


def _approve(publication, member):
    return services.publication_approve(publication=Publication.objects.get(pk=publication.pk), membership=member)


def _told(member, kind):
    return list(Notification.objects.filter(recipient=member, kind=kind).values_list("title", "body"))


def test_three_members_approve_the_three_steps_in_order(workspace, team, three_steps):
    publication = _written_and_sent_by(team["author"], workspace)
    assert _told(team["content"], "review_requested") and not _told(team["strategy"], "review_requested")

    _approve(publication, team["content"])
    publication.refresh_from_db()
    assert publication.status == S.IN_REVIEW
    assert "step 2 (Strategy)" in _told(team["strategy"], "review_requested")[0][0]

    _approve(publication, team["strategy"])
    assert Publication.objects.get(pk=publication.pk).status == S.IN_REVIEW
    _approve(publication, team["admin"])

    publication.refresh_from_db()
    assert publication.status == S.SCHEDULED
    labels = [e.label for e in publication.events.all()]
    assert labels[-3:] == [
        "Approved step 1 of 3: Content lead",
        "Approved step 2 of 3: Strategy",
        "Approved step 3 of 3: Final approval",
    ]
    assert list(publication.step_approvals.values_list("position", "approved_by")) == [
        (1, team["content"].user_id),
        (2, team["strategy"].user_id),
        (3, team["admin"].user_id),
    ]
    assert _told(team["author"], "approved")


def test_one_member_approves_one_step_of_a_round(workspace, team, three_steps):
    publication = _written_and_sent_by(team["author"], workspace)
    _approve(publication, team["content"])
    _approve(publication, team["admin"])  # step 2
    # Step 3 is asked of the admins who approved no step of this round.
    assert services.approvers_of(publication) == [team["admin2"].user_id]
    assert any("step 3" in title for title, _ in _told(team["admin2"], "review_requested"))

    with pytest.raises(ValidationError, match="You approved step 2"):
        _approve(publication, team["admin"])  # step 3, the same admin

    assert Publication.objects.get(pk=publication.pk).status == S.IN_REVIEW
    _approve(publication, team["admin2"])
    assert Publication.objects.get(pk=publication.pk).status == S.SCHEDULED


def test_the_author_approves_no_step(workspace, team, make_member, three_steps):
    writer = make_member(Role.CONTENT_LEAD)
    publication = _written_and_sent_by(writer, workspace)

    with pytest.raises(PermissionDenied, match="Four eyes"):
        _approve(publication, writer)
    assert not PublicationApproval.objects.exists()
    assert writer.user_id not in services.approvers_of(publication)


def test_a_role_not_of_the_step_is_refused(workspace, team, three_steps):
    publication = _written_and_sent_by(team["author"], workspace)

    with pytest.raises(PermissionDenied, match=r"Step 1 of 3 \(Content lead\) is approved by Content lead"):
        _approve(publication, team["strategy"])
    with pytest.raises(PermissionDenied, match="Step 1 of 3"):
        services.publication_request_changes(publication=publication, membership=team["admin"], comment="No.")
    assert services.approvers_of(publication) == [team["content"].user_id]


def test_a_network_with_its_own_steps_uses_them(workspace, team, three_steps):
    approval_steps_set(workspace=workspace, network="instagram", steps=[("Brand check", ["strategy_lead"])])
    on_instagram = _written_and_sent_by(team["author"], workspace, platform="instagram")
    on_x = _written_and_sent_by(team["author"], workspace, platform="x")

    _approve(on_instagram, team["strategy"])
    assert Publication.objects.get(pk=on_instagram.pk).status == S.SCHEDULED
    with pytest.raises(PermissionDenied, match="Step 1 of 3"):
        _approve(on_x, team["strategy"])


def test_changes_requested_at_step_two_go_back_to_the_author_and_the_next_review_starts_at_step_one(
    workspace, team, three_steps
):
    publication = _written_and_sent_by(team["author"], workspace)
    _approve(publication, team["content"])

    services.publication_request_changes(
        publication=Publication.objects.get(pk=publication.pk),
        membership=team["strategy"],
        comment="The price is missing.",
    )

    publication.refresh_from_db()
    assert publication.status == S.DRAFT
    assert not publication.step_approvals.exists()
    [(title, body)] = _told(team["author"], "changes_requested")
    assert "at step 2 (Strategy)" in title and body == "The price is missing."

    services.publication_submit(publication=publication, by=team["author"].user)
    with pytest.raises(PermissionDenied, match="Step 1 of 3"):
        _approve(publication, team["strategy"])
    _approve(publication, team["content"])  # the content lead approves step 1 again, in the new round
    assert list(publication.step_approvals.values_list("position", flat=True)) == [1]


def test_changes_need_a_reason(workspace, team, three_steps):
    publication = _written_and_sent_by(team["author"], workspace)

    with pytest.raises(ValidationError, match="Say what should change"):
        services.publication_request_changes(publication=publication, membership=team["content"], comment="  ")
    assert Publication.objects.get(pk=publication.pk).status == S.IN_REVIEW


def test_an_edit_of_the_copy_starts_the_review_again_at_step_one(workspace, team, three_steps):
    publication = _written_and_sent_by(team["author"], workspace)
    _approve(publication, team["content"])
    _approve(publication, team["strategy"])

    publication = Publication.objects.get(pk=publication.pk)
    publication.copy = "A new copy."
    services.publication_save(publication=publication, by=team["author"].user)

    assert Publication.objects.get(pk=publication.pk).status == S.IN_REVIEW
    assert not PublicationApproval.objects.filter(publication=publication).exists()
    assert services.approvers_of(publication) == [team["content"].user_id]


def test_an_approved_post_edited_goes_back_to_step_one(workspace, team, three_steps):
    publication = _written_and_sent_by(team["author"], workspace)
    for member in ("content", "strategy", "admin"):
        _approve(publication, team[member])

    publication = Publication.objects.get(pk=publication.pk)
    publication.copy = "Edited after approval."
    services.publication_save(publication=publication, by=team["author"].user)

    assert Publication.objects.get(pk=publication.pk).status == S.IN_REVIEW
    with pytest.raises(PermissionDenied, match="Step 1 of 3"):
        _approve(publication, team["admin2"])


def test_bulk_approval_approves_the_step_each_post_has_reached_and_names_the_refused(workspace, team, three_steps):
    first = _written_and_sent_by(team["author"], workspace)
    second = _written_and_sent_by(team["author"], workspace)
    _approve(first, team["content"])

    outcome = bulk.bulk_apply(
        workspace=workspace, membership=team["strategy"], action="approve", ids=[first.pk, second.pk]
    )

    assert [p.pk for p in outcome.done] == [first.pk]
    assert [p.pk for p, _ in outcome.refused] == [second.pk]
    assert outcome.summary.startswith("Approved 1 of 2 (1 at their current step: they wait for the next).")
    assert "Step 1 of 3 (Content lead) is approved by Content lead" in outcome.summary
    assert list(first.step_approvals.values_list("position", flat=True)) == [1, 2]


def test_without_steps_the_approver_roles_and_final_approver_decide_as_before(workspace, team):
    services.approval_settings_update(
        workspace=workspace, approver_roles=["admin", "strategy_lead", "content_lead"], final_approval_required=True
    )
    publication = _written_and_sent_by(team["author"], workspace)

    _approve(publication, team["content"])
    publication.refresh_from_db()
    assert (publication.status, publication.first_approved_by) == (S.IN_REVIEW, team["content"].user)
    _approve(publication, team["strategy"])
    assert Publication.objects.get(pk=publication.pk).status == S.SCHEDULED
    assert not PublicationApproval.objects.exists()


def test_a_role_only_in_steps_approves_nothing_on_a_network_without_steps(workspace, team):
    services.approval_settings_update(workspace=workspace, approver_roles=["admin"], final_approval_required=False)
    approval_steps_set(workspace=workspace, network="instagram", steps=[("Content", ["content_lead"])])
    on_x = _written_and_sent_by(team["author"], workspace, platform="x")

    assert services.may_approve(membership=team["content"])
    with pytest.raises(PermissionDenied, match="Your role may not approve"):
        _approve(on_x, team["content"])


def test_steps_are_contiguous_named_and_given_approver_roles(workspace):
    with pytest.raises(ValidationError, match="At most 3"):
        approval_steps_set(workspace=workspace, network="", steps=[*THREE_STEPS, ("Fourth", ["admin"])])
    with pytest.raises(ValidationError, match="Step 2 needs one or more roles"):
        approval_steps_set(workspace=workspace, network="", steps=[("A", ["admin"]), ("B", ["analyst"])])
    approval_steps_set(workspace=workspace, network="", steps=THREE_STEPS)
    approval_steps_set(workspace=workspace, network="", steps=THREE_STEPS[:2])
    assert list(ApprovalStep.objects.values_list("position", "name")) == [(1, "Content lead"), (2, "Strategy")]


def test_an_expired_review_a_client_asking_for_changes_or_a_held_post_sent_back_start_a_new_round(
    workspace, team, three_steps
):
    from datetime import timedelta

    from django.utils import timezone

    from calendar_app import external_review, publisher

    expiring = _written_and_sent_by(team["author"], workspace)
    _approve(expiring, team["content"])
    assert services.publication_review_expire(publication=expiring, days=3, now=timezone.now() + timedelta(days=4))
    assert not expiring.step_approvals.exists()

    answered = _written_and_sent_by(team["author"], workspace)
    _approve(answered, team["content"])
    review = external_review.review_share(
        workspace=workspace, publication_ids=[answered.pk], reviewer="Dana", by=team["admin"].user
    )
    external_review.review_answer(
        review=review, publication_id=answered.pk, name="Dana", decision="changes", comment="Shorter, please."
    )
    assert Publication.objects.get(pk=answered.pk).status == S.DRAFT and not answered.step_approvals.exists()

    held = _written_and_sent_by(team["author"], workspace)
    for member in ("content", "strategy", "admin"):
        _approve(held, team[member])
    Publication.objects.filter(pk=held.pk).update(status=S.HELD)
    publisher.held_publication_back_to_review(publication=held, by=team["admin"].user)
    assert not held.step_approvals.exists()
    assert services.approvers_of(Publication.objects.get(pk=held.pk)) == [team["content"].user_id]


def test_the_community_manager_may_be_a_step_community_manager_then_content_lead_then_final(workspace, make_member):
    """The issue's example: a community manager checks, the content lead approves, an admin gives the final word."""
    from calendar_app import services
    from calendar_app.steps import approval_steps_set
    from calendar_app.tests.factories import PublicationFactory

    approval_steps_set(
        workspace=workspace,
        network="",
        steps=[("Community check", ["community_manager"]), ("Content lead", ["content_lead"]), ("Final", ["admin"])],
    )
    author = make_member(Role.COMMUNITY_MANAGER)
    checker, lead, admin = make_member(Role.COMMUNITY_MANAGER), make_member(Role.CONTENT_LEAD), make_member(Role.ADMIN)
    post = PublicationFactory(workspace=workspace, owner=author.user, status="draft")
    services.publication_submit(publication=post, by=author.user)
    for member in (checker, lead, admin):
        services.publication_approve(publication=post, membership=member)
        post.refresh_from_db()
    assert post.status in {"approved", "scheduled"}
