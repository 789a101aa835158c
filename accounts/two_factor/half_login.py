"""The password step's result, kept in the session until the code step completes the login.

The session holds only the user's id, how they authenticated, when and where to go next: no auth session exists yet,
so every other page still sees an anonymous visitor. It lasts TWO_FACTOR_CODE_STEP_SECONDS.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model

SESSION_KEY = "two_factor_half_login"


@dataclass(frozen=True)
class HalfLogin:
    user: object
    backend: str
    next_url: str


def start(request, *, user, backend: str, next_url: str) -> None:
    """After the right password: a new session key (no fixation), then the half-login in it."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"user": user.pk, "backend": backend, "at": time.time(), "next": next_url}


def current(request) -> tuple[HalfLogin | None, str | None]:
    """-> (the half-login or None, and for one that expired (it is dropped) the address it was going to)."""
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None, None
    if time.time() - data.get("at", 0) > settings.TWO_FACTOR_CODE_STEP_SECONDS:
        drop(request)
        return None, data.get("next") or ""
    user = get_user_model().objects.filter(pk=data.get("user"), is_active=True).first()
    if user is None or data.get("backend") not in settings.AUTHENTICATION_BACKENDS:
        drop(request)
        return None, None
    return HalfLogin(user=user, backend=data["backend"], next_url=data.get("next") or ""), None


def drop(request) -> None:
    request.session.pop(SESSION_KEY, None)
