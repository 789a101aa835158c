"""At most three active competitors: the form says so, the service refuses, the database holds it."""

import threading

import pytest
from django.db import IntegrityError, connection
from django.urls import reverse

from accounts.roles import Role
from competitors import services
from competitors.models import Competitor
from tests.markers import requires_postgres


def follow(workspace, name, **kwargs):
    return services.competitor_create(workspace=workspace, name=name, **kwargs)


@pytest.mark.django_db
def test_the_service_refuses_a_fourth_active_competitor_with_a_clear_message(workspace):
    for name in ("A", "B", "C"):
        follow(workspace, name)
    with pytest.raises(services.CompetitorLimitReached) as refused:
        follow(workspace, "D")
    assert "already follow 3 competitors" in refused.value.messages[0]
    assert Competitor.objects.filter(workspace=workspace).count() == 3


@pytest.mark.django_db
def test_each_active_competitor_holds_its_own_slot(workspace):
    slots = [follow(workspace, name).slot for name in ("A", "B", "C")]
    assert sorted(slots) == [1, 2, 3]


@pytest.mark.django_db
def test_the_cap_is_per_workspace(workspace, other_workspace):
    for name in ("A", "B", "C"):
        follow(workspace, name)
    assert follow(other_workspace, "A").slot == 1


@pytest.mark.django_db
def test_the_database_refuses_two_active_competitors_in_one_slot(workspace):
    follow(workspace, "A")
    with pytest.raises(IntegrityError):
        Competitor.objects.create(workspace=workspace, name="Sneaky", slot=1)


@pytest.mark.django_db
def test_the_database_refuses_a_slot_beyond_three(workspace):
    with pytest.raises(IntegrityError):
        Competitor.objects.create(workspace=workspace, name="Fourth", slot=4)


@pytest.mark.django_db
def test_archiving_makes_room_and_keeps_the_history(workspace):
    first = follow(workspace, "A", handles={"x": "acompany"})
    follow(workspace, "B")
    follow(workspace, "C")
    profile = first.profile_links.get().profile

    services.competitor_archive(competitor=first)

    fourth = follow(workspace, "D")
    assert fourth.slot == 1
    first.refresh_from_db()
    profile.refresh_from_db()
    assert first.archived_at is not None and first.slot is None
    assert profile.is_active is False  # no longer pulled, but the row and its figures stay


@pytest.mark.django_db
def test_restoring_an_archived_competitor_needs_a_free_slot(workspace):
    first = follow(workspace, "A", handles={"x": "acompany"})
    services.competitor_archive(competitor=first)
    for name in ("B", "C", "D"):
        follow(workspace, name)
    with pytest.raises(services.CompetitorLimitReached):
        services.competitor_restore(competitor=first)
    services.competitor_archive(competitor=Competitor.objects.get(name="B"))

    services.competitor_restore(competitor=first)

    first.refresh_from_db()
    assert first.is_active and first.slot == 1  # the slot B gave back
    assert first.profile_links.get().profile.is_active


@pytest.mark.django_db
def test_the_form_says_how_many_slots_are_left_before_anyone_fills_it(client_as, workspace):
    client = client_as(Role.ANALYST)
    follow(workspace, "A")
    response = client.get(reverse("competitors:new"))
    assert "at most 3 competitors" in response.text
    assert "1 more" not in response.text and "2 more" in response.text


@pytest.mark.django_db
def test_at_the_cap_the_form_is_replaced_by_the_reason(client_as, workspace):
    client = client_as(Role.ADMIN)
    for name in ("A", "B", "C"):
        follow(workspace, name)
    response = client.get(reverse("competitors:new"))
    assert "Archive one to make room" in response.text
    assert 'name="name"' not in response.text


@pytest.mark.django_db
def test_a_fourth_competitor_posted_anyway_gets_the_message_and_nothing_is_saved(client_as, workspace):
    client = client_as(Role.ADMIN)
    for name in ("A", "B", "C"):
        follow(workspace, name)
    response = client.post(reverse("competitors:new"), {"name": "D", "handle_x": "dcorp"})
    assert response.status_code == 200
    assert "already follow 3 competitors" in response.text
    assert not Competitor.objects.filter(name="D").exists()


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_many_simultaneous_creations_leave_exactly_three_active_competitors(workspace):
    attempts = 12
    barrier = threading.Barrier(attempts)
    outcomes = []

    def create(i):
        try:
            barrier.wait()
            follow(workspace, f"Rival {i}", handles={"x": f"rival{i}"})
            outcomes.append("created")
        except services.CompetitorLimitReached:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    active = Competitor.objects.filter(workspace=workspace, archived_at__isnull=True)
    assert active.count() == 3
    assert sorted(active.values_list("slot", flat=True)) == [1, 2, 3]
    assert outcomes.count("created") == 3 and outcomes.count("refused") == attempts - 3
    # Refused requests left no profile behind.
    assert workspace.tracked_profiles.count() == 3


@pytest.mark.django_db
def test_two_active_competitors_cannot_share_a_name(client_as, workspace):
    follow(workspace, "Northwind")
    client = client_as(Role.ADMIN)
    response = client.post(reverse("competitors:new"), {"name": "northwind "})
    assert "already follow a competitor named" in response.text
    assert Competitor.objects.filter(workspace=workspace).count() == 1
