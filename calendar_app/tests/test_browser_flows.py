"""In Chromium: a contributor's idea accepted by the lead, then a publication scheduled and approved."""

import pytest

from accounts.roles import Role
from calendar_app.models import ContentItem, Idea, Publication

from .factories import OwnProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logout(page):
    page.get_by_test_id("current-user").click()
    page.get_by_test_id("logout").click()
    page.wait_for_load_state("networkidle")


def test_contributor_submits_an_idea_and_the_content_lead_accepts_it(page, browser_login, workspace, make_member):
    make_member(Role.CONTRIBUTOR, email="robin@example.test")
    make_member(Role.CONTENT_LEAD, email="camille@example.test")

    browser_login("robin@example.test")
    page.get_by_role("link", name="Submit an idea").first.click()
    page.get_by_label("Title").fill("Behind the scenes at the workshop")
    page.get_by_label("Description").fill("Short videos of how our products are made.")
    page.get_by_label("Instagram").check()
    page.get_by_role("button", name="Send the idea").click()
    page.get_by_text("Thank you: your idea is in.").wait_for()
    assert page.get_by_test_id("idea-status").inner_text() == "New"
    _logout(page)

    browser_login("camille@example.test")
    page.goto("/ideas/")
    page.get_by_role("link", name="Behind the scenes at the workshop").click()
    page.get_by_label("Decision").select_option("accept")
    page.get_by_label("Due date").fill("2026-12-10")
    page.get_by_role("button", name="Apply the decision").click()
    page.get_by_text("is on the editorial calendar").first.wait_for()
    _logout(page)

    browser_login("robin@example.test")
    assert "Accepted" in page.get_by_test_id("my-ideas").inner_text()
    idea = Idea.objects.get()
    assert idea.status == "accepted" and idea.content_item.title == "Behind the scenes at the workshop"


def test_a_publication_is_scheduled_sent_for_review_and_approved(page, browser_login, workspace, make_member):
    make_member(Role.COMMUNITY_MANAGER, email="jordan@example.test")
    make_member(Role.STRATEGY_LEAD, email="sam@example.test")
    item = ContentItem.objects.create(workspace=workspace, title="Spring launch", due_date="2026-12-10")
    OwnProfileFactory(workspace=workspace, platform="instagram", handle="acme")

    browser_login("jordan@example.test")
    page.goto(f"/calendar/publishing/new/?content_item={item.pk}")
    page.get_by_label("Social account").select_option(label="@acme on Instagram")
    page.get_by_label("Copy").fill("Spring is here: meet the collection.")
    page.get_by_label("Scheduled for (workspace time)").fill("2026-12-10T10:00")
    page.get_by_role("button", name="Save").click()
    page.get_by_test_id("submit-review").click()
    assert page.get_by_test_id("publication-status").inner_text() == "In review"
    _logout(page)

    browser_login("sam@example.test")
    page.goto("/calendar/publishing/")
    page.get_by_role("link", name="Spring launch").first.click()
    page.get_by_test_id("approve").click()
    page.get_by_text("Approved: scheduled.").wait_for()
    assert page.get_by_test_id("publication-status").inner_text() == "Scheduled"
    history = page.get_by_test_id("history").inner_text()
    assert "Submitted" in history and "Approved" in history
    publication = Publication.objects.get()
    assert publication.status == "scheduled"
    assert publication.scheduled_at.isoformat() == "2026-12-10T09:00:00+00:00"


def test_an_item_is_dragged_to_another_day_on_the_editorial_calendar(page, browser_login, workspace, make_member):
    make_member(Role.CONTENT_LEAD, email="camille@example.test")
    from django.utils import timezone

    today = timezone.localdate()
    day = today.replace(day=10)
    ContentItem.objects.create(workspace=workspace, title="Drag me", due_date=day)
    browser_login("camille@example.test")
    page.goto("/calendar/editorial/")
    event = page.locator(".fc-event", has_text="Drag me")
    target = page.locator(f'td.fc-day[data-date="{day.replace(day=12).isoformat()}"]')
    event.drag_to(target)
    page.get_by_text("Moved “Drag me”").wait_for()
    assert ContentItem.objects.get().due_date == day.replace(day=12)
