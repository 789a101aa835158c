"""Fixtures every app's tests share: workspaces, members of each role, and eager Celery."""

import os

import pytest
from django.conf import settings

from accounts.roles import Role

pytest_plugins = ["tests.browser_fixtures"]

# Playwright's sync API runs an event loop in the test thread; the ORM calls around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_and_eager(settings):
    """Fast password hashing, and Celery tasks run inline unless a test starts a real worker."""
    from smm.celery import app

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    eager, propagates = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = eager, propagates


LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}


@pytest.fixture(autouse=True)
def _private_empty_cache(settings):
    """Each test starts with an empty cache of its own: no spent rate budget or login throttle of another test.

    In-process, never the shared Redis: clearing Redis would also flush the Celery broker that a live-worker
    test in another process is using at the same moment.
    """
    from django.core.cache import cache

    settings.CACHES = LOCAL_CACHE
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _private_demo_platform(settings, tmp_path):
    """The demo platform keeps what it accepted in a folder of each test's own (publishing reads it back)."""
    settings.DEMO_PLATFORM_DIR = tmp_path / "demo-platform"


@pytest.fixture
def workspace(db):
    from accounts.tests.factories import WorkspaceFactory

    return WorkspaceFactory(name="Acme")


@pytest.fixture
def other_workspace(db):
    """A second brand: nothing of it may ever show in `workspace`."""
    from accounts.tests.factories import WorkspaceFactory

    return WorkspaceFactory(name="Other Brand")


@pytest.fixture
def make_member(db, workspace):
    """make_member(Role.ANALYST) -> Membership in `workspace` (or in `ws=` another one)."""
    from accounts.tests.factories import MembershipFactory

    def make(role=Role.ADMIN, ws=None, **user_fields):
        return MembershipFactory(
            workspace=ws or workspace, role=role, **({"user__" + k: v for k, v in user_fields.items()})
        )

    return make


@pytest.fixture
def client_as(client, make_member):
    """client_as(Role.CONTENT_LEAD) -> a test client logged in as a new member with that role."""

    def login(role=Role.ADMIN, ws=None):
        membership = make_member(role, ws=ws)
        client.force_login(membership.user)
        client.membership = membership
        return client

    return login


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"database: {engine}; redis: {'yes' if settings.REDIS_URL else 'no (embedded broker)'}"
