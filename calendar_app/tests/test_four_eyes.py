"""Four eyes: the author of a publication does not approve it, and an approver counts once per step."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import WorkspaceFactory
from calendar_app import publisher, services
from calendar_app.models import ApprovalSettings, Publication
from tests.markers import requires_postgres

from .factories import PublicationFactory

S = Publication.Status


def _written_and_sent_by(membership, workspace):
    """A publication its author created through the service and sent for review."""
    draft = PublicationFactory.build(workspace=workspace)
    draft.content_item.save()
    draft.profile.save()
    draft.content_item_id, draft.profile_id = draft.content_item.pk, draft.profile.pk
    publication = services.publication_save(publication=draft, by=membership.user)
    return services.publication_submit(publication=publication, by=membership.user)


def _final_approval_required(workspace, **rules):
    services.approval_settings_update(
        workspace=workspace,
        approver_roles=["admin", "strategy_lead", "content_lead"],
        final_approval_required=True,
        **rules,
    )


def _actions(publication):
    return list(publication.events.values_list("action", flat=True))


# ---- the author ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_author_cannot_approve_what_they_wrote_and_sent_for_review(workspace, make_member):
    author = make_member(Role.STRATEGY_LEAD)
    publication = _written_and_sent_by(author, workspace)

    with pytest.raises(PermissionDenied, match="Four eyes"):
        services.publication_approve(publication=publication, membership=author)

    assert Publication.objects.get(pk=publication.pk).status == S.IN_REVIEW
    assert _actions(publication) == ["created", "submitted"]


@pytest.mark.django_db
def test_whoever_sent_it_for_review_or_changed_its_copy_counts_as_an_author(workspace, make_member):
    creator, submitter, editor = make_member(Role.ADMIN), make_member(Role.ADMIN), make_member(Role.STRATEGY_LEAD)
    publication = PublicationFactory(workspace=workspace, owner=creator.user)
    services.publication_submit(publication=publication, by=submitter.user)
    publication.copy = "A better line."
    services.publication_save(publication=publication, by=editor.user)

    for author in (creator, submitter, editor):
        assert services.approval_refusal(publication=publication, membership=author) == services.FOUR_EYES_REASON
    assert services.approval_refusal(publication=publication, membership=make_member(Role.ADMIN)) == ""


@pytest.mark.django_db
def test_moving_a_publication_to_another_time_does_not_make_an_author(workspace, make_member):
    mover = make_member(Role.ADMIN)
    publication = PublicationFactory(workspace=workspace, status=S.SCHEDULED)
    services.publication_move(publication=publication, scheduled_at=timezone.now() + timedelta(days=3), by=mover.user)

    services.publication_approve(publication=publication, membership=mover)

    assert Publication.objects.get(pk=publication.pk).status == S.SCHEDULED


@pytest.mark.django_db
def test_another_approver_approves_the_authors_publication(workspace, make_member):
    author, other = make_member(Role.STRATEGY_LEAD), make_member(Role.ADMIN)
    publication = _written_and_sent_by(author, workspace)

    services.publication_approve(publication=publication, membership=other)

    assert Publication.objects.get(pk=publication.pk).status == S.SCHEDULED
    assert publication.events.get(action="approved").actor == other.user


@pytest.mark.django_db
def test_the_authors_approve_answers_the_403_page_and_records_nothing(client, workspace, make_member):
    author = make_member(Role.ADMIN)
    publication = _written_and_sent_by(author, workspace)
    client.force_login(author.user)

    response = client.post(reverse("calendar_app:publication_action", args=[publication.pk, "approve"]))

    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-testid="error-403"' in page and 'data-testid="main-nav"' in page  # the app's look, its menu
    assert Publication.objects.get(pk=publication.pk).status == S.IN_REVIEW
    assert _actions(publication) == ["created", "submitted"]


@pytest.mark.django_db
def test_the_publication_page_disables_approve_for_its_author_with_the_reason(client, workspace, make_member):
    author, other = make_member(Role.ADMIN), make_member(Role.STRATEGY_LEAD)
    publication = _written_and_sent_by(author, workspace)
    url = reverse("calendar_app:publication_detail", args=[publication.pk])

    client.force_login(author.user)
    page = client.get(url).content.decode()
    assert 'data-testid="approve-disabled"' in page and 'data-testid="approve"' not in page
    assert "Four eyes: someone other than the author approves." in page

    client.force_login(other.user)
    page = client.get(url).content.decode()
    assert 'data-testid="approve"' in page and "Four eyes" not in page


@pytest.mark.django_db
def test_with_four_eyes_off_the_author_approves_alone(workspace, make_member):
    services.approval_settings_update(
        workspace=workspace, approver_roles=["admin", "strategy_lead"], final_approval_required=False, four_eyes=False
    )
    author = make_member(Role.STRATEGY_LEAD)
    publication = _written_and_sent_by(author, workspace)

    services.publication_approve(publication=publication, membership=author)

    assert Publication.objects.get(pk=publication.pk).status == S.SCHEDULED


# ---- once per step ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_double_click_records_one_first_approval(client, workspace, make_member):
    _final_approval_required(workspace)
    content_lead = make_member(Role.CONTENT_LEAD)
    publication = PublicationFactory(workspace=workspace, status=S.IN_REVIEW)
    client.force_login(content_lead.user)
    url = reverse("calendar_app:publication_action", args=[publication.pk, "approve"])

    client.post(url)
    response = client.post(url, follow=True)

    assert _actions(publication) == ["first_approval"]
    assert services.ONCE_PER_STEP_REASON in response.content.decode()
    assert Publication.objects.get(pk=publication.pk).first_approved_by == content_lead.user


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_the_same_moment_record_one_first_approval(workspace, make_member, monkeypatch):
    _final_approval_required(workspace)
    content_lead = make_member(Role.CONTENT_LEAD)
    publication = PublicationFactory(workspace=workspace, status=S.IN_REVIEW)
    write_history = services._event

    def slow_history(*args, **kwargs):  # the first click holds the row's lock a while: the second one waits for it
        time.sleep(0.3)
        return write_history(*args, **kwargs)

    monkeypatch.setattr(services, "_event", slow_history)
    start, outcomes = threading.Barrier(2), []

    def click():
        start.wait()
        try:
            services.publication_approve(
                publication=Publication.objects.get(pk=publication.pk), membership=content_lead
            )
            outcomes.append("recorded")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    clicks = [threading.Thread(target=click) for _ in range(2)]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join()

    assert sorted(outcomes) == ["recorded", "refused"]
    assert _actions(publication) == ["first_approval"]


@pytest.mark.django_db
def test_the_final_approval_comes_from_another_person_than_the_first(workspace, make_member):
    _final_approval_required(workspace)
    first = make_member(Role.CONTENT_LEAD)
    publication = PublicationFactory(workspace=workspace, status=S.IN_REVIEW)
    services.publication_approve(publication=publication, membership=first)
    # Promoted meanwhile: their role now gives final approvals, but not of what they approved first.
    first.role = Role.STRATEGY_LEAD
    first.save()

    with pytest.raises(ValidationError, match="another approver"):
        services.publication_approve(publication=publication, membership=first)
    assert Publication.objects.get(pk=publication.pk).status == S.IN_REVIEW

    services.publication_approve(publication=publication, membership=make_member(Role.ADMIN))
    assert Publication.objects.get(pk=publication.pk).status == S.SCHEDULED
    assert _actions(publication) == ["first_approval", "approved"]


@pytest.mark.django_db
def test_editing_a_publication_in_review_drops_its_first_approval(workspace, make_member):
    _final_approval_required(workspace)
    first = make_member(Role.CONTENT_LEAD)
    publication = PublicationFactory(workspace=workspace, status=S.IN_REVIEW)
    services.publication_approve(publication=publication, membership=first)

    publication.copy = "Another text than the one approved."
    services.publication_save(publication=publication, by=make_member(Role.COMMUNITY_MANAGER).user)

    publication.refresh_from_db()
    assert (publication.status, publication.first_approved_by) == (S.IN_REVIEW, None)


# ---- held after a crisis pause ---------------------------------------------------------------------------------


def _held(workspace, owner):
    return PublicationFactory(
        workspace=workspace, owner=owner.user, status=S.HELD, scheduled_at=timezone.now() - timedelta(hours=1)
    )


@pytest.mark.django_db
def test_the_author_cannot_send_or_reschedule_their_own_held_post_alone(client, workspace, make_member):
    author = make_member(Role.ADMIN)
    held = _held(workspace, author)
    client.force_login(author.user)

    crisis_page = client.get(reverse("calendar_app:crisis")).content.decode()
    assert 'data-testid="send-now"' not in crisis_page and services.FOUR_EYES_REASON in crisis_page
    send = client.post(reverse("calendar_app:publication_action", args=[held.pk, "send_again"]))
    later = client.post(
        reverse("calendar_app:publication_action", args=[held.pk, "reschedule"]), {"scheduled_at": "2999-01-01T10:00"}
    )

    assert (send.status_code, later.status_code) == (403, 403)
    assert Publication.objects.get(pk=held.pk).status == S.HELD
    # Sending it back to review is no approval: the author may.
    client.post(reverse("calendar_app:publication_action", args=[held.pk, "back_to_review"]))
    assert Publication.objects.get(pk=held.pk).status == S.IN_REVIEW


@pytest.mark.django_db
def test_the_publisher_itself_refuses_a_held_post_sent_or_rescheduled_by_its_author(workspace, make_member):
    author = make_member(Role.ADMIN)
    held = _held(workspace, author)
    later = timezone.now() + timedelta(days=1)

    for by in (author.user, make_member(Role.COMMUNITY_MANAGER).user, None):
        with pytest.raises(PermissionDenied):
            publisher.publication_send_again(publication=held, by=by)
        with pytest.raises(PermissionDenied):
            publisher.held_publication_reschedule(publication=held, by=by, scheduled_at=later)
    assert Publication.objects.get(pk=held.pk).status == S.HELD
    assert _actions(held) == []

    publisher.held_publication_reschedule(publication=held, by=make_member(Role.STRATEGY_LEAD).user, scheduled_at=later)
    assert Publication.objects.get(pk=held.pk).status == S.SCHEDULED


@pytest.mark.django_db
def test_another_approver_sends_the_authors_held_post(client, workspace, make_member):
    held = _held(workspace, make_member(Role.ADMIN))
    client.force_login(make_member(Role.STRATEGY_LEAD).user)

    assert 'data-testid="send-now"' in client.get(reverse("calendar_app:crisis")).content.decode()
    client.post(reverse("calendar_app:publication_action", args=[held.pk, "send_again"]))

    assert Publication.objects.get(pk=held.pk).status == S.SCHEDULED


# ---- the setting -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_four_eyes_is_on_for_a_new_workspace(workspace):
    assert services.approval_settings_for(workspace).four_eyes is True


@pytest.mark.django_db
def test_the_settings_page_explains_four_eyes_and_switches_it(client_as, workspace):
    client = client_as(Role.ADMIN)
    page = client.get(reverse("calendar_app:settings")).content.decode()
    assert "The author of a publication may not approve it" in page
    assert "the final approval comes from a different person than the first one" in page

    client.post(reverse("calendar_app:settings"), {"approver_roles": ["admin"], "four_eyes": ""})
    assert services.approval_settings_for(workspace).four_eyes is False
    client.post(reverse("calendar_app:settings"), {"approver_roles": ["admin"], "four_eyes": "on"})
    assert services.approval_settings_for(workspace).four_eyes is True


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_four_eyes_on_for_existing_workspaces():
    before, after = [("calendar_app", "0005_publishing_exactly_once")], [("calendar_app", "0006_approval_four_eyes")]
    workspace = WorkspaceFactory()
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old_settings = executor.loader.project_state(before).apps.get_model("calendar_app", "ApprovalSettings")
        old_settings.objects.create(workspace_id=workspace.pk, approver_roles=["admin"], final_approval_required=False)
        executor = MigrationExecutor(connection)
        executor.migrate(after)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert ApprovalSettings.objects.get(workspace=workspace).four_eyes is True


# ---- refusals answer 403 ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_approval_by_the_community_manager_answers_the_403_page(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    publication = PublicationFactory(workspace=workspace, status=S.IN_REVIEW)

    response = client.post(reverse("calendar_app:publication_action", args=[publication.pk, "approve"]))

    assert response.status_code == 403
    assert 'data-testid="error-403"' in response.content.decode()
    assert 'data-testid="main-nav"' in response.content.decode()
    assert Publication.objects.get(pk=publication.pk).status == S.IN_REVIEW
    assert not publication.events.exists()
