"""The two login steps, and the profile page with its two-factor pages.

Step one is Django's LoginView with the e-mail form. A user with a confirmed device gets no session there: the
half-login (half_login.py) waits for step two, the code, which completes the login with django-otp's
device in the session. Wrong codes are field errors, throttled per device by django-otp and counted by
django-axes like wrong passwords (its lockout then stops both steps).
"""

import time

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from accounts.forms import EmailAuthenticationForm

from . import half_login, services
from .forms import AppConfirmForm, CodeForm, SwitchOffForm
from .middleware import allowed_before_code, allowed_before_enrolment

FRESH_CODES_KEY = "two_factor_fresh_recovery_codes"
FRESH_CODES_SECONDS = 15 * 60


class PasswordStepView(auth_views.LoginView):
    """E-mail and password; with a second factor, on to the code step instead of a session."""

    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get(self, request, *args, **kwargs):
        half_login.drop(request)  # back on the login page: "log in as someone else" starts over
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.get_user()
        if not services.has_two_factor(user):
            return super().form_valid(form)
        half_login.start(self.request, user=user, backend=user.backend, next_url=self.get_redirect_url())
        return redirect("accounts:login_code")


@login_not_required
@allowed_before_code
def login_code(request: HttpRequest) -> HttpResponse:
    pending, expired_next = half_login.current(request)
    if pending is None:
        if expired_next is None:
            return redirect("accounts:login")
        messages.info(request, "The code step waited too long: log in again.")
        return redirect(login_url_with_next(expired_next))
    credentials = {settings.AXES_USERNAME_FORM_FIELD: pending.user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        half_login.drop(request)
        return get_lockout_response(request, None, credentials)
    form = CodeForm(request.POST or None, user=pending.user)
    if request.method == "POST":
        if form.is_valid():
            half_login.drop(request)
            auth_login(request, pending.user, backend=pending.backend)  # a new session key; axes resets
            otp_login(request, form.device)
            return redirect(_safe(request, pending.next_url))
        if form.wrong_code:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                half_login.drop(request)
                return get_lockout_response(request, None, credentials)
    return render(request, "registration/login_code.html", {"form": form, "pending_user": pending.user})


def _safe(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@allowed_before_enrolment
def profile(request: HttpRequest) -> HttpResponse:
    membership = getattr(request, "membership", None)
    context = {
        "status": services.two_factor_status(user=request.user),
        "required": membership is not None and services.two_factor_required(membership=membership),
    }
    return render(request, "accounts/profile.html", context)


@require_POST
@allowed_before_enrolment
def app_setup_start(request: HttpRequest) -> HttpResponse:
    if services.two_factor_status(user=request.user).on:
        messages.info(request, "Two-factor login is already on. Switch it off first to move it to another phone.")
        return redirect("accounts:profile")
    services.app_setup_start(user=request.user)
    return redirect("accounts:two_factor_setup")


@never_cache  # the secret or the codes: never kept by a browser or a proxy
@allowed_before_enrolment
def app_setup(request: HttpRequest) -> HttpResponse:
    device = services.app_being_set_up(user=request.user)
    if device is None:
        return redirect("accounts:profile")
    form = AppConfirmForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.refresh_from_db()
        otp_login(request, device)  # the member just proved the app: this session counts as verified
        _keep_fresh_codes(request, form.recovery_codes)
        messages.success(request, "Two-factor login is on. Keep these recovery codes somewhere safe.")
        return redirect("accounts:two_factor_recovery_codes")
    context = {
        "form": form,
        "qr": services.qr_svg(device),
        "secret": services.secret_for_typing(device),
        "issuer": settings.OTP_TOTP_ISSUER,
    }
    return render(request, "accounts/profile_two_factor_setup.html", context)


@require_POST
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    if not services.two_factor_status(user=request.user).on:
        return redirect("accounts:profile")
    _keep_fresh_codes(request, services.recovery_codes_new(user=request.user))
    messages.success(request, "New recovery codes made: the old ones no longer work.")
    return redirect("accounts:two_factor_recovery_codes")


@never_cache  # the secret or the codes: never kept by a browser or a proxy
@allowed_before_enrolment
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The codes just made, shown this once (they stay in the session until the member says they kept them)."""
    codes = _fresh_codes(request)
    if not codes:
        messages.info(request, "Recovery codes are shown only once, when they are made. Make new ones if you need.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile_recovery_codes.html", {"codes": codes})


@never_cache  # the secret or the codes: never kept by a browser or a proxy
@allowed_before_enrolment
def recovery_codes_download(request: HttpRequest) -> HttpResponse:
    codes = _fresh_codes(request)
    if not codes:
        raise Http404("No new recovery codes to download.")
    lines = [
        f"{settings.OTP_TOTP_ISSUER}: recovery codes for {request.user.get_username()}",
        "Each code logs you in once, instead of a code from your authenticator app.",
        "",
        *codes,
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="recovery-codes.txt"'
    return response


@require_POST
@allowed_before_enrolment
def recovery_codes_kept(request: HttpRequest) -> HttpResponse:
    request.session.pop(FRESH_CODES_KEY, None)
    return redirect("accounts:profile")


def two_factor_off(request: HttpRequest) -> HttpResponse:
    if not services.two_factor_status(user=request.user).on:
        return redirect("accounts:profile")
    form = SwitchOffForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.two_factor_off(user=request.user)
        request.session.pop(FRESH_CODES_KEY, None)
        messages.success(request, "Two-factor login is off: your password alone logs you in.")
        return redirect("accounts:profile")
    membership = getattr(request, "membership", None)
    required = membership is not None and services.two_factor_required(membership=membership)
    return render(request, "accounts/profile_two_factor_off.html", {"form": form, "required": required})


def _keep_fresh_codes(request: HttpRequest, codes: list[str]) -> None:
    request.session[FRESH_CODES_KEY] = {"codes": codes, "at": time.time()}


def _fresh_codes(request: HttpRequest) -> list[str]:
    """The recovery codes just made, for FRESH_CODES_SECONDS: long enough to copy or download them."""
    fresh = request.session.get(FRESH_CODES_KEY)
    if not isinstance(fresh, dict) or time.time() - fresh.get("at", 0) > FRESH_CODES_SECONDS:
        request.session.pop(FRESH_CODES_KEY, None)
        return []
    return fresh["codes"]


def login_url_with_next(next_url: str) -> str:
    return reverse("accounts:login") + ("?" + urlencode({"next": next_url}) if next_url else "")
