import pytest

from accounts.roles import Role
from stakeholders.models import Ambassador, Contact

from .factories import ContactFactory

pytestmark = pytest.mark.django_db

EDITORS = [Role.ADMIN, Role.STRATEGY_LEAD, Role.CONTENT_LEAD, Role.COMMUNITY_MANAGER, Role.COORDINATOR]
READ_PAGES = ["/stakeholders/", "/stakeholders/map/", "/stakeholders/export.csv"]


@pytest.mark.parametrize("role", [*EDITORS, Role.ANALYST])
@pytest.mark.parametrize("url", [*READ_PAGES, "/stakeholders/ambassadors/"])
def test_the_team_opens_the_directory_map_and_ambassadors(client_as, role, url):
    assert client_as(role).get(url).status_code == 200


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.EXECUTIVE])
@pytest.mark.parametrize("url", READ_PAGES)
def test_contributors_and_executives_cannot_open_the_directory_or_map(client_as, role, url):
    assert client_as(role).get(url).status_code == 403


def test_an_executive_cannot_open_the_ambassadors_page(client_as):
    assert client_as(Role.EXECUTIVE).get("/stakeholders/ambassadors/").status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/stakeholders/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", EDITORS)
def test_editors_may_add_a_contact(client_as, workspace, role):
    response = client_as(role).post(
        "/stakeholders/contacts/new/",
        {"full_name": "New Person", "influence": 2, "interest": 3, "preferred_channel": "email", "tag_names": "a, b"},
    )

    assert response.status_code == 302
    assert Contact.objects.get(workspace=workspace).full_name == "New Person"


@pytest.mark.parametrize("role", [Role.ANALYST, Role.CONTRIBUTOR, Role.EXECUTIVE])
@pytest.mark.parametrize(
    "url", ["/stakeholders/contacts/new/", "/stakeholders/import/", "/stakeholders/ambassadors/new/"]
)
def test_readers_and_outsiders_cannot_write(client_as, role, url):
    client = client_as(role)

    assert client.get(url).status_code == 403
    assert client.post(url, {"full_name": "X"}).status_code == 403
    assert not Contact.objects.exists() and not Ambassador.objects.exists()


def test_an_analyst_sees_no_edit_buttons_on_the_directory(client_as, workspace):
    ContactFactory(workspace=workspace)

    body = client_as(Role.ANALYST).get("/stakeholders/").content.decode()

    assert "Add a contact" not in body and "Import CSV" not in body


@pytest.mark.parametrize("suffix", ["", "edit/", "vcard/", "meetings/new/"])
def test_another_workspaces_contact_answers_404(client_as, other_workspace, suffix):
    theirs = ContactFactory(workspace=other_workspace)

    assert client_as(Role.ADMIN).get(f"/stakeholders/contacts/{theirs.pk}/{suffix}").status_code == 404


def test_another_workspaces_contact_cannot_be_deleted(client_as, other_workspace):
    theirs = ContactFactory(workspace=other_workspace)

    assert client_as(Role.ADMIN).post(f"/stakeholders/contacts/{theirs.pk}/delete/").status_code == 404
    assert Contact.objects.filter(pk=theirs.pk).exists()


def test_the_directory_never_lists_another_workspaces_contacts_or_departments(client_as, workspace, other_workspace):
    ContactFactory(workspace=workspace, full_name="Our Person")
    ContactFactory(workspace=other_workspace, full_name="Their Person", department__name="Their Department")

    body = client_as(Role.ADMIN).get("/stakeholders/").content.decode()

    assert "Our Person" in body
    assert "Their Person" not in body and "Their Department" not in body


def test_a_contact_cannot_be_put_in_another_workspaces_department(client_as, workspace, other_workspace):
    theirs = ContactFactory(workspace=other_workspace).department

    response = client_as(Role.ADMIN).post(
        "/stakeholders/contacts/new/",
        {"full_name": "X", "department": theirs.pk, "influence": 2, "interest": 2, "preferred_channel": "email"},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Contact.objects.filter(workspace=workspace).exists()
