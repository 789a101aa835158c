import pytest
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import MembershipFactory


@pytest.mark.django_db
def test_member_of_two_workspaces_switches_between_them(client, workspace, other_workspace):
    first = MembershipFactory(workspace=workspace, role=Role.ADMIN)
    MembershipFactory(user=first.user, workspace=other_workspace, role=Role.EXECUTIVE)
    client.force_login(first.user)

    assert client.get("/").context["workspace"] == workspace
    response = client.post(reverse("accounts:workspace_switch"), {"workspace": other_workspace.pk})
    assert response.status_code == 302
    home = client.get("/")
    assert home.context["workspace"] == other_workspace
    assert b'data-testid="home-executive"' in home.content


@pytest.mark.django_db
def test_cannot_switch_into_a_workspace_one_does_not_belong_to(client, make_member, other_workspace):
    membership = make_member(Role.ADMIN)
    client.force_login(membership.user)
    response = client.post(reverse("accounts:workspace_switch"), {"workspace": other_workspace.pk})
    assert response.status_code == 404
    assert client.get("/").context["workspace"] == membership.workspace


@pytest.mark.django_db
def test_user_without_workspace_is_told_how_to_get_one(client):
    from accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:no_workspace")
    assert b"invite" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "marker"),
    [
        (Role.ADMIN, b"home-team"),
        (Role.ANALYST, b"home-team"),
        (Role.CONTRIBUTOR, b"home-contributor"),
        (Role.EXECUTIVE, b"home-executive"),
    ],
)
def test_each_role_lands_on_its_own_home(client_as, role, marker):
    response = client_as(role).get("/")
    assert response.status_code == 200
    assert marker in response.content


@pytest.mark.django_db
def test_forbidden_page_answers_403_in_the_apps_look(client_as):
    response = client_as(Role.CONTRIBUTOR).get(reverse("accounts:members"))
    assert response.status_code == 403
    assert b'data-testid="error-403"' in response.content
    assert b"main-nav" in response.content  # the app's layout, not a bare error


@pytest.mark.django_db
def test_unknown_page_answers_404_in_the_apps_look(client_as):
    response = client_as(Role.ADMIN).get("/no/such/page/")
    assert response.status_code == 404
    assert b'data-testid="error-404"' in response.content


def test_server_error_page_renders_without_a_database():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert 'data-testid="error-500"' in html


@pytest.mark.django_db
def test_the_switcher_lists_every_workspace_of_the_member_from_the_one_membership_query(
    client, workspace, other_workspace
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = MembershipFactory(workspace=workspace, role=Role.ADMIN)
    MembershipFactory(user=first.user, workspace=other_workspace, role=Role.EXECUTIVE)
    client.force_login(first.user)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("stakeholders:directory")).content.decode()
    menu = page[page.index("Switch workspace") :]
    assert menu.index("Acme") < menu.index("Other Brand")  # by name
    assert "Admin</small>" in menu and "Executive</small>" in menu
    assert len([q for q in queries.captured_queries if 'FROM "accounts_membership"' in q["sql"]]) == 1
