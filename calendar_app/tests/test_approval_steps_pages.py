"""Approval steps on the pages: the settings page defines them (with clear field errors), a publication's page shows
where it stands and gives the decision buttons to the roles of the step it has reached only."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from calendar_app import services
from calendar_app.forms import ApprovalStepsForm
from calendar_app.models import ApprovalStep, Publication
from calendar_app.steps import approval_steps_set

from .test_approval_steps import THREE_STEPS, _written_and_sent_by

pytestmark = pytest.mark.django_db
STEPS_URL = reverse("calendar_app:approval_steps")


def _form(**data):
    form = ApprovalStepsForm(data)
    form.is_valid()
    return form


def test_the_form_takes_up_to_three_steps_filled_from_the_top():
    form = _form(network="", name_1="Content lead", roles_1=["content_lead"], name_2="Final", roles_2=["admin"])
    assert form.is_valid()
    assert form.cleaned_data["steps"] == [("Content lead", ["content_lead"]), ("Final", ["admin"])]


def test_a_step_after_an_empty_one_is_refused_on_its_field():
    form = _form(network="", name_1="Content lead", roles_1=["content_lead"], name_3="Final", roles_3=["admin"])
    assert form.errors == {"name_3": ["Step 2 is empty: fill the steps in order, from step 1."]}


def test_a_step_needs_a_name_and_roles_that_approve():
    form = _form(network="", name_1="Content lead", roles_2=["admin"])
    assert form.errors["roles_1"] == ["Choose who approves this step."]
    assert form.errors["name_2"] == ["Name this step."]
    form = _form(network="", name_1="Analysis", roles_1=["analyst"])
    assert "roles_1" in form.errors and "not one of the available choices" in form.errors["roles_1"][0]


def test_an_admin_saves_the_steps_of_a_network(client_as, workspace):
    client = client_as(Role.ADMIN)
    response = client.post(
        STEPS_URL, {"network": "instagram", "name_1": "Brand check", "roles_1": ["strategy_lead", "admin"]}
    )
    assert response.status_code == 302 and response["Location"].endswith("?network=instagram#steps")
    assert list(ApprovalStep.objects.values_list("network", "position", "name", "roles")) == [
        ("instagram", 1, "Brand check", ["strategy_lead", "admin"])
    ]
    page = client.get(reverse("calendar_app:settings") + "?network=instagram").content.decode()
    assert "Instagram:</strong> 1. Brand check" in page and 'value="Brand check"' in page


def test_a_wrong_form_shows_its_errors_and_saves_nothing(client_as, workspace):
    client = client_as(Role.ADMIN)
    response = client.post(STEPS_URL, {"network": "", "name_1": "Content lead"})
    assert response.status_code == 200
    assert "Choose who approves this step." in response.content.decode()
    assert not ApprovalStep.objects.exists()


def test_only_the_approval_settings_roles_change_steps(client_as, workspace):
    client = client_as(Role.CONTENT_LEAD)
    response = client.post(STEPS_URL, {"network": "", "name_1": "Me", "roles_1": ["content_lead"]})
    assert response.status_code == 403 and not ApprovalStep.objects.exists()


def test_the_decision_buttons_show_to_the_roles_of_the_current_step_only(client, workspace, make_member):
    approval_steps_set(workspace=workspace, network="", steps=THREE_STEPS)
    author, content = make_member(Role.COMMUNITY_MANAGER), make_member(Role.CONTENT_LEAD)
    strategy, analyst = make_member(Role.STRATEGY_LEAD), make_member(Role.ANALYST)
    publication = _written_and_sent_by(author, workspace)
    url = reverse("calendar_app:publication_detail", args=[publication.pk])

    client.force_login(content.user)
    page = client.get(url).content.decode()
    assert 'data-testid="approve"' in page and 'data-testid="request-changes"' in page
    assert "step 1 of 3" in page and "Waiting for Content lead" in page

    client.force_login(strategy.user)
    page = client.get(url).content.decode()
    assert 'data-testid="approve"' not in page and 'data-testid="request-changes"' not in page
    assert 'data-testid="approve-disabled"' in page
    assert "Step 1 of 3 (Content lead) is approved by Content lead." in page

    for member in (author, analyst):
        client.force_login(member.user)
        page = client.get(url).content.decode()
        assert 'data-testid="approve' not in page and 'data-testid="request-changes"' not in page
        assert "Waiting for step 1: Content lead." in page

    services.publication_approve(publication=publication, membership=content)
    client.force_login(strategy.user)
    page = client.get(url).content.decode()
    assert 'data-testid="approve"' in page and "step 2 of 3" in page
    assert f"Approved by {content.user}" in page


def test_the_author_reads_why_changes_were_requested(client, workspace, make_member):
    approval_steps_set(workspace=workspace, network="", steps=THREE_STEPS)
    author, content = make_member(Role.COMMUNITY_MANAGER), make_member(Role.CONTENT_LEAD)
    publication = _written_and_sent_by(author, workspace)
    client.force_login(content.user)
    client.post(
        reverse("calendar_app:publication_action", args=[publication.pk, "request_changes"]),
        {"comment": "Add the price."},
    )
    assert Publication.objects.get(pk=publication.pk).status == Publication.Status.DRAFT

    client.force_login(author.user)
    page = client.get(reverse("calendar_app:publication_detail", args=[publication.pk])).content.decode()
    assert 'data-testid="sent-back"' in page and "Add the price." in page and "it starts at step 1" in page


def test_the_publishing_list_says_which_step_a_post_has_reached_in_queries_that_do_not_grow(
    client, workspace, make_member
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    approval_steps_set(workspace=workspace, network="", steps=THREE_STEPS)
    author, content, admin = make_member(Role.COMMUNITY_MANAGER), make_member(Role.CONTENT_LEAD), make_member()
    first = _written_and_sent_by(author, workspace)
    services.publication_approve(publication=first, membership=content)
    client.force_login(admin.user)
    url = reverse("calendar_app:publishing")
    client.get(url)  # the first visit makes the session's and settings' rows

    with CaptureQueriesContext(connection) as one:
        page = client.get(url).content.decode()
    assert "step 2 of 3" in page
    for _ in range(3):
        services.publication_approve(publication=_written_and_sent_by(author, workspace), membership=content)
    with CaptureQueriesContext(connection) as four:
        page = client.get(url).content.decode()
    assert page.count("step 2 of 3") == 4
    assert len(four) == len(one)


def test_an_approval_of_a_step_someone_else_approved_meanwhile_is_refused_with_a_message(
    client, workspace, make_member
):
    approval_steps_set(workspace=workspace, network="", steps=THREE_STEPS)
    author, first, second = (make_member(r) for r in (Role.COMMUNITY_MANAGER, Role.CONTENT_LEAD, Role.CONTENT_LEAD))
    publication = _written_and_sent_by(author, workspace)
    url = reverse("calendar_app:publication_action", args=[publication.pk, "approve"])
    client.force_login(first.user)
    client.post(url, {"step": "1"})

    client.force_login(second.user)
    response = client.post(url, {"step": "1"}, follow=True)

    assert response.status_code == 200
    assert "It moved on to step 2 (Strategy) meanwhile" in response.content.decode()
    assert list(publication.step_approvals.values_list("position", "approved_by")) == [(1, first.user_id)]


def test_the_publishing_calendar_chip_says_the_step(client, workspace, make_member):
    from datetime import timedelta

    from django.utils import timezone

    approval_steps_set(workspace=workspace, network="", steps=THREE_STEPS)
    author, content = make_member(Role.COMMUNITY_MANAGER), make_member(Role.CONTENT_LEAD)
    publication = _written_and_sent_by(author, workspace)
    services.publication_approve(publication=publication, membership=content)
    client.force_login(content.user)
    today = timezone.localdate()
    window = {"start": (today - timedelta(days=3)).isoformat(), "end": (today + timedelta(days=10)).isoformat()}

    [event] = client.get(reverse("calendar_app:publishing_events"), window).json()

    assert event["extendedProps"]["status"] == "In review, step 2 of 3"
