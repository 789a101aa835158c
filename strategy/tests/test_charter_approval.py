import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.roles import Role
from strategy import services
from strategy.models import CharterVersion


@pytest.mark.django_db
def test_an_executive_approves_the_charter_and_who_when_and_which_version_are_recorded(
    client_as, workspace, make_member
):
    lead = make_member(Role.STRATEGY_LEAD).user
    services.charter_publish(workspace=workspace, by=lead, body="Be kind.")
    version_2 = services.charter_publish(workspace=workspace, by=lead, body="Be kind. Ask before posting.")
    client = client_as(Role.EXECUTIVE)

    response = client.post(reverse("strategy:charter_approve", args=[version_2.pk]), follow=True)

    version_2.refresh_from_db()
    assert version_2.version == 2
    assert version_2.approved_by == client.membership.user
    assert version_2.approved_at is not None
    assert "approved by" in response.content.decode()


@pytest.mark.django_db
def test_the_strategy_lead_cannot_approve_the_charter_for_management(workspace, make_member):
    lead = make_member(Role.STRATEGY_LEAD).user
    charter = services.charter_publish(workspace=workspace, by=lead, body="Be kind.")
    with pytest.raises(PermissionDenied):
        services.charter_approve(charter=charter, by=lead)
    assert not CharterVersion.objects.get(pk=charter.pk).is_approved


@pytest.mark.django_db
def test_a_contributor_reads_only_the_approved_charter_not_a_newer_draft(client_as, workspace, make_member):
    lead = make_member(Role.STRATEGY_LEAD).user
    executive = make_member(Role.EXECUTIVE).user
    services.charter_approve(
        charter=services.charter_publish(workspace=workspace, by=lead, body="Approved text."), by=executive
    )
    services.charter_publish(workspace=workspace, by=lead, body="Draft text.")
    client = client_as(Role.CONTRIBUTOR)

    page = client.get(reverse("strategy:charter")).content.decode()

    assert "Approved text." in page
    assert "Draft text." not in page


@pytest.mark.django_db
def test_an_empty_charter_is_refused_with_a_message(client_as):
    client = client_as(Role.STRATEGY_LEAD)
    response = client.post(reverse("strategy:charter_edit"), {"body": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["body"]
    assert not CharterVersion.objects.exists()


@pytest.mark.django_db
def test_a_charter_approval_by_a_non_executive_answers_the_403_page(client_as, workspace, make_member):
    charter = services.charter_publish(workspace=workspace, by=make_member(Role.STRATEGY_LEAD).user, body="Be kind.")
    for role in (Role.ADMIN, Role.STRATEGY_LEAD, Role.CONTENT_LEAD, Role.CONTRIBUTOR):
        response = client_as(role).post(reverse("strategy:charter_approve", args=[charter.pk]))
        assert response.status_code == 403
        page = response.content.decode()
        assert 'data-testid="error-403"' in page and 'data-testid="main-nav"' in page
    assert not CharterVersion.objects.get(pk=charter.pk).is_approved
