"""Rebuild the daily roll-up (metrics.ProfileDay) from the raw snapshots and posts: after the deploy that adds
it, or whenever it is in doubt. Idempotent; one profile per transaction, so it works at any size."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from metrics.models import TrackedProfile
from metrics.rollup import rollup_profile


class Command(BaseCommand):
    help = "Rebuild the daily roll-up of tracked profiles from their raw snapshots and posts."

    def add_arguments(self, parser):
        parser.add_argument("--workspace", type=int, help="Only this workspace's profiles (its id).")
        parser.add_argument("--profile", type=int, help="Only this tracked profile (its id).")

    def handle(self, *args, workspace=None, profile=None, verbosity=1, **options):
        profiles = TrackedProfile.objects.select_related("workspace").order_by("pk")
        if workspace is not None:
            profiles = profiles.filter(workspace_id=workspace)
        if profile is not None:
            profiles = profiles.filter(pk=profile)
        ids = list(profiles.values_list("pk", flat=True))
        if not ids and (workspace is not None or profile is not None):
            raise CommandError("No tracked profile matches.")
        rows = 0
        with tqdm(total=len(ids), unit="profile", disable=verbosity < 1, file=sys.stderr) as bar:
            for pk in ids:
                with transaction.atomic():
                    rows += rollup_profile(profiles.get(pk=pk))
                bar.update()
        if verbosity:
            self.stdout.write(f"Rolled up {len(ids)} profiles: {rows} days.")
