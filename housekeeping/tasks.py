"""Beat, nightly: the clean-ups of housekeeping/services.py."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def clean_up_expired() -> dict:
    """Expired sessions, finished lock counters and old login records."""
    services.sessions_clear_expired()
    login = services.login_records_clear_old()
    return {"login_attempts": login.login_attempts, "login_records": login.login_records}


@shared_task(ignore_result=True)
def prune_old_records() -> dict:
    """Pull runs and publishing's delivery-attempt lines past their keeping time."""
    pruned = services.old_records_prune()
    return {"pull_runs": pruned.pull_runs, "delivery_attempts": pruned.delivery_attempts}
