"""The admin has no login of its own: operators come in through the app's login, and with a second factor."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.models import User
from accounts.tests.two_factor_helpers import code_now, enrol

PASSWORD = "operator-pass-123"
pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return User.objects.create_superuser(email="ops@example.test", password=PASSWORD)


def _log_in(client, *, code_of=None):
    client.post("/accounts/login/", {"username": "ops@example.test", "password": PASSWORD})
    if code_of is not None:
        with time_machine.travel(timezone.now() + timedelta(seconds=30)):
            client.post("/accounts/login/code/", {"code": code_now(code_of)})


def test_the_admin_login_is_the_apps_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/admin/")


def test_a_logged_in_operator_on_the_admin_login_goes_on_to_the_admin(client, operator, settings):
    settings.OPERATOR_TWO_FACTOR_REQUIRED = False
    _log_in(client)
    assert client.get("/admin/login/?next=/admin/accounts/user/")["Location"] == "/admin/accounts/user/"
    assert client.get("/admin/login/?next=//evil.example/")["Location"] == "/admin/"


def test_a_member_who_is_not_staff_is_refused_with_the_403_page(client, make_member):
    client.force_login(make_member().user)
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 403
    assert "The admin is for the operators of this installation" in response.content.decode()
    assert client.get("/admin/", follow=True).status_code == 403


def test_with_the_operator_rule_off_the_password_opens_the_admin(client, operator, settings):
    settings.OPERATOR_TWO_FACTOR_REQUIRED = False
    _log_in(client)
    assert client.get("/admin/").status_code == 200


def test_with_the_operator_rule_on_an_operator_without_a_second_factor_is_sent_to_set_it_up(client, operator, settings):
    settings.OPERATOR_TWO_FACTOR_REQUIRED = True
    _log_in(client)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/profile/"
    assert "The admin needs two-factor login" in response.content.decode()
    assert client.get("/admin/accounts/user/").status_code == 302


def test_with_the_operator_rule_on_a_verified_operator_opens_the_admin(client, operator, settings):
    settings.OPERATOR_TWO_FACTOR_REQUIRED = True
    device, _ = enrol(operator)
    _log_in(client, code_of=device)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200
