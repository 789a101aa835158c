from django.core.management.base import BaseCommand, CommandError

from accounts.models import Workspace
from reports.periods import month_start, parse_month, previous_month
from reports.services import monthly_report_run


class Command(BaseCommand):
    help = (
        "Generate (if missing) and e-mail each workspace's monthly report, as Celery beat does on the 1st: "
        "only to the people who have not received it yet."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM; by default the month before this one.")

    def handle(self, *args, month=None, **options):
        from django.utils import timezone

        target = parse_month(month) if month else previous_month(month_start(timezone.localdate()))
        if target is None:
            raise CommandError("Give the month as YYYY-MM, e.g. --month 2026-10.")
        for workspace in Workspace.objects.all():
            outcome = monthly_report_run(workspace=workspace, month=target)
            if outcome is None:
                status = "no one to send it to"
            else:
                status = f"sent to {len(outcome.sent)} now, {outcome.already_sent} before"
                if outcome.not_sent:
                    status += f"; {outcome.not_sent} not sent yet (run again to send to them only)"
                for email, error in outcome.failed:
                    status += f"\n  {email}: {error}"
            self.stdout.write(f"{workspace}: {target:%B %Y} report {status}")
