"""The login in two steps: the password, then (with two-factor login on) a code from the app or a recovery code."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.roles import Role

from .two_factor_helpers import code_now, enrol

LOGIN = "/accounts/login/"
CODE = "/accounts/login/code/"
PASSWORD = "secret-pass-123"


@pytest.fixture
def member(make_member):
    return make_member(Role.ANALYST, email="someone@example.test").user


@pytest.fixture
def enrolled(member):
    device, codes = enrol(member)
    return member, device, codes


def password_step(client, email="someone@example.test", next_url=None):
    data = {"username": email, "password": PASSWORD}
    if next_url is not None:
        data["next"] = next_url
    return client.post(LOGIN + (f"?next={next_url}" if next_url else ""), data)


def test_without_two_factor_the_password_alone_logs_in(client, member):
    response = password_step(client)
    assert response["Location"] == "/"
    assert client.session[SESSION_KEY] == str(member.pk)
    assert client.get("/").status_code == 200


def test_with_two_factor_the_password_opens_no_session_but_the_code_step(client, enrolled):
    response = password_step(client)
    assert response["Location"] == CODE
    assert SESSION_KEY not in client.session
    for page in ("/", "/accounts/profile/", "/audit/"):
        assert client.get(page)["Location"].startswith(LOGIN + "?next=")
    page = client.get(CODE)
    assert "Enter the 6-digit code from your authenticator app, or one of your recovery codes" in page.content.decode()


def test_the_right_code_completes_the_login_in_a_verified_session(client, enrolled):
    member, device, _ = enrolled
    password_step(client)
    half_session = client.session.session_key
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        response = client.post(CODE, {"code": code_now(device)})
        assert response["Location"] == "/"
        assert client.session[SESSION_KEY] == str(member.pk)
        assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
        assert client.session.session_key != half_session
        assert client.get("/").status_code == 200


def test_a_wrong_code_is_a_field_error_and_opens_nothing(client, enrolled):
    password_step(client)
    response = client.post(CODE, {"code": "000000"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == ["That code is not right, or it was already used."]
    assert SESSION_KEY not in client.session
    assert client.post(CODE, {"code": "not a code at all, and rather long for one"}).status_code == 200
    assert client.post(CODE, {"code": ""}).context["form"].errors["code"]


def test_wrong_codes_are_throttled_so_even_the_right_one_waits(client, enrolled):
    _, device, _ = enrolled
    password_step(client)
    with time_machine.travel(timezone.now() + timedelta(seconds=30), tick=False):
        client.post(CODE, {"code": "000000"})
        client.post(CODE, {"code": "111111"})
        response = client.post(CODE, {"code": code_now(device)})
    assert "Too many wrong codes: wait" in response.context["form"].errors["code"][0]
    assert SESSION_KEY not in client.session


def test_wrong_codes_count_as_failed_logins_and_lock_both_steps(client, enrolled, settings):
    password_step(client)
    moment = timezone.now()
    response = None
    for n in range(settings.AXES_FAILURE_LIMIT):
        moment += timedelta(seconds=40)  # past the device's own throttle: only axes stops the guessing
        with time_machine.travel(moment, tick=False):
            response = client.post(CODE, {"code": f"{n:06d}"})
    assert response.status_code == 429
    assert b"Too many failed log-ins" in response.content
    with time_machine.travel(moment + timedelta(minutes=1), tick=False):
        assert client.get(CODE)["Location"] == LOGIN  # the half-login is gone
        assert password_step(client).status_code == 429


def test_a_recovery_code_logs_in_once(client, enrolled):
    member, _, codes = enrolled
    password_step(client)
    assert client.post(CODE, {"code": codes[0].upper()})["Location"] == "/"
    assert client.session[SESSION_KEY] == str(member.pk)
    client.post("/accounts/logout/")
    password_step(client)
    response = client.post(CODE, {"code": codes[0]})
    assert response.context["form"].errors["code"] == ["That code is not right, or it was already used."]
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):  # the wrong code's throttle
        assert client.post(CODE, {"code": codes[1]})["Location"] == "/"


def test_the_code_step_expires_and_the_login_starts_again(client, enrolled, settings):
    _, device, _ = enrolled
    password_step(client, next_url="/audit/")
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.TWO_FACTOR_CODE_STEP_SECONDS + 31)):
        response = client.post(CODE, {"code": code_now(device)})
        assert response["Location"] == LOGIN + "?next=%2Faudit%2F"
        assert SESSION_KEY not in client.session
        assert client.get(CODE)["Location"] == LOGIN


def test_next_is_kept_through_both_steps(client, enrolled):
    _, _, codes = enrolled
    assert password_step(client, next_url="/audit/")["Location"] == CODE
    assert client.post(CODE, {"code": codes[0]})["Location"] == "/audit/"


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_an_unsafe_next_is_refused(client, enrolled, unsafe):
    _, _, codes = enrolled
    password_step(client, next_url=unsafe)
    assert client.post(CODE, {"code": codes[0]})["Location"] == "/"


def test_the_code_step_without_the_password_step_sends_to_the_login(client, enrolled):
    assert client.get(CODE)["Location"] == LOGIN
    assert client.post(CODE, {"code": "123456"})["Location"] == LOGIN


def test_a_session_that_skipped_the_code_step_is_sent_to_it(client, enrolled):
    member, _, codes = enrolled
    client.force_login(member)  # as the Django admin's own login form would: a password only
    response = client.get("/audit/")
    assert response["Location"] == CODE
    assert SESSION_KEY not in client.session
    assert client.post(CODE, {"code": codes[0]})["Location"] == "/audit/"
    assert client.get("/audit/").status_code == 200


def test_back_on_the_login_page_the_half_login_is_dropped(client, enrolled):
    password_step(client)
    assert client.get(LOGIN).status_code == 200
    assert client.get(CODE)["Location"] == LOGIN


def test_the_code_step_checks_the_kept_next_again(client, enrolled):
    _, _, codes = enrolled
    password_step(client, next_url="/audit/")
    session = client.session
    session["two_factor_half_login"]["next"] = "https://evil.example/"  # past the password step's own check
    session.save()
    assert client.post(CODE, {"code": codes[0]})["Location"] == "/"
