from django.core.management.base import BaseCommand

from metrics.services import pull_runs_reap


class Command(BaseCommand):
    help = (
        "Close the pull runs whose worker died (the beat task 'Reap abandoned metrics pulls' does it every 5 minutes)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{pull_runs_reap()} abandoned pull run(s) closed; their next pull resumes them.")
