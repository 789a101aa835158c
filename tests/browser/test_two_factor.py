"""Two-factor login in Chromium: set up from the profile, then log in with a code, with a recovery code, and a wrong
code refused. The test reads the key the page shows and computes the app's code as an authenticator app would."""

from base64 import b32decode

import pytest
from django_otp.oath import totp

from accounts.models import TwoFactorPolicy, Workspace
from accounts.roles import Role
from tests.browser_fixtures import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "alex@example.test"


def app_code(secret: str, *, steps_ahead: int = 0) -> str:
    """What the authenticator app shows for the key typed in by hand (`steps_ahead`: a later 30-second step)."""
    return f"{totp(b32decode(secret.replace(' ', '')), drift=steps_ahead):06d}"


def log_out(page):
    page.get_by_test_id("current-user").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/accounts/login/")


def password_step(page):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/accounts/login/code/")
    assert page.get_by_text(
        "Enter the 6-digit code from your authenticator app, or one of your recovery codes"
    ).is_visible()


def code_step(page, code: str):
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")


def test_enrol_then_log_in_with_a_code_with_a_recovery_code_and_a_wrong_code_refused(
    page, browser_login, workspace, make_member
):
    Workspace.objects.filter(pk=workspace.pk).update(two_factor_policy=TwoFactorPolicy.ADMINS)
    make_member(Role.ADMIN, email=EMAIL)

    # The workspace requires it of admins: the first page after the password is the profile, with why.
    browser_login(EMAIL)
    page.wait_for_url("**/accounts/profile/")
    assert page.get_by_text("Acme asks its admins to use two-factor login").is_visible()
    page.get_by_test_id("two-factor-start").click()
    page.wait_for_url("**/accounts/profile/two-factor/setup/")
    assert page.get_by_test_id("totp-qr").locator("svg").is_visible()
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    page.get_by_label("The 6-digit code your app shows now").fill(app_code(secret))
    page.get_by_role("button", name="Switch two-factor login on").click()
    page.wait_for_url("**/accounts/profile/two-factor/recovery-codes/")
    codes = page.get_by_test_id("recovery-codes").locator("li").all_inner_texts()
    assert len(codes) == 10
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as text").click()
    assert codes[0] in open(download.value.path()).read()  # noqa: SIM115 -- a file Playwright owns
    page.get_by_role("button", name="I have kept them").click()
    page.wait_for_url("**/accounts/profile/")
    assert page.get_by_test_id("two-factor-state").inner_text() == "On"
    page.goto("/")
    page.get_by_test_id("home-team").wait_for()
    log_out(page)

    # A code from the app. The one used for the set-up is not accepted twice: the app's next one.
    password_step(page)
    assert page.goto("/audit/").url.endswith("/accounts/login/?next=/audit/")  # no session before the code
    password_step(page)
    code_step(page, app_code(secret, steps_ahead=1))
    page.get_by_test_id("home-team").wait_for()
    log_out(page)

    # A recovery code, once.
    password_step(page)
    code_step(page, codes[0])
    page.get_by_test_id("home-team").wait_for()
    page.goto("/accounts/profile/")
    assert page.get_by_test_id("recovery-codes-left").inner_text() == "9"
    log_out(page)

    # A wrong code, and the used recovery code: refused on the code page, no session.
    password_step(page)
    code_step(page, "000000")
    assert page.url.endswith("/accounts/login/code/")
    assert page.get_by_text("That code is not right, or it was already used.").is_visible()
    page.wait_for_timeout(1500)  # django-otp's throttle after a wrong code
    code_step(page, codes[0])
    assert page.get_by_text("That code is not right, or it was already used.").is_visible()
    assert page.goto("/").url.endswith("/accounts/login/?next=/")
