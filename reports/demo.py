"""Demo reports: the last three months, generated from the demo data, with the manager's highlights."""

from django.utils import timezone

from accounts.models import Membership
from accounts.roles import Role

from .models import MonthlyReport
from .periods import month_start, previous_month
from .services import recipient_add, report_generate, report_highlights_update

HIGHLIGHTS = [
    "Instagram grew steadily thanks to the customer photo series. LinkedIn hiring posts brought 14 applications. Next month: the autumn collection launch.",
    "A product video reached three times our usual audience. We answered every complaint within a day. Next: test short videos on LinkedIn.",
    "Quieter month during the holidays; engagement held up. The charter was approved and shared with every employee.",
]


def seed(workspace) -> None:
    lead = Membership.objects.filter(workspace=workspace, role=Role.STRATEGY_LEAD).select_related("user").first()
    month = month_start(timezone.localdate())
    for n in range(3):
        month = previous_month(month)
        if MonthlyReport.objects.filter(workspace=workspace, month=month).exists():
            continue  # a second run adds nothing
        report = report_generate(workspace=workspace, month=month, by=lead.user if lead else None)
        report_highlights_update(report=report, highlights=HIGHLIGHTS[n])
    recipient_add(workspace=workspace, email="board@demo.test", name="The board")
