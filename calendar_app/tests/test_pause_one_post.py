"""One post paused on its own (services.publication_pause): no worker sends it, a crisis's end leaves it paused, and
resuming puts it back, or holds it for a decision when its time passed, or under a crisis pause that is on."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from calendar_app import publisher, services
from calendar_app.models import Publication
from metrics.connectors.demo import PublishedLedger

from .factories import PublicationFactory

pytestmark = pytest.mark.django_db
S = Publication.Status


@pytest.fixture(autouse=True)
def demo_ledger(settings, tmp_path):
    settings.DEMO_PLATFORM_DIR = str(tmp_path)


def _due(workspace, minutes=-1):
    return PublicationFactory(
        workspace=workspace, status=S.SCHEDULED, scheduled_at=timezone.now() + timedelta(minutes=minutes)
    )


def test_a_paused_post_is_not_sent_and_resumed_later_goes_out(workspace, make_member):
    by = make_member(Role.COMMUNITY_MANAGER).user
    later = _due(workspace, minutes=60)
    services.publication_pause(publication=later, by=by)
    assert Publication.objects.get(pk=later.pk).status == S.PAUSED
    assert later.pk not in publisher.due_publication_ids(now=timezone.now() + timedelta(hours=2))
    assert publisher.publication_send(publication_id=later.pk, now=timezone.now() + timedelta(hours=2)) is None
    assert PublishedLedger(later.profile.platform).entries() == []
    resumed = services.publication_resume(publication=later, by=by)
    assert (resumed.status, resumed.status_before_pause, resumed.paused_alone) == (S.SCHEDULED, "", False)
    assert list(resumed.events.values_list("action", flat=True))[-2:] == ["paused", "resumed"]


def test_a_post_whose_time_passed_while_paused_is_held_for_a_decision_on_resume(workspace, make_member):
    by = make_member(Role.COMMUNITY_MANAGER).user
    post = _due(workspace, minutes=5)
    services.publication_pause(publication=post, by=by)
    Publication.objects.filter(pk=post.pk).update(scheduled_at=timezone.now() - timedelta(minutes=1))
    publisher.publication_send(publication_id=post.pk)
    assert PublishedLedger(post.profile.platform).entries() == []
    assert services.publication_resume(publication=post, by=by).status == S.HELD


def test_a_crisis_end_leaves_a_post_paused_on_its_own_paused(workspace, make_member):
    by = make_member(Role.ADMIN).user
    alone, other = _due(workspace, minutes=60), _due(workspace, minutes=90)
    services.publication_pause(publication=alone, by=by)
    services.crisis_pause_start(workspace=workspace, by=by, reason="A fire at the plant")
    services.crisis_pause_end(workspace=workspace, by=by)
    assert Publication.objects.get(pk=alone.pk).status == S.PAUSED
    assert Publication.objects.get(pk=other.pk).status == S.SCHEDULED


def test_resuming_during_a_crisis_leaves_it_to_the_crisis_pause(workspace, make_member):
    by = make_member(Role.ADMIN).user
    post = _due(workspace, minutes=60)
    services.publication_pause(publication=post, by=by)
    services.crisis_pause_start(workspace=workspace, by=by, reason="A fire at the plant")
    assert services.publication_resume(publication=post, by=by).status == S.PAUSED  # still: the crisis holds it
    services.crisis_pause_end(workspace=workspace, by=by)
    assert Publication.objects.get(pk=post.pk).status == S.SCHEDULED


def test_only_approved_or_scheduled_posts_pause_and_bulk_names_the_others(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    draft = PublicationFactory(workspace=workspace, status=S.DRAFT)
    with pytest.raises(ValidationError, match="only an approved or scheduled post"):
        services.publication_pause(publication=draft, by=None)
    scheduled = _due(workspace, minutes=60)
    response = client.post(
        reverse("calendar_app:publications_bulk"), {"action": "pause", "ids": [draft.pk, scheduled.pk]}, follow=True
    )
    assert "Paused 1 of 2." in response.content.decode()
    assert Publication.objects.get(pk=scheduled.pk).status == S.PAUSED
    page = client.get(reverse("calendar_app:publication_detail", args=[scheduled.pk])).content.decode()
    assert 'data-testid="resume"' in page
    client.post(reverse("calendar_app:publication_action", args=[scheduled.pk, "resume"]))
    assert Publication.objects.get(pk=scheduled.pk).status == S.SCHEDULED
