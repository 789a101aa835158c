"""The clean-ups themselves; the daily task calls them, and so can a shell."""

from dataclasses import dataclass
from importlib import import_module

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class CleanUp:
    login_attempts: int  # axes' counters whose cool-off is over
    login_records: int  # axes' logs of log-ins and failures older than LOGIN_RECORDS_KEEP_DAYS


def sessions_clear_expired() -> None:
    """Delete the expired sessions (what `manage.py clearsessions` does), for whichever session engine is set."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()


def login_records_clear_old() -> CleanUp:
    """Delete the lock counters whose cool-off is over and the login records past their keeping time."""
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lte=timezone.now() - settings.AXES_COOLOFF_TIME).delete()
    days = settings.LOGIN_RECORDS_KEEP_DAYS
    records = AxesProxyHandler.reset_logs(age_days=days) + AxesProxyHandler.reset_failure_logs(age_days=days)
    return CleanUp(login_attempts=attempts, login_records=records)
