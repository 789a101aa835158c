"""Demo Brand's own accounts, pulled through the demo connector and the real pull service."""

from django.db.models import Count

from .connectors.base import ConnectorError
from .models import PullRun, TrackedProfile, never_available
from .platforms import Platform
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
