from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import publishing


class Command(BaseCommand):
    help = "Publishing under real faults: the crisis switch during a running batch, workers killed mid-batch."

    def add_arguments(self, parser):
        parser.add_argument("scenario", choices=["crisis", "kill", "both"])
        parser.add_argument("--publications", type=int, default=200)
        parser.add_argument("--latency", type=float, default=0.3, help="Seconds per platform call (0.3: real).")
        parser.add_argument("--workers", type=int, default=2, help="Worker processes.")
        parser.add_argument("--concurrency", type=int, default=2, help="Pool processes per worker.")
        parser.add_argument("--queue", default="publishing", help="The queue the publishing tasks go to.")
        parser.add_argument("--at", type=int, default=20, help="Posts sent before the pause or the kill.")

    def handle(self, *args, scenario, publications, latency, workers, concurrency, queue, at, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Worker processes share the database with this one: point DATABASE_URL at PostgreSQL.")
        common = {
            "publications": publications,
            "workers": workers,
            "concurrency": concurrency,
            "latency": latency,
            "queue": queue,
            "log": self.stdout.write,
        }
        try:
            if scenario in ("crisis", "both"):
                self.stdout.write(publishing.table("crisis", publishing.crisis(pause_after=at, **common)))
            if scenario in ("kill", "both"):
                self.stdout.write(publishing.table("kill", publishing.kill(kill_after=at, **common)))
        except LookupError as error:
            raise CommandError(str(error)) from error
