"""Demo Brand's own accounts, pulled through the demo connector and the real pull service."""

from django.db.models import Min

from .models import PullRun, TrackedProfile
from .platforms import Platform
from .services import pull_run

OWN_PROFILES = [
    (Platform.X, "demobrand", "Demo Brand"),
    (Platform.FACEBOOK, "demobrand_official", "Demo Brand"),
    (Platform.INSTAGRAM, "demobrand_studio", "Demo Brand Studio"),
    (Platform.LINKEDIN, "demo_brand_company", "Demo Brand (company page)"),
]


def seed(workspace) -> None:
    for platform, handle, name in OWN_PROFILES:
        profile, created = TrackedProfile.objects.get_or_create(
            workspace=workspace,
            platform=platform,
            handle=handle,
            defaults={"display_name": name, "is_own": True, "source": TrackedProfile.Source.DEMO},
        )
        if created or not profile.snapshots.exists():
            # A backfill brings ~400 days of daily figures and the posts' history, in bulk.
            pull_run(profile=profile, kind=PullRun.Kind.BACKFILL, backfill=True)
    # Competitors' profiles (created by the competitors app later in seed_demo) get pulled by their own pass.
    pending = TrackedProfile.objects.filter(workspace=workspace, source=TrackedProfile.Source.DEMO).annotate(
        first=Min("snapshots__date")
    )
    for profile in pending.filter(first__isnull=True, is_active=True):
        if profile.handle.lower() not in {"suspended", "gone_brand"}:
            pull_run(profile=profile, kind=PullRun.Kind.BACKFILL, backfill=True)
