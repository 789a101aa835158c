import json
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import pages_bench
from bench.copies import copies_count, generate_brands
from bench.data import bench_workspace, estimated_scale

RESULTS = Path(settings.BASE_DIR) / "bench" / "results"


class Command(BaseCommand):
    help = (
        "Time every main page against the floor page (cold first, then warm: median, p95, queries); "
        "--ingest also times a demo pull; --compare A.json B.json puts two result files side by side."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, help="Regenerate Bench Brand at this scale first.")
        parser.add_argument(
            "--workspaces", type=int, default=1, help="With --scale: Bench Brand and copies 2..N of it (scale 1 only)."
        )
        parser.add_argument("--requests", type=int, default=30, help="Timed rounds per page, after the warm-up.")
        parser.add_argument("--warmup", type=int, default=3)
        parser.add_argument("--json", dest="json_path", help="Where to write the results (default: bench/results/).")
        parser.add_argument("--no-pages", action="store_true", help="Skip the page timings.")
        parser.add_argument(
            "--pages",
            dest="only",
            default="",
            help='Measure only these pages (and the floor), by their names, comma-separated: "dashboard,metrics".',
        )
        parser.add_argument(
            "--ingest", type=int, default=0, metavar="PROFILES", help="Also time a pull of PROFILES x 200 posts."
        )
        parser.add_argument(
            "--compare", nargs=2, metavar=("A.json", "B.json"), help="Compare two result files; measure nothing."
        )

    def handle(self, *args, scale, workspaces, requests, warmup, json_path, no_pages, only, ingest, compare, **options):
        if compare:
            return self._compare(*compare)
        if requests < 2:
            raise CommandError("Use at least 2 requests per page, so a p95 means something.")
        counts = None
        if scale is not None:
            try:
                counts = generate_brands(
                    scale=scale, workspaces=workspaces, log=lambda m: self.stdout.write(f"  {m}")
                ).counts
            except ValueError as error:
                raise CommandError(str(error)) from error
        elif (workspace := bench_workspace()) is not None:
            scale = estimated_scale(workspace)
        budget = pages_bench.budget_for(scale)
        result = {
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": connection.vendor,
            "scale": scale,
            "workspaces": 1 + copies_count(),
            "budget_x_floor": budget,
            "rows": counts,
            "commit": pages_bench.git_commit(),
        }
        if not no_pages:
            try:
                only_pages = tuple(name.strip() for name in only.split(",") if name.strip())
                result.update(pages_bench.run(requests=requests, warmup=warmup, only=only_pages, log=self.stdout.write))
            except LookupError as error:
                raise CommandError(str(error)) from error
            pages_bench.judge(result["pages"], budget)
            self.stdout.write(pages_bench.table(result["pages"], budget))
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

    def _compare(self, first: str, second: str) -> None:
        try:
            a, b = (json.loads(Path(name).read_text()) for name in (first, second))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read the result files: {error}") from error
        text, warnings = pages_bench.compare(a, b)
        self.stdout.write(text)
        for warning in warnings:
            self.stdout.write(self.style.WARNING(f"WARNING: {warning}"))
        if not warnings:
            self.stdout.write(self.style.SUCCESS("Every page runs the same number of queries in both files."))
