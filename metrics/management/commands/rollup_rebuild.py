"""Rebuild the daily roll-up (metrics.ProfileDay) from the raw snapshots and posts: after the deploy that adds
it, or whenever it is in doubt. Idempotent; one profile per transaction, so it works at any size."""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from metrics.models import TrackedProfile
from metrics.rollup import rollup_profiles


class Command(BaseCommand):
    help = "Rebuild the daily roll-up of tracked profiles from their raw snapshots and posts."

    def add_arguments(self, parser):
        parser.add_argument("--workspace", type=int, help="Only this workspace's profiles (its id).")
        parser.add_argument("--profile", type=int, help="Only this tracked profile (its id).")

    def handle(self, *args, workspace=None, profile=None, verbosity=1, **options):
        profiles = TrackedProfile.objects.all()
        if workspace is not None:
            profiles = profiles.filter(workspace_id=workspace)
        if profile is not None:
            profiles = profiles.filter(pk=profile)
        total = profiles.count()
        if not total and (workspace is not None or profile is not None):
            raise CommandError("No tracked profile matches.")
        with tqdm(total=total, unit="profile", disable=verbosity < 1, file=sys.stderr) as bar:
            rows = rollup_profiles(profiles, progress=bar.update)
        if verbosity:
            self.stdout.write(f"Rolled up {total} profiles: {rows} days.")
