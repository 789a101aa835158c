"""Every main page, full of demo data, runs under the Content-Security-Policy without one violation.

Chromium opens the pages as the workspace admin, a contributor and an executive (their homes differ) and the
Django admin as an operator; a listener added before any page script records each `securitypolicyviolation`,
and the console and uncaught errors are kept too. Where a page's scripts bind, the test uses them a little
(a calendar renders and changes view, charts draw, a confirm asks, a select submits) so that a script that no
longer runs fails here and not only in a screenshot.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from calendar_app.models import Idea, Publication
from reports.models import MonthlyReport
from stakeholders.models import Contact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OPERATOR = "operator@csp.test"

# Runs in every page before its own scripts: violations land on window, and printing is recorded, not opened.
RECORDER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(
  `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile || "the page"}:${e.lineNumber}`
  + (e.sample ? ` (${e.sample})` : "")));
window.print = () => { window.__printed = true; };
"""


class Visit:
    """One member's browser: goto() opens a page and keeps what broke the policy (or a script) there."""

    def __init__(self, browser, base_url, email, password=DEMO_PASSWORD, *, admin_form=False):
        self.context = browser.new_context(base_url=base_url, viewport={"width": 1366, "height": 900})
        self.context.add_init_script(RECORDER)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"{self.page.url}: script error {error}"))
        self.goto("/admin/login/" if admin_form else "/accounts/login/")
        self.page.locator("#id_username").fill(email)
        self.page.locator("#id_password").fill(password)
        self.page.locator("[type=submit]").last.click()
        self.page.wait_for_load_state("networkidle")

    def _console(self, message):
        if message.type == "error" or "Content Security Policy" in message.text:
            self.problems.append(f"{self.page.url}: console {message.type}: {message.text[:300]}")

    def goto(self, path):
        response = self.page.goto(path)
        self.page.wait_for_load_state("networkidle")
        assert response.status == 200, f"{path} answered {response.status}"
        return self.page

    def expect(self, condition, what):
        """A script's work that should show on the page (a chart drawn, a width set), listed with the rest."""
        if not condition:
            self.problems.append(f"{self.page.url}: {what} did not happen")

    def collect(self):
        """The violations the page recorded so far (call before leaving it)."""
        for violation in self.page.evaluate("window.__csp"):
            self.problems.append(f"{self.page.url}: {violation}")

    def open(self, *paths):
        for path in paths:
            self.goto(path)
            self.collect()


def chart_drawn(page, canvas_id) -> bool:
    return page.evaluate(f"!!(window.Chart && Chart.getChart({canvas_id!r}))")


def check_calendar(visit, path):
    page = visit.goto(path)
    try:
        page.locator(".fc-daygrid-day").first.wait_for(timeout=5_000)
    except PlaywrightTimeoutError:
        visit.expect(False, "FullCalendar's month view")
        visit.collect()
        return
    # FullCalendar's injected style sheet applies (it carries the request's nonce): .fc is a flex column.
    flex = page.evaluate("getComputedStyle(document.querySelector('.fc')).display") == "flex"
    visit.expect(flex, "FullCalendar's style sheet")
    page.locator(".fc-listMonth-button").click()
    page.locator(".fc-list, .fc-list-empty").first.wait_for()
    visit.collect()


def test_every_main_page_keeps_to_the_policy(browser, live_server):
    call_command("seed_demo", stdout=StringIO())
    User.objects.create_superuser(email=OPERATOR, password=DEMO_PASSWORD, full_name="Operator")
    crontab = CrontabSchedule.objects.create(minute="15", hour="7")
    beat_task = PeriodicTask.objects.create(name="csp check", task="reports.tasks.noop", crontab=crontab)
    contact = Contact.objects.order_by("pk").first()
    report = MonthlyReport.objects.order_by("-month", "-version").first()
    publication = Publication.objects.order_by("pk").first()
    idea = Idea.objects.order_by("pk").first()
    problems = []

    admin = Visit(browser, live_server.url, "admin@demo.test")
    page = admin.page
    page.get_by_test_id("home-team").wait_for()
    admin.collect()
    page.get_by_test_id("workspace-menu").click()  # Bootstrap's dropdown still opens
    page.locator(".dropdown-menu.show").wait_for()
    admin.open(
        "/audit/accounts/",
        "/audit/access/",
        "/stakeholders/",
        "/calendar/settings/",
        "/calendar/meeting/",
        "/calendar/crisis/",
        "/competitors/swot/compare/",
        "/metrics/connections/",
        "/metrics/connections/connect/",
        "/metrics/top/",
        "/strategy/charter/",
        "/reports/",
        "/accounts/members/",
        f"/calendar/publishing/{publication.pk}/",
        f"/ideas/{idea.pk}/",
        "/ideas/",
    )

    admin.goto("/audit/")
    admin.expect(chart_drawn(page, "score-chart"), "the chart #score-chart")
    admin.collect()

    admin.goto(f"/stakeholders/contacts/{contact.pk}/")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Remove from the directory").click()
    assert asked == [f"Remove {contact.full_name} and their meetings?"]
    assert Contact.objects.filter(pk=contact.pk).exists()  # dismissed: nothing sent
    admin.collect()

    admin.goto("/stakeholders/map/")
    bar = page.locator("#not-met .progress-bar")
    assert bar.evaluate("el => parseFloat(el.style.width) === parseFloat(el.dataset.widthPct)")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.__printed === true")
    admin.collect()

    admin.goto("/stakeholders/ambassadors/")
    admin.expect(chart_drawn(page, "network-chart"), "the chart #network-chart")
    admin.collect()

    for path in ("/calendar/editorial/", "/calendar/publishing/"):
        check_calendar(admin, path)

    admin.goto("/competitors/")
    admin.expect(chart_drawn(page, "chart-posts"), "the chart #chart-posts")
    admin.collect()
    admin.goto("/competitors/swot/")
    page.locator(".swot-list").first.wait_for()
    admin.collect()

    admin.goto("/metrics/")
    admin.expect(chart_drawn(page, "followers-chart"), "the chart #followers-chart")
    dot = page.locator(".platform-dot[data-colour]").first
    assert dot.evaluate("el => getComputedStyle(el).backgroundColor") not in ("", "rgba(0, 0, 0, 0)")
    with page.expect_navigation():
        page.get_by_label("Period").select_option("30")
    assert "days=30" in page.url
    admin.collect()

    admin.goto("/strategy/")
    widths = page.locator(".progress-bar[data-width-pct]").evaluate_all(
        "bars => bars.map(el => [parseFloat(el.style.width), parseFloat(el.dataset.widthPct)])"
    )
    assert widths and all(set_width == wanted for set_width, wanted in widths), widths
    admin.collect()

    admin.goto(f"/reports/{report.month:%Y-%m}/")
    admin.expect(chart_drawn(page, "followers-chart"), "the chart #followers-chart")
    admin.collect()
    problems += admin.problems
    admin.context.close()

    contributor = Visit(browser, live_server.url, "contributor@demo.test")
    contributor.page.get_by_test_id("home-contributor").wait_for()
    contributor.collect()
    contributor.open("/ideas/", "/ideas/new/", "/stakeholders/ambassadors/me/", "/strategy/charter/")
    problems += contributor.problems
    contributor.context.close()

    executive = Visit(browser, live_server.url, "executive@demo.test")
    executive.page.get_by_test_id("home-executive").wait_for()
    executive.collect()
    executive.open("/reports/", f"/reports/{report.month:%Y-%m}/", "/strategy/charter/")
    problems += executive.problems
    executive.context.close()

    # The Django admin, as an operator: its login (the app's), the index, one changelist and one change form.
    operator = Visit(browser, live_server.url, OPERATOR, admin_form=True)
    page = operator.page
    assert page.url.endswith("/admin/")
    operator.collect()
    page.locator("#content-main th[scope=row] a").first.click()
    page.wait_for_load_state("networkidle")
    assert "/admin/" in page.url
    operator.collect()
    operator.goto("/admin/accounts/membership/")
    page.locator("#result_list tbody th a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/change/")
    operator.collect()
    # django-celery-beat's form had an inline script (templates/admin/djcelery/ overrides it with a static one).
    page = operator.goto(f"/admin/django_celery_beat/periodictask/{beat_task.pk}/change/")
    operator.expect(page.locator(".field-crontab_translation").is_hidden(), "hiding the crontab translation row")
    page.select_option("#id_crontab", str(crontab.pk))
    operator.expect("Translation:" in page.locator(".field-crontab .help").inner_text(), "the crontab's translation")
    operator.collect()
    problems += operator.problems
    operator.context.close()

    assert not problems, "The policy was broken:\n" + "\n".join(problems)
