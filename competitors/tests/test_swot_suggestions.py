"""Suggestions drawn from the benchmark: accepted into the SWOT or dismissed, never suggested twice."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.roles import Role
from competitors import services
from competitors.models import SwotSuggestion
from competitors.tests.factories import TrackedProfileFactory, post, snapshot

TODAY = date(2026, 11, 20)


@pytest.fixture
def rival_posts_more(workspace):
    """Over the last 30 days (the benchmark's default): we post twice on Instagram (0.47 a week), Rival 6 times
    (1.4, 3x as often); our rate leads (5% vs 1%)."""
    ours = TrackedProfileFactory(workspace=workspace, platform="instagram", handle="acme")
    rival = services.competitor_create(workspace=workspace, name="Rival", handles={"instagram": "rival"})
    theirs = rival.profile_links.get().profile
    snapshot(ours, date(2026, 9, 1), 1000)
    snapshot(theirs, date(2026, 9, 1), 1000)
    for day in (3, 10):
        post(ours, f"2026-11-{day:02d}T10:00", likes=50, followers=1000)
    for day in (1, 3, 5, 7, 9, 11):
        post(theirs, f"2026-11-{day:02d}T10:00", likes=10, followers=1000)
    return rival


@pytest.mark.django_db
def test_the_benchmark_suggests_what_the_figures_show(workspace, rival_posts_more):
    drawn = services.swot_suggestions_refresh(workspace=workspace, today=TODAY)
    texts = sorted((s.quadrant, s.text) for s in drawn)
    assert texts == [
        (
            "S",
            "Our engagement rate leads on Instagram over the last 30 days: 5.00 % against a competitor average "
            "of 1.00 %.",
        ),
        (
            "S",
            "We earn the largest share of voice over the last 30 days: 62 % of all interactions among us and our "
            "competitors.",
        ),
        (
            "T",
            "Rival posts 3.0 times as often as we do on Instagram (1.4 against 0.5 posts a week over the last "
            "30 days).",
        ),
    ]


@pytest.mark.django_db
def test_accepting_a_suggestion_adds_it_to_the_current_swot(workspace, rival_posts_more, make_member):
    analyst = make_member(Role.ANALYST).user
    services.swot_suggestions_refresh(workspace=workspace, today=TODAY)
    suggestion = SwotSuggestion.objects.get(quadrant="T")
    item = services.swot_suggestion_accept(suggestion=suggestion, by=analyst)
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted" and suggestion.item == item
    assert item.text == suggestion.text and item.author == analyst
    assert item.evidence_url.startswith("/competitors/?days=30")  # the period the suggestion was drawn from


@pytest.mark.django_db
def test_a_dismissed_suggestion_is_not_suggested_again(workspace, rival_posts_more, make_member):
    drawn = services.swot_suggestions_refresh(workspace=workspace, today=TODAY)
    suggestion = SwotSuggestion.objects.get(quadrant="T")
    services.swot_suggestion_dismiss(suggestion=suggestion, by=make_member(Role.ANALYST).user)
    assert services.swot_suggestions_refresh(workspace=workspace, today=TODAY) == []
    assert SwotSuggestion.objects.filter(status="open").count() == len(drawn) - 1


@pytest.mark.django_db
def test_no_competitor_no_suggestion(workspace):
    TrackedProfileFactory(workspace=workspace, platform="instagram", handle="acme")
    assert services.swot_suggestions_refresh(workspace=workspace, today=TODAY) == []


@pytest.mark.django_db
def test_another_workspaces_suggestion_cannot_be_accepted(client_as, other_workspace):
    foreign = SwotSuggestion.objects.create(workspace=other_workspace, key="k", quadrant="S", text="Theirs")
    client = client_as(Role.ADMIN)
    response = client.post(reverse("competitors:suggestion_accept", args=[foreign.pk]))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "open"
