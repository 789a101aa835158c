"""Every main page, full of demo data, has no serious or critical accessibility violation (axe-core).

axe-core (through axe-playwright-python) checks the pages as the workspace admin on a laptop (1440 px) and on
a phone (390 px, where tables scroll in their own box and must take the keyboard's focus), and the homes and
own pages of a contributor and an executive. One failure lists every page with each rule, its impact, how
many elements break it and the first of them.
"""

from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from calendar_app.models import Idea, Publication
from reports.models import MonthlyReport
from stakeholders.models import Contact
from tests.browser.test_phone_widths import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1440, "height": 900}
BLOCKING = ("serious", "critical")


def violations(page, who, paths, axe):
    """What axe finds serious or critical on each of `paths`, one line per page and rule."""
    found = []
    for path in paths:
        response = page.goto(path)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, f"{who} {path} answered {response.status}"
        for rule in axe.run(page).response["violations"]:
            if rule["impact"] in BLOCKING:
                first = rule["nodes"][0]
                found.append(
                    f"{who} {path}: {rule['impact']} {rule['id']} on {len(rule['nodes'])} element(s),"
                    f" first {first['target']} {first['html'][:120]}"
                )
    return found


def test_main_pages_have_no_serious_accessibility_violation(browser, live_server):
    call_command("seed_demo", stdout=StringIO())
    contact = Contact.objects.order_by("pk").first()
    report = MonthlyReport.objects.order_by("-month", "-version").first()
    publication = Publication.objects.order_by("pk").first()
    idea = Idea.objects.order_by("pk").first()
    report_path = f"/reports/{report.month:%Y-%m}/"
    admin_pages = [
        "/",
        "/audit/",
        "/audit/accounts/",
        "/audit/access/",
        "/audit/tools/",
        "/stakeholders/",
        "/stakeholders/map/",
        f"/stakeholders/contacts/{contact.pk}/",
        "/stakeholders/ambassadors/",
        "/calendar/editorial/",
        "/calendar/publishing/",
        f"/calendar/publishing/{publication.pk}/",
        "/calendar/meeting/",
        "/calendar/crisis/",
        "/ideas/",
        f"/ideas/{idea.pk}/",
        "/competitors/",
        "/competitors/swot/",
        "/competitors/swot/compare/",
        "/metrics/",
        "/metrics/connections/",
        "/metrics/top/",
        "/strategy/",
        "/strategy/charter/",
        "/reports/",
        report_path,
        "/accounts/members/",
    ]
    axe = Axe()
    problems = []
    for email, viewport, paths in (
        ("admin@demo.test", LAPTOP, admin_pages),
        ("admin@demo.test", PHONE, admin_pages),
        ("contributor@demo.test", PHONE, ["/", "/ideas/", "/ideas/new/", "/stakeholders/ambassadors/me/"]),
        ("executive@demo.test", LAPTOP, ["/", "/reports/", report_path]),
    ):
        context, page = log_in(browser, live_server.url, email, viewport)
        problems += violations(page, f"{email} at {viewport['width']}", paths, axe)
        context.close()

    assert not problems, "axe-core finds serious or critical violations:\n" + "\n".join(problems)
