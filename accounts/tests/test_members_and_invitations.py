import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Invitation, Membership, User
from accounts.roles import Role


@pytest.fixture
def admin_client(client_as):
    return client_as(Role.ADMIN)


@pytest.mark.django_db(transaction=True)  # the e-mail leaves on commit
def test_admin_invites_a_newcomer_who_joins_with_the_role(admin_client, client, workspace):
    response = admin_client.post(
        reverse("accounts:members"), {"email": "New.Person@Example.test", "role": Role.ANALYST}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/invitations/\S+/)", mail.outbox[0].body).group(1)

    admin_client.logout()
    page = client.get(link)
    assert page.status_code == 200
    response = client.post(
        link, {"full_name": "New Person", "password1": "a-long-passphrase-9", "password2": "a-long-passphrase-9"}
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.test")
    assert Membership.objects.get(user=user, workspace=workspace).role == Role.ANALYST
    assert client.get("/").context["membership"].role == Role.ANALYST
    # The link works once.
    client.logout()
    assert client.get(link).status_code == 410


@pytest.mark.django_db
def test_invitation_form_shows_a_field_error_for_an_existing_member(admin_client):
    member_email = admin_client.membership.user.email
    response = admin_client.post(reverse("accounts:members"), {"email": member_email, "role": Role.ANALYST})
    assert response.status_code == 200
    assert "already a member" in str(response.context["invite_form"].errors["email"])
    assert not Invitation.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.STRATEGY_LEAD, Role.CONTENT_LEAD, Role.CONTRIBUTOR, Role.EXECUTIVE])
def test_only_the_admin_manages_members(client_as, role):
    client = client_as(role)
    assert client.get(reverse("accounts:members")).status_code == 403
    assert client.post(reverse("accounts:members"), {"email": "x@example.test", "role": Role.ADMIN}).status_code == 403
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_the_last_admin_cannot_demote_themselves(admin_client):
    own = admin_client.membership
    response = admin_client.post(reverse("accounts:member_role", args=[own.pk]), {"role": Role.ANALYST}, follow=True)
    own.refresh_from_db()
    assert own.role == Role.ADMIN
    assert "at least one admin" in response.content.decode()


@pytest.mark.django_db
def test_admin_cannot_touch_members_of_another_workspace(admin_client, make_member, other_workspace):
    stranger = make_member(Role.ANALYST, ws=other_workspace)
    response = admin_client.post(reverse("accounts:member_role", args=[stranger.pk]), {"role": Role.ADMIN})
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.role == Role.ANALYST
