"""In Chromium (issue 20 point 8): a three-step approval with changes requested. Step 1 approves, step 2 asks for
changes with a reason, the author reads it and sends the post again, then steps 1 to 3 approve it."""

import pytest

from accounts.roles import Role
from calendar_app import services
from calendar_app.models import ContentItem, Publication
from calendar_app.steps import approval_steps_set

from .factories import OwnProfileFactory
from .test_browser_flows import _logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_three_step_approval_with_changes_requested(page, browser_login, workspace, make_member):
    author = make_member(Role.COMMUNITY_MANAGER, email="jordan@example.test")
    make_member(Role.CONTENT_LEAD, email="camille@example.test")
    make_member(Role.STRATEGY_LEAD, email="sam@example.test")
    make_member(Role.ADMIN, email="alex@example.test")
    approval_steps_set(
        workspace=workspace,
        network="",
        steps=[("Content check", ["content_lead"]), ("Strategy", ["strategy_lead"]), ("Final approval", ["admin"])],
    )
    item = ContentItem.objects.create(workspace=workspace, title="Spring launch", due_date="2026-12-10")
    profile = OwnProfileFactory(workspace=workspace, platform="instagram", handle="acme")
    draft = Publication(
        workspace=workspace, content_item=item, profile=profile, copy="Spring is here.",
        media_urls=["https://cdn.example.com/spring.jpg"],  # Instagram takes no post without media
    )  # fmt: skip
    publication = services.publication_save(publication=draft, by=author.user)
    url = f"/calendar/publishing/{publication.pk}/"

    def as_member(email):
        browser_login(email)
        page.goto(url)

    def approve(email, said):
        as_member(email)
        page.get_by_test_id("approve").click()
        page.get_by_text(said).wait_for()
        _logout(page)

    as_member("jordan@example.test")
    page.get_by_test_id("submit-review").click()
    page.get_by_text("Sent for review.").wait_for()
    assert "step 1 of 3" in page.get_by_test_id("step-of").inner_text()
    _logout(page)

    approve("camille@example.test", "Step 1 of 3 approved: it waits for step 2 (Strategy).")

    as_member("sam@example.test")
    assert "Approved by" in page.get_by_test_id("step-line").first.inner_text()
    page.get_by_label("What should change").fill("Say when the collection is in the shops.")
    page.get_by_test_id("request-changes").click()
    page.get_by_text("Sent back to draft with your comment.").wait_for()
    _logout(page)

    as_member("jordan@example.test")
    sent_back = page.get_by_test_id("sent-back").inner_text()
    assert "Changes requested by" in sent_back and "Say when the collection is in the shops." in sent_back
    page.get_by_test_id("submit-review").click()
    page.get_by_text("Sent for review.").wait_for()
    assert "step 1 of 3" in page.get_by_test_id("step-of").inner_text()
    _logout(page)

    approve("camille@example.test", "Step 1 of 3 approved: it waits for step 2 (Strategy).")
    approve("sam@example.test", "Step 2 of 3 approved: it waits for step 3 (Final approval).")
    as_member("alex@example.test")
    page.get_by_test_id("approve").click()
    page.get_by_text("Approved: approved.").wait_for()
    assert page.get_by_test_id("publication-status").inner_text() == "Approved"
    history = page.get_by_test_id("history").inner_text()
    assert "Changes requested" in history and "Approved step 3 of 3: Final approval" in history
    assert len(page.get_by_test_id("step-line").filter(has_text="Approved by").all()) == 3
