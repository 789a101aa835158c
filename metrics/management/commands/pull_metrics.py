from django.core.management.base import BaseCommand, CommandError

from metrics.connectors.base import ConnectorError
from metrics.models import PullRun, TrackedProfile
from metrics.services import pull_run


class Command(BaseCommand):
    help = "Pull tracked profiles' figures and posts now, inline (the same service the Celery tasks run)."

    def add_arguments(self, parser):
        parser.add_argument("--profile", type=int, help="Only this tracked profile id.")
        parser.add_argument("--backfill", action="store_true", help="Fetch the whole history the platform gives.")

    def handle(self, *args, profile=None, backfill=False, **options):
        profiles = TrackedProfile.objects.filter(is_active=True)
        if profile is not None:
            profiles = TrackedProfile.objects.filter(pk=profile)
            if not profiles.exists():
                raise CommandError(f"No tracked profile with id {profile}.")
        for tracked in profiles:
            try:
                run = pull_run(profile=tracked, kind=PullRun.Kind.MANUAL, backfill=backfill)
            except ConnectorError as error:
                self.stderr.write(f"{tracked}: {error.kind}: {error}")
                continue
            self.stdout.write(f"{tracked}: {run.rows_written} rows written")
