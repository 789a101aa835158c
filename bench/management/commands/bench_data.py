from time import perf_counter

from django.core.management.base import BaseCommand, CommandError

from bench.copies import generate_brands
from bench.data import BENCH_PASSWORD, bench_user_email


class Command(BaseCommand):
    help = "Replace the 'Bench Brand' workspace with seeded data at a scale (1: three years of a busy brand)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 = the issue's brand; 10 = ten times the rows.")
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same rows.")
        parser.add_argument(
            "--workspaces",
            type=int,
            default=1,
            help="N: Bench Brand plus copies Bench Brand 2..N of it in the same database (global indexes and scans).",
        )

    def handle(self, *args, scale, seed, workspaces, **options):
        started = perf_counter()
        try:
            result = generate_brands(
                scale=scale, seed=seed, workspaces=workspaces, log=lambda message: self.stdout.write(f"  {message}")
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        rows = sum(result.counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Bench Brand at scale {scale:g} ({workspaces} workspace{'s' if workspaces > 1 else ''}): "
                f"{rows:,} rows in {perf_counter() - started:.1f} s. "
                f"Log in as {bench_user_email('admin')} (password '{BENCH_PASSWORD}')."
            )
        )
