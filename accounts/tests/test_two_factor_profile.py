"""Setting two-factor login up from the profile page, the recovery codes, and switching it off."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from accounts.two_factor import services

from .two_factor_helpers import code_now, enrol

PROFILE = "/accounts/profile/"
START = "/accounts/profile/two-factor/start/"
SETUP = "/accounts/profile/two-factor/setup/"
CODES = "/accounts/profile/two-factor/recovery-codes/"
DOWNLOAD = "/accounts/profile/two-factor/recovery-codes.txt"
OFF = "/accounts/profile/two-factor/off/"


@pytest.fixture
def client_member(client, make_member):
    membership = make_member(Role.CONTENT_LEAD, email="camille@example.test", full_name="Camille Petit")
    client.force_login(membership.user)
    client.user = membership.user
    return client


def test_the_profile_shows_name_e_mail_password_link_and_two_factor_off(client_member):
    page = client_member.get(PROFILE).content.decode()
    assert "Camille Petit" in page and "camille@example.test" in page
    assert 'href="/accounts/password/change/"' in page
    assert 'data-testid="two-factor-state">Off<' in page


def test_the_user_menu_links_to_the_profile(client_member):
    assert 'href="/accounts/profile/" data-testid="profile-link"' in client_member.get("/").content.decode()


def test_set_up_shows_the_qr_code_and_key_and_a_first_code_switches_it_on(client_member):
    response = client_member.post(START)
    assert response["Location"] == SETUP
    setup = client_member.get(SETUP)
    assert "no-store" in setup["Cache-Control"]  # the secret is never kept by a browser or a proxy
    page = setup.content.decode()
    device = TOTPDevice.objects.get(user=client_member.user, confirmed=False)
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page).group(1)
    assert secret.replace(" ", "") == services.secret_for_typing(device).replace(" ", "")
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert 'class="qr-code"' in svg and "style" not in svg
    assert not services.has_two_factor(client_member.user)  # nothing is on before the first code

    response = client_member.post(SETUP, {"code": code_now(device)})
    assert response["Location"] == CODES
    device.refresh_from_db()
    assert device.confirmed and services.has_two_factor(client_member.user)
    codes = re.findall(r'<li class="col">(\w+)</li>', client_member.get(CODES).content.decode())
    assert len(codes) == 10
    assert set(codes) == set(
        StaticToken.objects.filter(device__user=client_member.user).values_list("token", flat=True)
    )
    download = client_member.get(DOWNLOAD)
    assert "no-store" in download["Cache-Control"]
    assert download["Content-Disposition"] == 'attachment; filename="recovery-codes.txt"'
    assert all(code in download.content.decode() for code in codes)
    assert (
        client_member.get(PROFILE).status_code == 200
    )  # this session passed the first code: not sent to the code step


def test_a_wrong_first_code_is_a_field_error_and_leaves_it_off(client_member):
    client_member.post(START)
    response = client_member.post(SETUP, {"code": "000000"})
    assert response.status_code == 200
    assert "not the one the app shows" in response.context["form"].errors["code"][0]
    assert not services.has_two_factor(client_member.user)


def test_recovery_codes_are_shown_once(client_member):
    client_member.post(START)
    client_member.post(SETUP, {"code": code_now(TOTPDevice.objects.get(user=client_member.user))})
    assert client_member.post("/accounts/profile/two-factor/recovery-codes/kept/")["Location"] == PROFILE
    assert client_member.get(CODES)["Location"] == PROFILE
    assert client_member.get(DOWNLOAD).status_code == 404


def test_recovery_codes_fade_from_the_session_after_a_while(client_member):
    client_member.post(START)
    client_member.post(SETUP, {"code": code_now(TOTPDevice.objects.get(user=client_member.user))})
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert client_member.get(CODES)["Location"] == PROFILE


def test_a_session_that_skipped_the_code_step_makes_no_recovery_codes(client_member):
    _, old = enrol(client_member.user)
    response = client_member.post("/accounts/profile/two-factor/recovery-codes/new/")
    # force_login has no code step: the session is sent to it first, and nothing is made
    assert response["Location"] == "/accounts/login/code/"
    assert services.code_check(user=client_member.user, code=old[0]).ok


def test_new_recovery_codes_replace_the_old_ones(client, make_member):
    user = make_member(Role.ANALYST).user
    _, old = enrol(user)
    _log_in_with_a_code(client, user, old[9])
    assert client.post("/accounts/profile/two-factor/recovery-codes/new/")["Location"] == CODES
    new = re.findall(r'<li class="col">(\w+)</li>', client.get(CODES).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert services.code_check(user=user, code=new[0]).ok
    assert not services.code_check(user=user, code=old[0]).ok


def test_switching_off_asks_the_password_or_a_code(client, make_member):
    user = make_member(Role.ANALYST).user
    _, codes = enrol(user)
    _log_in_with_a_code(client, user, codes[0])
    response = client.post(OFF, {"proof": "not the password"})
    assert response.context["form"].errors["proof"] == ["That is neither your password nor a valid code."]
    assert services.has_two_factor(user)
    assert client.post(OFF, {"proof": "secret-pass-123"})["Location"] == PROFILE
    assert not services.has_two_factor(user)
    assert not TOTPDevice.objects.filter(user=user).exists() and not StaticToken.objects.exists()


def test_switching_off_with_a_recovery_code(client, make_member):
    user = make_member(Role.ANALYST).user
    _, codes = enrol(user)
    _log_in_with_a_code(client, user, codes[0])
    assert client.post(OFF, {"proof": codes[1]})["Location"] == PROFILE
    assert not services.has_two_factor(user)


def test_set_up_twice_is_refused_while_it_is_on(client, make_member):
    user = make_member(Role.ANALYST).user
    device, codes = enrol(user)
    _log_in_with_a_code(client, user, codes[0])
    assert client.post(START)["Location"] == PROFILE
    assert list(TOTPDevice.objects.filter(user=user)) == [device]


def test_the_set_up_page_without_a_started_set_up_goes_back_to_the_profile(client_member):
    assert client_member.get(SETUP)["Location"] == PROFILE


def _log_in_with_a_code(client, user, code):
    client.post("/accounts/login/", {"username": user.email, "password": "secret-pass-123"})
    assert client.post("/accounts/login/code/", {"code": code})["Location"] == "/"
