import json
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import pages_bench
from bench.data import bench_workspace, estimated_scale, generate

RESULTS = Path(settings.BASE_DIR) / "bench" / "results"
# The budgets: a page's median at most this many times the floor's.
BUDGET = {1.0: 3.0, 10.0: 5.0}


def budget_for(scale: float | None) -> float | None:
    """The issue sets budgets at scales 1 and 10; other scales get the figures without a verdict."""
    return next((ratio for at, ratio in BUDGET.items() if scale and abs(scale - at) / at < 0.05), None)


class Command(BaseCommand):
    help = "Time every main page against the floor page (median, p95, queries) and, with --ingest, a demo pull."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, help="Regenerate Bench Brand at this scale first.")
        parser.add_argument("--requests", type=int, default=30, help="Timed requests per page, after the warm-up.")
        parser.add_argument("--warmup", type=int, default=3)
        parser.add_argument("--json", dest="json_path", help="Where to write the results (default: bench/results/).")
        parser.add_argument("--no-pages", action="store_true", help="Skip the page timings.")
        parser.add_argument(
            "--ingest", type=int, default=0, metavar="PROFILES", help="Also time a pull of PROFILES x 200 posts."
        )

    def handle(self, *args, scale, requests, warmup, json_path, no_pages, ingest, **options):
        if requests < 2:
            raise CommandError("Use at least 2 requests per page, so a p95 means something.")
        counts = None
        if scale is not None:
            counts = generate(scale=scale, log=lambda m: self.stdout.write(f"  {m}")).counts
        elif (workspace := bench_workspace()) is not None:
            scale = estimated_scale(workspace)
        result = {
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": connection.vendor,
            "scale": scale,
            "budget_x_floor": budget_for(scale),
            "rows": counts,
            "commit": pages_bench.git_commit(),
        }
        if not no_pages:
            try:
                result.update(pages_bench.run(requests=requests, warmup=warmup, log=self.stdout.write))
            except LookupError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(pages_bench.table(result["pages"], budget_for(scale)))
            if result["missing"]:
                self.stdout.write(f"not measured (not on this branch yet): {', '.join(result['missing'])}")
        if ingest:
            from bench import ingest as ingest_bench

            result["ingest"] = ingest_bench.run(profiles=ingest, posts_per_profile=200, log=self.stdout.write)
            self.stdout.write(ingest_bench.table(result["ingest"]))
        path = Path(json_path) if json_path else RESULTS / f"bench-{connection.vendor}-scale-{scale or 0:g}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result, indent=2) + "\n")
        self.stdout.write(self.style.SUCCESS(f"Results written to {path}"))
