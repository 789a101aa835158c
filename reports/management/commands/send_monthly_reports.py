from django.core.management.base import BaseCommand, CommandError

from accounts.models import Workspace
from reports.periods import month_start, parse_month, previous_month
from reports.services import monthly_report_run


class Command(BaseCommand):
    help = "Generate (if missing) and e-mail each workspace's monthly report, as Celery beat does on the 1st. Sends once per month."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM; by default the month before this one.")

    def handle(self, *args, month=None, **options):
        from django.utils import timezone

        target = parse_month(month) if month else previous_month(month_start(timezone.localdate()))
        if target is None:
            raise CommandError("Give the month as YYYY-MM, e.g. --month 2026-10.")
        for workspace in Workspace.objects.all():
            delivery = monthly_report_run(workspace=workspace, month=target)
            status = f"sent to {len(delivery.recipients)}" if delivery else "already sent or no recipient"
            self.stdout.write(f"{workspace}: {target:%B %Y} report {status}")
