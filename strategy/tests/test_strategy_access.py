import pytest
from django.urls import reverse

from accounts.roles import Role

READERS = [Role.CONTENT_LEAD, Role.COMMUNITY_MANAGER, Role.ANALYST, Role.COORDINATOR, Role.EXECUTIVE]
EDITORS = [Role.ADMIN, Role.STRATEGY_LEAD]


@pytest.mark.django_db
@pytest.mark.parametrize("role", EDITORS + READERS)
def test_team_and_executives_read_the_strategy_and_its_history(client_as, role):
    client = client_as(role)
    assert client.get(reverse("strategy:home")).status_code == 200
    assert client.get(reverse("strategy:history")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*READERS, Role.CONTRIBUTOR])
def test_only_admin_and_strategy_lead_edit_the_strategy(client_as, role):
    client = client_as(role)
    assert client.get(reverse("strategy:item_new", args=["objectives"])).status_code == 403
    assert client.post(reverse("strategy:edit_section", args=["voice"]), {"words_to_avoid": "x"}).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", EDITORS)
def test_editors_open_the_edit_forms(client_as, role):
    assert client_as(role).get(reverse("strategy:edit_section", args=["plans"])).status_code == 200


@pytest.mark.django_db
def test_a_contributor_reads_the_charter_but_not_the_strategy(client_as):
    client = client_as(Role.CONTRIBUTOR)
    assert client.get(reverse("strategy:home")).status_code == 403
    assert client.get(reverse("strategy:charter")).status_code == 200


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("strategy:home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
