"""The nightly clean-up deletes expired sessions and finished login records, and keeps what is still in use."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from housekeeping.tasks import clean_up_expired

pytestmark = pytest.mark.django_db


def _session(expires_in: timedelta) -> str:
    store = SessionStore()
    store["who"] = "someone"
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() + expires_in)
    return store.session_key


def _attempt(model, age: timedelta, **extra):
    row = model.objects.create(username="target@example.test", ip_address="198.51.100.7", user_agent=str(age), **extra)
    model.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - age)
    return row.pk


def test_expired_sessions_go_and_live_ones_stay(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    expired, live = _session(-timedelta(minutes=1)), _session(timedelta(days=1))

    clean_up_expired()

    assert set(Session.objects.values_list("session_key", flat=True)) == {live}
    assert expired != live


def test_finished_lock_counters_and_old_login_records_go(settings):
    counters = {"get_data": "", "post_data": "", "failures_since_start": 3}
    finished = _attempt(AccessAttempt, settings.AXES_COOLOFF_TIME + timedelta(minutes=1), **counters)
    running = _attempt(AccessAttempt, timedelta(minutes=1), **counters)
    old = timedelta(days=settings.LOGIN_RECORDS_KEEP_DAYS + 1)
    old_failure, recent_failure = _attempt(AccessFailureLog, old), _attempt(AccessFailureLog, timedelta(minutes=5))
    old_login = _attempt(AccessLog, old)

    result = clean_up_expired()

    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [running]
    assert list(AccessFailureLog.objects.values_list("pk", flat=True)) == [recent_failure]
    assert not AccessLog.objects.filter(pk=old_login).exists()
    assert result == {"login_attempts": 1, "login_records": 2}
    assert finished != running and old_failure != recent_failure
