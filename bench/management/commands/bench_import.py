import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from bench import imports


class Command(BaseCommand):
    help = "Time the audit import cold: N inventory rows then N access rows into a fresh workspace (deleted after)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000, help="Rows per file (default 100,000).")
        parser.add_argument("--json", dest="json_path", help="Where to write the figures (default: bench/results/).")

    def handle(self, *args, rows, json_path, **options):
        figures = imports.run(rows=rows, log=self.stdout.write)
        self.stdout.write(imports.table(figures))
        path = Path(
            json_path or Path(settings.BASE_DIR) / "bench" / "results" / f"import-{figures['database']}-{rows}.json"
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(figures, indent=2) + "\n")
        self.stdout.write(self.style.SUCCESS(f"Results written to {path}"))
