"""The login lockout cannot be turned against a user (accounts/throttle.py, the AXES_* settings).

The pair lock holds one account from one client address; the address is read through the trusted proxies; the
account guard asks a device that never logged in for its mailbox once an account is under a distributed attack.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from axes.helpers import get_client_ip_address
from django.core import mail
from django.test import Client, RequestFactory, override_settings

from accounts import throttle
from smm.client_address import client_address_settings

LOGIN = "/accounts/login/"
EMAIL = "target@example.test"
RIGHT = "secret-pass-123"
PROXY = "10.0.0.1"  # the TLS proxy: every request reaches gunicorn from it
ONE_PROXY = override_settings(**client_address_settings(1))
NO_PROXY = override_settings(**client_address_settings(0))


@pytest.fixture
def target(make_member):
    return make_member(email=EMAIL).user


def _login(client, password, *, address=None, forwarded=None, username=EMAIL):
    meta = {}
    if address:
        meta["REMOTE_ADDR"] = address
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(LOGIN, {"username": username, "password": password}, **meta)


def _logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/"


def _fresh():
    """Another browser: no session, no device cookie."""
    return Client()


# --- the client address ------------------------------------------------------------------------------------------


def _address(**meta) -> str:
    return get_client_ip_address(RequestFactory().get("/", **meta))


@NO_PROXY
def test_without_a_proxy_a_forged_forwarded_for_changes_nothing():
    assert _address(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.99") == "198.51.100.7"


@ONE_PROXY
def test_behind_one_proxy_the_address_is_the_one_the_proxy_added():
    assert _address(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7") == "198.51.100.7"


@ONE_PROXY
def test_behind_one_proxy_what_the_client_put_before_is_ignored():
    # The client sent "X-Forwarded-For: 203.0.113.99, 192.0.2.1"; the proxy appended the address it saw.
    assert _address(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.99, 192.0.2.1, 198.51.100.7") == "198.51.100.7"
    assert _address(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-address, 198.51.100.7") == "198.51.100.7"


@override_settings(**client_address_settings(2))
def test_behind_two_proxies_the_address_is_the_one_the_outer_proxy_added():
    assert _address(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.99, 198.51.100.7, 10.0.0.2") == "198.51.100.7"


def test_a_negative_proxy_count_is_refused():
    with pytest.raises(ValueError):
        client_address_settings(-1)


# --- the pair lock -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
@ONE_PROXY
def test_wrong_passwords_from_one_address_lock_that_address_only(client, target, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "guess", address=PROXY, forwarded="198.51.100.66")
    locked = _login(client, RIGHT, address=PROXY, forwarded="198.51.100.66")
    assert locked.status_code == 429
    # The colleague behind the same proxy, from their own address, logs in with the right password.
    assert _logged_in(_login(_fresh(), RIGHT, address=PROXY, forwarded="198.51.100.7"))


@pytest.mark.django_db
@ONE_PROXY
def test_a_forged_header_does_not_move_the_lock_onto_someone_else(client, target, settings):
    # The attacker forges the colleague's address on the left of the header: the proxy's entry still counts.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "guess", address=PROXY, forwarded="198.51.100.7, 198.51.100.66")
    assert _login(client, RIGHT, address=PROXY, forwarded="198.51.100.7, 198.51.100.66").status_code == 429
    assert _logged_in(_login(_fresh(), RIGHT, address=PROXY, forwarded="198.51.100.7"))


@pytest.mark.django_db
@NO_PROXY
def test_without_a_proxy_a_changing_forged_header_does_not_escape_the_lock(client, target, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "guess", address="198.51.100.66", forwarded=f"203.0.113.{n}")
    assert _login(client, RIGHT, address="198.51.100.66", forwarded="203.0.113.200").status_code == 429


@pytest.mark.django_db
@NO_PROXY
def test_changing_the_e_mails_case_does_not_give_more_guesses(client, target, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "guess", address="198.51.100.66", username=EMAIL.upper() if n % 2 else EMAIL)
    assert _login(client, RIGHT, address="198.51.100.66").status_code == 429


@pytest.mark.django_db
@NO_PROXY
def test_someone_behind_the_same_address_cannot_pause_the_users_own_laptop(client, target, settings):
    office = "198.51.100.20"  # one NAT for the whole office
    assert _logged_in(_login(client, RIGHT, address=office))  # the user's laptop: a known device
    client.post("/accounts/logout/")
    colleague = _fresh()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(colleague, "guess", address=office)
    assert _login(colleague, RIGHT, address=office).status_code == 429  # the pair is paused for a new device
    assert _logged_in(_login(client, RIGHT, address=office))  # not for the laptop


@pytest.mark.django_db
@NO_PROXY
def test_a_known_device_has_its_own_count_of_wrong_passwords(client, target, settings):
    assert _logged_in(_login(client, RIGHT, address="198.51.100.20"))
    client.post("/accounts/logout/")
    answers = [_login(client, "guess", address="198.51.100.20").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert answers[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert _login(client, RIGHT, address="198.51.100.20").status_code == 429  # a stolen cookie guesses no more


@pytest.mark.django_db
@NO_PROXY
def test_the_pair_lock_ends_after_the_cool_off(client, target, settings):
    with time_machine.travel("2026-03-02 09:00 +0000", tick=False) as traveller:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _login(client, "guess", address="198.51.100.66")
        assert _login(client, RIGHT, address="198.51.100.66").status_code == 429
        traveller.shift(settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
        assert _login(client, RIGHT, address="198.51.100.66").status_code == 429
        traveller.shift(timedelta(minutes=2))
        assert _logged_in(_login(client, RIGHT, address="198.51.100.66"))


@pytest.mark.django_db
@NO_PROXY
def test_the_lock_page_says_what_to_do(client, target, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "guess", address="198.51.100.66")
    page = _login(client, RIGHT, address="198.51.100.66")
    text = page.content.decode()
    assert page.status_code == 429
    assert "Too many failed log-ins" in text
    assert f"paused for {settings.AXES_COOLOFF_TIME.seconds // 60} minutes" in text
    assert "Wait" in text and "logged in from before" in text
    assert 'href="/accounts/password/reset/"' in text


# --- the account guard -------------------------------------------------------------------------------------------


def _distributed_attack(settings, *, wrong=None):
    """LOGIN_ACCOUNT_FAILURE_LIMIT wrong passwords, from as many addresses as the pair lock makes them need."""
    wrong = wrong or settings.LOGIN_ACCOUNT_FAILURE_LIMIT
    per_address = settings.AXES_FAILURE_LIMIT
    for n in range(wrong):
        _login(_fresh(), "guess", address=f"198.51.100.{100 + n // per_address}")


@pytest.mark.django_db
@NO_PROXY
@override_settings(LOGIN_ACCOUNT_FAILURE_LIMIT=8, AXES_FAILURE_LIMIT=3)
def test_a_known_device_logs_in_through_a_distributed_attack(client, target, settings):
    assert _logged_in(_login(client, RIGHT, address="192.0.2.10"))  # the user's laptop: now a known device
    client.post("/accounts/logout/")
    _distributed_attack(settings)
    assert throttle.account_guarded(EMAIL)
    # The laptop, from a new address too (the user travels), still logs in with the right password.
    assert _logged_in(_login(client, RIGHT, address="192.0.2.77"))


@pytest.mark.django_db
@NO_PROXY
@override_settings(LOGIN_ACCOUNT_FAILURE_LIMIT=8, AXES_FAILURE_LIMIT=3)
def test_a_new_device_with_the_right_password_is_confirmed_by_e_mail(client, target, settings):
    _distributed_attack(settings)
    mail.outbox.clear()
    answer = _login(client, RIGHT, address="192.0.2.10")
    assert answer.status_code == 200
    assert throttle.GUARDED_MESSAGE in answer.context["form"].non_field_errors()
    assert client.get("/").status_code == 302  # not logged in yet
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [EMAIL]
    link = re.search(r"http://testserver(/accounts/login/device/\S+/)", mail.outbox[0].body).group(1)
    confirmed = client.get(link)
    assert confirmed.status_code == 200 and b"This browser is confirmed" in confirmed.content
    assert throttle.DEVICE_COOKIE in confirmed.cookies
    # Now a known device: the right password logs in, the attack still running.
    _distributed_attack(settings, wrong=3)
    assert _logged_in(_login(client, RIGHT, address="192.0.2.10"))


@pytest.mark.django_db
@NO_PROXY
@override_settings(LOGIN_ACCOUNT_FAILURE_LIMIT=8, AXES_FAILURE_LIMIT=3)
def test_a_guess_from_a_new_device_learns_nothing(target, settings):
    _distributed_attack(settings)
    mail.outbox.clear()
    wrong = _login(_fresh(), "guess", address="203.0.113.1")
    right = _login(_fresh(), RIGHT, address="203.0.113.2")
    assert wrong.status_code == right.status_code == 200
    assert wrong.context["form"].non_field_errors() == right.context["form"].non_field_errors()
    # Only the mailbox hears of the right one.
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@NO_PROXY
@override_settings(LOGIN_ACCOUNT_FAILURE_LIMIT=8, AXES_FAILURE_LIMIT=3)
def test_the_confirmation_link_works_only_in_the_browser_that_asked(client, target, settings):
    _distributed_attack(settings)
    mail.outbox.clear()
    _login(client, RIGHT, address="192.0.2.10")
    link = re.search(r"http://testserver(/accounts/login/device/\S+/)", mail.outbox[0].body).group(1)
    elsewhere = _fresh().get(link)
    assert elsewhere.status_code == 410
    assert throttle.DEVICE_COOKIE not in elsewhere.cookies
    tampered = client.get(link[:-3] + "xx/")
    assert tampered.status_code == 410 and throttle.DEVICE_COOKIE not in tampered.cookies
    assert client.get(link).status_code == 200  # the real one, in the browser that asked
    assert client.get(link).status_code == 410  # once


@pytest.mark.django_db
@NO_PROXY
@override_settings(LOGIN_ACCOUNT_FAILURE_LIMIT=8, AXES_FAILURE_LIMIT=3)
def test_the_guard_ends_when_the_failures_leave_the_window(client, target, settings):
    with time_machine.travel("2026-03-02 09:00 +0000", tick=False) as traveller:
        _distributed_attack(settings)
        traveller.shift(settings.LOGIN_ACCOUNT_WINDOW + timedelta(minutes=1))
        assert _logged_in(_login(client, RIGHT, address="192.0.2.10"))


@pytest.mark.django_db
@NO_PROXY
@override_settings(LOGIN_ACCOUNT_FAILURE_LIMIT=8, AXES_FAILURE_LIMIT=3)
def test_a_forged_device_cookie_is_an_unknown_device(client, target, settings):
    _distributed_attack(settings)
    client.cookies[throttle.DEVICE_COOKIE] = f"[{target.pk}]:forged:signature"
    answer = _login(client, RIGHT, address="192.0.2.10")
    assert answer.status_code == 200
    assert throttle.GUARDED_MESSAGE in answer.context["form"].non_field_errors()


@pytest.mark.django_db
@NO_PROXY
@override_settings(LOGIN_ACCOUNT_FAILURE_LIMIT=8, AXES_FAILURE_LIMIT=3)
def test_a_device_known_to_another_account_is_unknown_to_this_one(client, target, make_member, settings):
    make_member(email="colleague@example.test")
    assert _logged_in(_login(client, RIGHT, address="192.0.2.10", username="colleague@example.test"))
    client.post("/accounts/logout/")
    _distributed_attack(settings)
    answer = _login(client, RIGHT, address="192.0.2.10")
    assert throttle.GUARDED_MESSAGE in answer.context["form"].non_field_errors()
