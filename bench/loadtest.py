"""Helpers for bench/loadtest.sh: a real session for the Bench Brand admin and the addresses to load."""

import shlex

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from accounts.middleware import SESSION_KEY as WORKSPACE_KEY
from accounts.models import User

from .data import bench_user_email, bench_workspace
from .pages import FLOOR, main_pages


def shell_exports() -> str:
    """`BENCH_SESSION=... BENCH_PATHS=...` for the shell: wrk sends the cookie, as a logged-in browser would."""
    workspace = bench_workspace()
    user = User.objects.get(email=bench_user_email("admin"))
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[WORKSPACE_KEY] = workspace.pk
    session.create()
    pages, _ = main_pages(workspace=workspace, today=timezone.localdate())
    paths = " ".join(page.url for page in pages if page.name != FLOOR)
    return f"BENCH_SESSION={shlex.quote(session.session_key)}\nBENCH_PATHS={shlex.quote(paths)}"
