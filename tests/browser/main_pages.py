"""The main pages of the seeded demo, per role, and a browser logged in as one of its members.

One list for the walks that must cover every main page (phone widths, accessibility): a page added to the app is
added here once. Call `main_pages()` after `seed_demo`.
"""

from accounts.demo import DEMO_PASSWORD
from calendar_app.models import Idea, Publication, PublicationApproval, PublicationTag
from media_library.models import MediaFile
from reports.models import MonthlyReport
from stakeholders.models import Contact

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1440, "height": 900}


def main_pages() -> dict[str, list[str]]:
    """{demo e-mail: the main pages that member opens}, for the admin, a contributor and an executive."""
    contact = Contact.objects.order_by("pk").first()
    report = MonthlyReport.objects.order_by("-month", "-version").first()
    publication = Publication.objects.order_by("pk").first()
    idea = Idea.objects.order_by("pk").first()
    # The demo's post waiting at its second approval step (calendar_app/demo.py): the steps' progress list.
    at_step_two = PublicationApproval.objects.order_by("pk").values_list("publication_id", flat=True).first()
    media = MediaFile.objects.order_by("pk").first()
    # A tag of the demo's (calendar_app/demo.py): the calendar and its list filtered by it.
    launch = PublicationTag.objects.filter(name="launch").order_by("pk").first()
    report_path = f"/reports/{report.month:%Y-%m}/"
    return {
        "admin@demo.test": [
            "/",
            "/audit/",
            "/audit/accounts/",
            "/audit/access/",
            "/audit/tools/",
            "/audit/compare/",
            "/stakeholders/",
            "/stakeholders/map/",
            f"/stakeholders/contacts/{contact.pk}/",
            "/stakeholders/ambassadors/",
            "/calendar/editorial/",
            "/calendar/publishing/",
            f"/calendar/publishing/{publication.pk}/",
            f"/calendar/publishing/{at_step_two}/",
            f"/calendar/publishing/?tag={launch.pk}",
            "/calendar/publishing/new/",
            "/calendar/settings/",
            "/calendar/queue/",
            "/calendar/publishing/compose/",
            "/calendar/publishing/import/",
            "/calendar/meeting/",
            "/calendar/crisis/",
            "/library/",
            "/library/upload/",
            f"/library/{media.pk}/",
            "/ideas/",
            f"/ideas/{idea.pk}/",
            "/ideas/new/",
            "/competitors/",
            "/competitors/swot/",
            "/competitors/swot/compare/",
            "/metrics/",
            "/metrics/connections/",
            "/metrics/connections/connect/",
            "/metrics/top/",
            "/strategy/",
            "/strategy/charter/",
            "/strategy/history/",
            "/reports/",
            report_path,
            "/accounts/members/",
            "/accounts/profile/",
            "/notifications/",
            "/notifications/preferences/",
        ],
        "contributor@demo.test": [
            "/",
            "/ideas/",
            f"/ideas/{idea.pk}/",
            "/ideas/new/",
            "/stakeholders/ambassadors/",
            "/stakeholders/ambassadors/me/",
            "/strategy/charter/",
            "/accounts/profile/",
            "/notifications/",
        ],
        "executive@demo.test": ["/", "/competitors/", "/metrics/", "/strategy/", "/reports/", report_path],
    }


def log_in(browser, base_url, email, viewport):
    """A new browser context at `viewport`, logged in through the login form as the demo member `email`."""
    context = browser.new_context(base_url=base_url, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    return context, page
