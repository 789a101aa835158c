from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from calendar_app.models import Idea

from .factories import IdeaFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def test_the_agenda_gives_ten_minutes_per_member_then_twenty_of_brainstorming(client_as, workspace, make_member):
    client = client_as(Role.ADMIN)
    make_member(Role.ANALYST)
    make_member(Role.CONTRIBUTOR)  # not in the team meeting
    response = client.get(reverse("calendar_app:meeting"), {"date": "2026-12-02"})
    assert [s["end"] for s in response.context["slots"]] == [10, 20]
    assert (response.context["brainstorm_start"], response.context["brainstorm_end"]) == (20, 40)


def test_brainstorming_alternates_strategy_and_content_week_by_week(client_as):
    client = client_as(Role.ADMIN)
    themes = [
        client.get(reverse("calendar_app:meeting"), {"date": d}).context["theme"]
        for d in ("2026-12-02", "2026-12-09", "2026-12-16", "2026-12-23")
    ]
    assert themes == ["strategy", "content", "strategy", "content"]  # ISO weeks 49 to 52


def test_the_agenda_lists_ideas_received_since_last_week(client_as, workspace):
    client = client_as(Role.ANALYST)
    recent = IdeaFactory(workspace=workspace, title="Fresh idea")
    old = IdeaFactory(workspace=workspace, title="Old idea")
    Idea.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))
    Idea.objects.filter(pk=recent.pk).update(created_at=timezone.now() - timedelta(days=7))
    page = client.get(reverse("calendar_app:meeting")).content.decode()
    assert "Fresh idea" in page and "Old idea" not in page


def test_a_busy_week_of_ideas_shows_the_first_ones_and_how_many_more_the_ideas_list_holds(client_as, workspace):
    from calendar_app.meeting import IDEA_ROWS

    client = client_as(Role.ANALYST)
    last_week = timezone.now() - timedelta(days=7)
    for i in range(IDEA_ROWS + 2):
        idea = IdeaFactory(workspace=workspace, title=f"Idea {i:02d}")
        Idea.objects.filter(pk=idea.pk).update(created_at=last_week.replace(hour=8) + timedelta(minutes=i))
    response = client.get(reverse("calendar_app:meeting"))
    ideas = response.context["ideas"]
    assert [i["title"] for i in ideas["shown"]] == [f"Idea {i:02d}" for i in range(IDEA_ROWS)]  # oldest first
    assert ideas["more"] == 2
    page = response.content.decode()
    assert f"Idea {IDEA_ROWS:02d}" not in page
    assert (
        f'href="{reverse("calendar_app:idea_list")}" data-testid="meeting-ideas-more">2 more in the ideas list' in page
    )


def test_contributor_home_lists_my_ideas_with_their_status(client_as, workspace):
    client = client_as(Role.CONTRIBUTOR)
    IdeaFactory(
        workspace=workspace, author=client.membership.user, title="My idea", status="declined", decline_reason="Not now"
    )
    page = client.get(reverse("dashboard:home")).content.decode()
    assert "My idea" in page and "Not now" in page and reverse("calendar_app:idea_new") in page


def test_team_home_shows_what_awaits_approval_and_ideas_to_triage(client_as, workspace):
    client = client_as(Role.CONTENT_LEAD)
    PublicationFactory(workspace=workspace, status="in_review", content_item__title="Waiting post")
    IdeaFactory(workspace=workspace)
    response = client.get(reverse("dashboard:home"))
    page = response.content.decode()
    assert "Waiting post" in page and "1</span> ideas to triage" in page
