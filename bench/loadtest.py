"""Helpers for bench/loadtest.sh: real sessions for Bench Brand's members and what each of them opens and writes.

One member per team role (admin, strategy, content, ... executive), each with a session row and a CSRF cookie
of its own. For each member: the main pages that answer it 200 (a role may not see every page), and the writes
its role may make, as a browser makes them: submitting an idea, moving an editorial item, approving a
publication in review. The token each write carries is read by wrk from a page the same member just opened
(bench/wrk_pages.lua), the cookie is the member's own, as in a browser.
"""

import secrets
import shlex
import string
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import SESSION_KEY as WORKSPACE_KEY
from accounts.models import Membership
from accounts.permissions import can

from .data import TEAM, bench_user_email, bench_workspace
from .pages import FLOOR, main_pages

HOST = "127.0.0.1"
WRITE_TARGETS = 40  # editorial items and publications each member's writes go round


def _session(user, workspace) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[WORKSPACE_KEY] = workspace.pk
    session.create()
    return session.session_key


def _writes(membership, workspace) -> list[tuple[str, str]]:
    """(path, urlencoded body) of each write the member's role may make; refusals by design still happen."""
    from calendar_app.models import ContentItem, Publication

    role, today = membership.role, timezone.localdate()
    writes = []
    if can(role, "ideas", "submit"):
        body = {"title": f"Load test idea from {membership.user.full_name}", "description": "Seen at the fair."}
        writes.append((reverse("calendar_app:idea_new"), urlencode(body)))
    if can(role, "editorial", "edit"):
        items = ContentItem.objects.filter(workspace=workspace, due_date__gte=today).order_by("pk")[:WRITE_TARGETS]
        for n, pk in enumerate(items.values_list("pk", flat=True)):
            start = (today + timedelta(days=1 + n % 20)).isoformat()
            writes.append((reverse("calendar_app:content_item_move", args=[pk]), urlencode({"start": start})))
    if can(role, "publishing", "edit"):
        in_review = Publication.objects.filter(workspace=workspace, status=Publication.Status.IN_REVIEW)
        for pk in in_review.order_by("pk").values_list("pk", flat=True)[:WRITE_TARGETS]:
            writes.append((reverse("calendar_app:publication_action", args=[pk, "approve"]), ""))
    return writes


def members() -> list[dict]:
    """Each team member: email, role, session, CSRF cookie, pages that answer 200, writes."""
    workspace = bench_workspace()
    today = timezone.localdate()
    pages, _ = main_pages(workspace=workspace, today=today)
    result = []
    for _, name in TEAM:
        membership = Membership.objects.select_related("user").get(
            workspace=workspace, user__email=bench_user_email(name)
        )
        session = _session(membership.user, workspace)
        csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        client = Client(HTTP_HOST=HOST)
        client.cookies["sessionid"] = session
        paths = [p.url for p in pages if p.name != FLOOR and client.get(p.url).status_code == 200]
        result.append(
            {
                "email": membership.user.email,
                "role": membership.role,
                "session": session,
                "csrf": csrf,
                "paths": paths,
                "writes": _writes(membership, workspace),
            }
        )
    return result


def shell_exports() -> str:
    """BENCH_USERS=n and, per member i, BENCH_COOKIE_i, BENCH_PATHS_i and BENCH_WRITES_i (path|body, space-separated).

    wrk sends the cookies, as a logged-in browser would; BENCH_PATHS (every page, the admin's) is checked by curl.
    """
    lines = []
    everyone = members()
    for i, member in enumerate(everyone, 1):
        cookie = f"sessionid={member['session']}; csrftoken={member['csrf']}"
        writes = " ".join(f"{path}|{body}" for path, body in member["writes"])
        lines += [
            f"BENCH_COOKIE_{i}={shlex.quote(cookie)}",
            f"BENCH_ROLE_{i}={shlex.quote(member['role'])}",
            f"BENCH_PATHS_{i}={shlex.quote(' '.join(member['paths']))}",
            f"BENCH_WRITES_{i}={shlex.quote(writes)}",
            f"export BENCH_COOKIE_{i} BENCH_ROLE_{i} BENCH_PATHS_{i} BENCH_WRITES_{i}",
        ]
    lines += [
        f"BENCH_USERS={len(everyone)}",
        f"BENCH_SESSION={shlex.quote(everyone[0]['session'])}",
        f"BENCH_PATHS={shlex.quote(' '.join(everyone[0]['paths']))}",
    ]
    return "\n".join(lines)
