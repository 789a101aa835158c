import json
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench import pull_now

RESULTS = Path(settings.BASE_DIR) / "bench" / "results"


class Command(BaseCommand):
    help = 'Time "Pull now" with the broker up, stopped and frozen (a redis-server of its own; see bench/pull_now.py).'

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=5, help="Clicks per broker state.")
        parser.add_argument("--cap", type=float, default=40.0, help="Seconds a frozen click may wait before the thaw.")

    def handle(self, *args, requests, cap, **options):
        try:
            pull_now.require_redis_settings()
        except LookupError as error:
            raise CommandError(str(error)) from error
        result = {"at": datetime.now(UTC).isoformat(timespec="seconds")}
        result.update(pull_now.run(requests=requests, cap=cap, log=self.stdout.write))
        self.stdout.write(pull_now.table(result))
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / "pull-now.json"
        path.write_text(json.dumps(result, indent=2))
        self.stdout.write(f"written to {path}")
