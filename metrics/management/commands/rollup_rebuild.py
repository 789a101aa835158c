"""Rebuild the daily roll-ups from the raw snapshots and posts: each profile's days (metrics.ProfileDay), then each
entity's days per network summed from them (metrics.NetworkDay), after the deploy that adds one, or whenever they
are in doubt. Idempotent; one profile, then one group, per transaction, so it works at any size."""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from metrics.models import TrackedProfile
from metrics.network_days import network_days_rebuild, network_groups
from metrics.rollup import rollup_profiles


class Command(BaseCommand):
    help = "Rebuild the daily roll-ups (per profile, then per entity and network) from the raw snapshots and posts."

    def add_arguments(self, parser):
        parser.add_argument("--workspace", type=int, help="Only this workspace's profiles (its id).")
        parser.add_argument("--profile", type=int, help="Only this tracked profile (its id; its workspace's networks).")

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
        workspaces = None
        if workspace is not None or profile is not None:
            workspaces = sorted(set(profiles.values_list("workspace_id", flat=True)))
        groups = len(network_groups(workspace_ids=workspaces))
        with tqdm(total=groups, unit="network", disable=verbosity < 1, file=sys.stderr) as bar:
            network_rows = network_days_rebuild(workspace_ids=workspaces, progress=bar.update)
        if verbosity:
            self.stdout.write(
                f"Rolled up {total} profiles: {rows} days; {groups} entities' networks: {network_rows} days rewritten."
            )
