"""Demo Brand's own accounts, pulled through the demo connector and the real pull service."""

from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from .connectors.base import ConnectorError
from .models import PullRun, PullRunDay, TrackedProfile, never_available
from .platforms import Platform
from .pull_run_days import pull_runs_count
from .services import pull_run

OWN_PROFILES = [
    (Platform.X, "demobrand", "Demo Brand"),
    (Platform.FACEBOOK, "DemoBrandOfficial", "Demo Brand"),
    (Platform.INSTAGRAM, "demobrand", "Demo Brand"),
    (Platform.LINKEDIN, "demo-brand", "Demo Brand (company page)"),
    # Opened this year for the tech press and early adopters; the demo connector pulls any network.
    (Platform.BLUESKY, "demobrand.bsky.social", "Demo Brand"),
    (Platform.MASTODON, "demobrand@mastodon.social", "Demo Brand"),
]


def seed(workspace) -> None:
    for platform, handle, name in OWN_PROFILES:
        profile, created = TrackedProfile.objects.get_or_create(
            workspace=workspace,
            platform=platform,
            handle=handle,
            defaults={"display_name": name, "is_own": True, "source": TrackedProfile.Source.DEMO},
        )
        if created or not profile.pull_runs.exists():
            # A backfill brings ~400 days of daily figures and the posts' history, in bulk.
            pull_run(profile=profile, kind=PullRun.Kind.BACKFILL, backfill=True)
    pull_unpulled_profiles(workspace)
    _past_pull_health(workspace)


# The last weeks of Instagram's scheduled pulls as the connections page tells them: three a day, and a few that failed
# (days ago, so nothing needs attention now) and were retried by the next one.
PAST_FAILURES = [
    (3, PullRun.Status.FAILED, "rate_limited", "Instagram answered 429: the app's hourly call limit was reached."),
    (9, PullRun.Status.FAILED, "transient", "Instagram answered 503 Service Unavailable."),
    (16, PullRun.Status.FAILED, "unexpected_reply", "Instagram answered with an HTML page instead of JSON."),
]


def _past_pull_health(workspace) -> None:
    """A short history of past pulls for one demo account (once), counted into their days as ended runs are."""
    profile = TrackedProfile.objects.filter(workspace=workspace, platform=Platform.INSTAGRAM, is_own=True).first()
    if profile is None or PullRunDay.objects.filter(profile=profile, failed__gt=0).exists():
        return
    now = timezone.now()
    failures = {days_ago: rest for days_ago, *rest in PAST_FAILURES}
    runs = []
    for days_ago in range(1, 21):
        for hour in (2, 8, 14):
            runs.append((now - timedelta(days=days_ago, hours=hour), PullRun.Status.SUCCESS, "", ""))
        if days_ago in failures:
            runs.append((now - timedelta(days=days_ago, hours=20), *failures[days_ago]))
    for started, status, kind, message in runs:
        run = PullRun.objects.create(profile=profile, status=status, error_kind=kind, error_message=message)
        PullRun.objects.filter(pk=run.pk).update(started_at=started, finished_at=started + timedelta(seconds=40))
    pull_runs_count()


def pull_unpulled_profiles(workspace) -> int:
    """Backfill every demo profile that has no figures yet (competitors' demo calls this after creating theirs)."""
    pending = TrackedProfile.objects.filter(
        workspace=workspace, source=TrackedProfile.Source.DEMO, is_active=True
    ).exclude(never_available())
    # Never pulled at all (a suspended demo handle keeps its one failed run and is not retried each seed).
    pending = pending.annotate(runs=Count("pull_runs")).filter(runs=0)
    pulled = 0
    for profile in pending:
        try:
            pull_run(profile=profile, kind=PullRun.Kind.BACKFILL, backfill=True)
            pulled += 1
        except ConnectorError:
            pass  # recorded on the run: the demo shows a suspended handle too
    return pulled
