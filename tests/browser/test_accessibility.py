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

from tests.browser.main_pages import LAPTOP, PHONE, log_in, main_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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
    pages = main_pages()
    axe = Axe()
    problems = []
    for email, viewport, paths in (
        ("admin@demo.test", LAPTOP, pages["admin@demo.test"]),
        ("admin@demo.test", PHONE, pages["admin@demo.test"]),
        ("contributor@demo.test", PHONE, pages["contributor@demo.test"]),
        ("executive@demo.test", LAPTOP, pages["executive@demo.test"]),
    ):
        context, page = log_in(browser, live_server.url, email, viewport)
        problems += violations(page, f"{email} at {viewport['width']}", paths, axe)
        context.close()

    assert not problems, "axe-core finds serious or critical violations:\n" + "\n".join(problems)
