"""The workspace's two-factor policy: who must set it up before going on, and the settings form that sets it."""

import pytest

from accounts.models import TwoFactorPolicy, Workspace
from accounts.roles import Role

from .two_factor_helpers import enrol

PROFILE = "/accounts/profile/"


@pytest.fixture
def member_of(client, workspace):
    def log_in(role, policy):
        Workspace.objects.filter(pk=workspace.pk).update(two_factor_policy=policy)
        membership = workspace.memberships.model.objects.create(
            workspace=workspace, role=role, user=_user(f"{role}@example.test")
        )
        client.force_login(membership.user)
        return client

    return log_in


def _user(email):
    from accounts.tests.factories import UserFactory

    return UserFactory(email=email)


def test_a_new_workspace_requires_it_of_its_admins():
    assert Workspace(name="New").two_factor_policy == TwoFactorPolicy.ADMINS


@pytest.mark.parametrize("page", ["/", "/audit/", "/accounts/members/", "/accounts/password/change/", "/admin/"])
def test_an_admin_without_it_is_sent_to_the_profile_from_every_page(member_of, page):
    client = member_of(Role.ADMIN, TwoFactorPolicy.ADMINS)
    response = client.get(page)
    assert response["Location"] == PROFILE
    page = client.get(PROFILE).content.decode()
    assert "Acme asks its admins to use two-factor login. Set it up below to go on." in page
    assert 'data-testid="two-factor-required"' in page


def test_the_set_up_pages_logging_out_and_switching_workspace_stay_open(member_of, make_member, other_workspace):
    client = member_of(Role.ADMIN, TwoFactorPolicy.ADMINS)
    assert client.post("/accounts/profile/two-factor/start/")["Location"] == "/accounts/profile/two-factor/setup/"
    assert client.get("/accounts/profile/two-factor/setup/").status_code == 200
    user = client.get(PROFILE).context["user"]
    make_member(Role.ANALYST, ws=other_workspace, email=user.email)
    response = client.post("/accounts/workspace/switch/", {"workspace": other_workspace.pk})
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200  # the other workspace does not require it
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302 and client.get("/")["Location"].startswith("/accounts/login/")


def test_admins_only_leaves_the_rest_of_the_team_alone(member_of):
    assert member_of(Role.ANALYST, TwoFactorPolicy.ADMINS).get("/").status_code == 200


def test_every_member_includes_contributors(member_of):
    assert member_of(Role.CONTRIBUTOR, TwoFactorPolicy.EVERYONE).get("/ideas/")["Location"] == PROFILE


def test_nobody_requires_nothing(member_of):
    assert member_of(Role.ADMIN, TwoFactorPolicy.NOBODY).get("/").status_code == 200


def test_an_admin_who_set_it_up_and_logged_in_with_a_code_goes_anywhere(client, workspace, make_member):
    Workspace.objects.filter(pk=workspace.pk).update(two_factor_policy=TwoFactorPolicy.EVERYONE)
    user = make_member(Role.ADMIN).user
    _, codes = enrol(user)
    client.post("/accounts/login/", {"username": user.email, "password": "secret-pass-123"})
    assert client.post("/accounts/login/code/", {"code": codes[0]})["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.get("/accounts/members/").status_code == 200


def test_the_admin_sets_the_policy_in_the_workspace_settings(client_as, workspace):
    client = client_as(Role.ADMIN)
    assert 'name="two_factor_policy"' in client.get("/accounts/members/").content.decode()
    response = client.post(
        "/accounts/members/settings/",
        {"name": "Acme", "time_zone": "Europe/Paris", "two_factor_policy": TwoFactorPolicy.EVERYONE},
    )
    assert response["Location"] == "/accounts/members/"
    workspace.refresh_from_db()
    assert workspace.two_factor_policy == TwoFactorPolicy.EVERYONE
    # from the next page on, the admin who set it must set it up too
    assert client.get("/accounts/members/")["Location"] == PROFILE


def test_an_unknown_policy_is_a_field_error(client_as, workspace):
    client = client_as(Role.ADMIN)
    response = client.post(
        "/accounts/members/settings/",
        {"name": "Acme", "time_zone": "Europe/Paris", "two_factor_policy": "sometimes"},
    )
    assert response.status_code == 400
    assert set(response.context["settings_form"].errors) == {"two_factor_policy"}
    workspace.refresh_from_db()
    assert workspace.two_factor_policy == TwoFactorPolicy.NOBODY


def test_only_an_admin_may_change_the_policy(client_as, workspace):
    client = client_as(Role.STRATEGY_LEAD)
    response = client.post(
        "/accounts/members/settings/",
        {"name": "Acme", "time_zone": "Europe/Paris", "two_factor_policy": TwoFactorPolicy.NOBODY},
    )
    assert response.status_code == 403
