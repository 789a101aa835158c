"""Fifty people adding a competitor with the same handle at once: one follows it, the others get the form's
message on the handle field; never an error page, never two competitors on one handle (whatever its case)."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from competitors import services
from competitors.models import Competitor, CompetitorProfile
from metrics.models import TrackedProfile
from tests.markers import requires_postgres

ATTEMPTS = 50
FIELD_ERROR = "on X (Twitter) is already followed for"


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_creations_with_one_handle_give_one_competitor_and_field_errors(workspace, make_member):
    user = make_member(Role.ADMIN).user
    clients = []
    for _ in range(ATTEMPTS):
        client = Client()  # raises the view's exception instead of answering 500, so nothing hides
        client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(ATTEMPTS)
    outcomes = []

    def create(i: int):
        try:
            barrier.wait()
            handle = ("rival", "Rival", "RIVAL")[i % 3]  # a case-insensitive duplicate is a duplicate
            response = clients[i].post(reverse("competitors:new"), {"name": f"Rival {i}", "handle_x": handle})
            if response.status_code == 302:
                outcomes.append("created")
            elif response.status_code == 200 and FIELD_ERROR in response.text and "is-invalid" in response.text:
                outcomes.append("field error")
            else:
                outcomes.append(f"answered {response.status_code}")
        except Exception as error:  # an IntegrityError here is the 500 a user would have seen
            outcomes.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    others = [o for o in outcomes if o not in ("created", "field error")]
    assert others == []
    assert outcomes.count("created") == 1 and outcomes.count("field error") == ATTEMPTS - 1
    assert Competitor.objects.filter(workspace=workspace).count() == 1
    assert TrackedProfile.objects.filter(workspace=workspace, platform="x", handle__iexact="rival").count() == 1
    assert CompetitorProfile.objects.count() == 1


@pytest.mark.django_db
def test_a_handle_that_differs_only_in_case_is_refused_on_its_field(client_as, workspace):
    services.competitor_create(workspace=workspace, name="Northwind", handles={"x": "NorthWind"})
    client = client_as(Role.ADMIN)
    response = client.post(reverse("competitors:new"), {"name": "Other", "handle_x": "northwind"})
    assert response.status_code == 200
    assert "@northwind on X (Twitter) is already followed for Northwind." in response.text
    assert Competitor.objects.count() == 1 and TrackedProfile.objects.count() == 1


@pytest.mark.django_db
def test_a_handle_of_the_brand_in_another_case_is_refused(workspace):
    TrackedProfile.objects.create(workspace=workspace, platform="instagram", handle="AcmeOfficial", is_own=True)
    with pytest.raises(services.ValidationError) as refused:
        services.competitor_create(workspace=workspace, name="Copycat", handles={"instagram": "acmeofficial"})
    assert refused.value.message_dict == {
        "instagram": ["@acmeofficial on Instagram is one of the brand's own profiles."]
    }
    assert not Competitor.objects.exists()
