"""Login throttling that nobody can turn against a user.

Two layers, both counting the failures django-axes records:

1. **The pair lock** (axes itself, settings `AXES_*`): wrong passwords for one account from one client address lock
   that pair, and only that pair, for the cool-off. The address is read through the trusted proxies
   (`TRUSTED_PROXY_COUNT`), so colleagues behind the TLS proxy do not share one address, and a forged
   X-Forwarded-For changes nothing. An attacker locks themself out, not the account. A known device of the account
   (below) is not held by the pair lock but by a count of its own (`LockoutHandler`), so someone behind the same
   address (an office's NAT) cannot pause the user's own laptop either.
2. **The account guard** (this module): an attacker with many addresses gets `AXES_FAILURE_LIMIT` guesses per address
   and cool-off. Past `LOGIN_ACCOUNT_FAILURE_LIMIT` failures on one account within `LOGIN_ACCOUNT_WINDOW`, from any
   addresses, a browser that never logged in to that account must prove the mailbox as well as the password: it gets
   one answer whether the password was right or wrong, and when it was right the account's address receives a link
   that makes this browser a known device. A known device (a signed cookie given at each login, per account) logs
   in as usual throughout. So the right password is never refused (a new device adds one e-mail click), and a guess
   from a new device learns nothing, right or wrong.

The threat model and what is left over are in the README's security section.
"""

import secrets

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, user_logged_in
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

DEVICE_COOKIE = "smm_known_device"
_DEVICE_SALT = "accounts.throttle.device"
_CONFIRM_SALT = "accounts.throttle.confirm"
_CONFIRM_SESSION_KEY = "device_confirmation_nonce"
CONFIRMATION_MAX_AGE = 30 * 60  # seconds a confirmation link works
_DEVICE_COOKIE_MAX_ACCOUNTS = 10

GUARDED_MESSAGE = (
    "This account has had many failed log-ins, so a device that never logged in to it must be confirmed by e-mail. "
    "If the password was right, we have sent a link to the account's e-mail address: open it in this browser, then "
    "log in again. You can also log in from a device you have used before, or reset your password by e-mail."
)


def login_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The account a login names, as the failures are counted (AXES_USERNAME_CALLABLE): the e-mail in lower case."""
    data = credentials or getattr(request, "POST", {})
    username = data.get(settings.AXES_USERNAME_FORM_FIELD)
    return str(username).strip().lower() if username else None


def account_failures(username: str) -> int:
    """Failed log-ins on this account within the window, from any address."""
    from axes.models import AccessFailureLog

    since = timezone.now() - settings.LOGIN_ACCOUNT_WINDOW
    return AccessFailureLog.objects.filter(username=username.strip().lower(), attempt_time__gte=since).count()


def account_guarded(username: str) -> bool:
    return account_failures(username) >= settings.LOGIN_ACCOUNT_FAILURE_LIMIT


# --- known devices: a signed cookie listing the accounts that logged in from this browser -------------------------


def _device_cookie(request: HttpRequest) -> dict:
    """The verified content of this browser's device cookie: {"d": its device id, "a": the accounts' pks}, or {}."""
    value = request.COOKIES.get(DEVICE_COOKIE)
    if not value:
        return {}
    try:
        data = signing.loads(value, salt=_DEVICE_SALT, max_age=settings.LOGIN_DEVICE_COOKIE_AGE.total_seconds())
    except signing.BadSignature:  # forged, altered or expired: an unknown device
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("d"), str) or not isinstance(data.get("a"), list):
        return {}
    return data


def known_accounts(request: HttpRequest) -> list[int]:
    return [pk for pk in _device_cookie(request).get("a", []) if isinstance(pk, int)]


def is_known_device(request: HttpRequest, username: str) -> bool:
    user = get_user_model().objects.filter(email=username.strip().lower()).only("pk").first()
    return user is not None and user.pk in known_accounts(request)


def remember_device(response: HttpResponse, *, request: HttpRequest, user) -> None:
    """Make this browser a known device for the user (and keep the other accounts it knows, and its id)."""
    device = _device_cookie(request).get("d") or secrets.token_urlsafe(12)
    accounts = [pk for pk in known_accounts(request) if pk != user.pk] + [user.pk]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps({"d": device, "a": accounts[-_DEVICE_COOKIE_MAX_ACCOUNTS:]}, salt=_DEVICE_SALT),
        max_age=int(settings.LOGIN_DEVICE_COOKIE_AGE.total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# --- a known device is not held by the pair lock: it has a count of its own ---------------------------------------


def _device_failures_key(request: HttpRequest, username: str) -> str:
    return f"login-device-failures:{_device_cookie(request).get('d')}:{username}"


def known_device_may_try(request: HttpRequest, username: str) -> bool:
    """A known device of the account with fewer than AXES_FAILURE_LIMIT failures of its own within the cool-off."""
    if not is_known_device(request, username):
        return False
    return cache.get(_device_failures_key(request, username), 0) < settings.AXES_FAILURE_LIMIT


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler (AXES_HANDLER), except that the pair lock does not hold a known device of the account.

    Someone who shares the user's address (an office behind one NAT) could otherwise pause the user's own laptop.
    A known device counts its own failures instead (in the cache, for the cool-off), so a stolen device cookie
    still gives AXES_FAILURE_LIMIT guesses, not more. Its failures also count for the pair and the account guard.
    """

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        username = login_username(request, credentials)
        if request is not None and username and known_device_may_try(request, username):
            return False
        return super().is_locked(request, credentials)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        username = login_username(request, credentials) if request is not None else None
        known = bool(username) and is_known_device(request, username)
        if known:
            key = _device_failures_key(request, username)
            cache.add(key, 0, timeout=settings.AXES_COOLOFF_TIME.total_seconds())
            cache.incr(key)
        super().user_login_failed(sender, credentials, request, **kwargs)
        if known and known_device_may_try(request, username):
            request.axes_locked_out = False  # the pair is paused; this device is not, yet


@receiver(user_logged_in, dispatch_uid="accounts.throttle.remember_device")
def _mark_login(sender, request, user, **kwargs):
    if request is not None:
        request.known_device_for = user


class KnownDeviceMiddleware:
    """Gives the browser of every successful login its device cookie, whichever view did the login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "known_device_for", None)
        if user is not None:
            remember_device(response, request=request, user=user)
        return response


# --- the guard, called by the login form ---------------------------------------------------------------------------


def login_guard(*, request: HttpRequest, username: str, password: str) -> None:
    """Raise the guarded answer for a new device while the account is guarded; do nothing otherwise.

    The password is still checked (through axes, so the pair lock holds and a wrong one counts), but the answer is
    the same either way: only the mailbox learns that it was right.
    """
    if not username or not password or request is None:
        return
    if not account_guarded(username) or is_known_device(request, username):
        return
    user = authenticate(request, username=username, password=password)
    if user is not None:
        _send_device_confirmation(request=request, user=user)
    raise ValidationError(GUARDED_MESSAGE, code="account_guarded")


def _send_device_confirmation(*, request: HttpRequest, user) -> None:
    nonce = secrets.token_urlsafe(16)
    request.session[_CONFIRM_SESSION_KEY] = nonce  # the link works in this browser only
    token = signing.dumps({"u": user.pk, "n": nonce}, salt=_CONFIRM_SALT)
    url = request.build_absolute_uri(reverse("accounts:device_confirm", args=[token]))
    body = render_to_string("accounts/email/device_confirmation.txt", {"user": user, "url": url})
    send_mail("Confirm a new device for the social media workspace", body, None, [user.email])


@login_not_required
@require_GET
def device_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed link: this browser becomes a known device for the account, then logs in as usual.

    It works once, within CONFIRMATION_MAX_AGE, in the browser whose session asked for it.
    """
    try:
        data = signing.loads(token, salt=_CONFIRM_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.BadSignature:
        data = None
    nonce = request.session.get(_CONFIRM_SESSION_KEY)
    user = None
    if isinstance(data, dict) and nonce and secrets.compare_digest(str(data.get("n")), nonce):
        user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None:
        return render(request, "registration/device_confirmation.html", {"confirmed": False}, status=410)
    del request.session[_CONFIRM_SESSION_KEY]
    response = render(request, "registration/device_confirmation.html", {"confirmed": True})
    remember_device(response, request=request, user=user)
    return response
