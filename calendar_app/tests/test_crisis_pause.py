import pytest
from django.urls import reverse

from accounts.roles import Role
from calendar_app import services
from calendar_app.models import CrisisPause, Publication

from .factories import PublicationFactory

pytestmark = pytest.mark.django_db
S = Publication.Status


def test_pause_stops_approved_and_scheduled_and_resume_puts_each_back(workspace, make_member):
    lead = make_member(Role.STRATEGY_LEAD).user
    scheduled = PublicationFactory(workspace=workspace, status=S.SCHEDULED)
    approved = PublicationFactory(workspace=workspace, status=S.APPROVED, scheduled_at=None)
    draft = PublicationFactory(workspace=workspace, status=S.DRAFT)
    pause = services.crisis_pause_start(workspace=workspace, by=lead, reason="Recall in the news")
    assert pause.paused_count == 2
    assert {p.pk: p.status for p in Publication.objects.all()} == {
        scheduled.pk: S.PAUSED,
        approved.pk: S.PAUSED,
        draft.pk: S.DRAFT,
    }
    services.crisis_pause_end(workspace=workspace, by=lead)
    assert {p.pk: p.status for p in Publication.objects.all()} == {
        scheduled.pk: S.SCHEDULED,
        approved.pk: S.APPROVED,
        draft.pk: S.DRAFT,
    }
    logged = CrisisPause.objects.get()
    assert (logged.started_by, logged.ended_by, logged.resumed_count) == (lead, lead, 2)
    assert list(scheduled.events.values_list("action", flat=True)) == ["paused", "resumed"]


def test_a_publication_approved_during_a_pause_waits_paused(workspace, make_member):
    services.crisis_pause_start(workspace=workspace, by=None, reason="Crisis")
    publication = PublicationFactory(workspace=workspace, status=S.IN_REVIEW)
    services.publication_approve(publication=publication, membership=make_member(Role.ADMIN))
    assert (publication.status, publication.status_before_pause) == (S.PAUSED, S.SCHEDULED)


def test_the_banner_shows_on_every_page_while_paused(client_as, workspace):
    client = client_as(Role.CONTENT_LEAD)
    assert 'data-testid="crisis-banner"' not in client.get(reverse("dashboard:home")).content.decode()
    client.post(reverse("calendar_app:crisis"), {"reason": "Outage at our warehouse"})
    for url in (reverse("dashboard:home"), reverse("calendar_app:idea_list"), reverse("calendar_app:editorial")):
        page = client.get(url).content.decode()
        assert 'data-testid="crisis-banner"' in page and "Outage at our warehouse" in page
    client.post(reverse("calendar_app:crisis"))
    assert 'data-testid="crisis-banner"' not in client.get(reverse("dashboard:home")).content.decode()


def test_the_pause_needs_a_reason(client_as):
    client = client_as(Role.ADMIN)
    response = client.post(reverse("calendar_app:crisis"), {"reason": ""})
    assert response.status_code == 200
    assert not CrisisPause.objects.exists()


def test_community_manager_cannot_use_the_switch(client_as):
    response = client_as(Role.COMMUNITY_MANAGER).post(reverse("calendar_app:crisis"), {"reason": "x"})
    assert response.status_code == 403
    assert not CrisisPause.objects.exists()


def test_a_pause_in_another_workspace_does_not_show_here(client_as, other_workspace):
    services.crisis_pause_start(workspace=other_workspace, by=None, reason="Their crisis")
    page = client_as(Role.ADMIN).get(reverse("dashboard:home")).content.decode()
    assert "Their crisis" not in page
