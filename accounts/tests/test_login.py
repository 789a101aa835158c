import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import UserFactory

LOGIN = "/accounts/login/"


@pytest.mark.django_db
def test_member_logs_in_with_email_and_lands_home(client, make_member):
    membership = make_member(email="someone@example.test")
    response = client.post(LOGIN, {"username": "someone@example.test", "password": "secret-pass-123"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").context["user"] == membership.user


@pytest.mark.django_db
def test_wrong_password_shows_an_error_and_no_session(client, make_member):
    make_member(email="someone@example.test")
    response = client.post(LOGIN, {"username": "someone@example.test", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_the_login_even_for_the_right_one(client, make_member, settings):
    make_member(email="target@example.test")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "target@example.test", "password": "guess"})
    response = client.post(LOGIN, {"username": "target@example.test", "password": "secret-pass-123"})
    assert response.status_code == 429
    assert b"Too many failed log-ins" in response.content
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_password_reset_mail_carries_a_working_link(client):
    user = UserFactory(email="forgetful@example.test")
    client.post(reverse("accounts:password_reset"), {"email": "forgetful@example.test"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "fresh-passphrase-42", "new_password2": "fresh-passphrase-42"},
    )
    user.refresh_from_db()
    assert user.check_password("fresh-passphrase-42")


@pytest.mark.django_db
def test_logout_is_a_post_and_ends_the_session(client, make_member):
    client.force_login(make_member().user)
    client.post(reverse("accounts:logout"))
    assert client.get("/").status_code == 302
