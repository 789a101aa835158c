"""The inventory refuses what cannot be right; the access register stamps reviews; nothing crosses workspaces."""

from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.roles import Role
from audits.models import AccessGrant, SocialAccount
from audits.services import account_save

from .factories import AccessGrantFactory, SocialAccountFactory


@pytest.mark.parametrize(
    ("platform", "handle", "url"),
    [
        ("x", "a-handle-with-dash", ""),
        ("x", "much_too_long_for_x_1", ""),
        ("facebook", "acme", "https://www.instagram.com/acme/"),
        ("instagram", "acme", "https://twitter.com/acme"),
        ("linkedin", "acme corp", ""),
    ],
)
def test_a_handle_or_url_that_does_not_fit_the_platform_is_refused(workspace, platform, handle, url):
    with pytest.raises(ValidationError):
        account_save(workspace=workspace, platform=platform, handle=handle, url=url)
    assert not SocialAccount.objects.exists()


def test_a_valid_account_gets_its_address_built_from_the_handle(workspace):
    account = account_save(workspace=workspace, platform="x", handle="@Acme_FR")
    assert (account.handle, account.url) == ("Acme_FR", "https://x.com/Acme_FR")


def test_a_duplicate_account_is_refused_with_a_clear_message_on_the_page(client_as, workspace):
    client = client_as(Role.ADMIN)
    account_save(workspace=workspace, platform="instagram", handle="acme")
    response = client.post("/audit/accounts/", {"platform": "instagram", "handle": "ACME", "status": "active"})
    assert response.status_code == 400
    assert "@ACME on Instagram is already in the inventory." in response.content.decode()
    assert SocialAccount.objects.count() == 1


def test_the_same_handle_may_exist_in_another_workspace(workspace, other_workspace):
    account_save(workspace=other_workspace, platform="instagram", handle="acme")
    assert account_save(workspace=workspace, platform="instagram", handle="acme").pk


def test_an_editor_adds_an_account_from_the_inventory_page(client_as, workspace):
    client = client_as(Role.STRATEGY_LEAD)
    response = client.post(
        "/audit/accounts/", {"platform": "facebook", "handle": "AcmeOfficial", "status": "active", "audience": "All"}
    )
    assert response.status_code == 302
    assert SocialAccount.objects.get(workspace=workspace).url == "https://www.facebook.com/AcmeOfficial"


def test_a_reader_cannot_post_to_the_inventory(client_as):
    client = client_as(Role.ANALYST)
    response = client.post("/audit/accounts/", {"platform": "x", "handle": "acme", "status": "active"})
    assert response.status_code == 403
    assert not SocialAccount.objects.exists()


def test_the_inventory_shows_no_data_yet_without_a_tracked_profile(client_as, workspace):
    client = client_as(Role.ANALYST)
    SocialAccountFactory(workspace=workspace, handle="acme")
    assert "no data yet" in client.get("/audit/accounts/").content.decode()


def test_the_inventory_shows_the_tracked_profile_figures(client_as, workspace):
    from metrics.models import DailySnapshot, TrackedProfile
    from metrics.rollup import rollup_profile

    client = client_as(Role.ANALYST)
    profile = TrackedProfile.objects.create(workspace=workspace, platform="instagram", handle="acme")
    DailySnapshot.objects.create(profile=profile, date=timezone.localdate(), followers=12345)
    rollup_profile(profile)
    SocialAccountFactory(workspace=workspace, handle="acme", tracked_profile=profile)
    page = client.get("/audit/accounts/").content.decode()
    assert "12,345" in page and "no data yet" not in page


def test_an_access_needs_a_member_or_a_named_person_with_email(client_as, workspace):
    client = client_as(Role.ADMIN)
    account = SocialAccountFactory(workspace=workspace)
    response = client.post("/audit/access/", {"account": account.pk, "level": "admin", "tool": "native"})
    assert response.status_code == 400
    assert "give the person&#x27;s name and e-mail" in response.content.decode()
    assert not AccessGrant.objects.exists()


def test_the_review_action_stamps_todays_date(client_as, workspace):
    client = client_as(Role.ADMIN)
    grant = AccessGrantFactory(account__workspace=workspace, last_reviewed_on=None)
    assert client.post(f"/audit/access/{grant.pk}/review/").status_code == 302
    grant.refresh_from_db()
    assert grant.last_reviewed_on == timezone.localdate(timezone=ZoneInfo(workspace.time_zone))  # its day, there
    assert grant.last_reviewed_by == client.membership.user


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/audit/accounts/{account}/"),
        ("post", "/audit/accounts/{account}/delete/"),
        ("get", "/audit/access/{grant}/"),
        ("post", "/audit/access/{grant}/review/"),
        ("post", "/audit/access/{grant}/delete/"),
    ],
)
def test_rows_of_another_workspace_answer_404(client_as, other_workspace, method, path):
    client = client_as(Role.ADMIN)
    grant = AccessGrantFactory(account__workspace=other_workspace, last_reviewed_on=None)
    response = getattr(client, method)(path.format(account=grant.account.pk, grant=grant.pk))
    assert response.status_code == 404
    grant.refresh_from_db()
    assert grant.last_reviewed_on is None


def test_pages_never_list_another_workspaces_accounts_or_people(client_as, other_workspace):
    client = client_as(Role.ADMIN)
    AccessGrantFactory(account__workspace=other_workspace, account__handle="secretbrand", person_name="Hidden Person")
    for path in ("/audit/", "/audit/accounts/", "/audit/access/"):
        page = client.get(path).content.decode()
        assert "secretbrand" not in page and "Hidden Person" not in page


def test_an_editor_records_a_new_access_from_the_register_page(client_as, make_member, workspace):
    client = client_as(Role.ADMIN)
    account = SocialAccountFactory(workspace=workspace)
    holder = make_member(Role.CONTENT_LEAD).user
    response = client.post(
        "/audit/access/", {"account": account.pk, "member": holder.pk, "level": "editor", "tool": "native"}
    )
    assert response.status_code == 302
    grant = AccessGrant.objects.get()
    assert (grant.workspace, grant.account, grant.member, grant.level) == (workspace, account, holder, "editor")


def test_a_named_person_is_recorded_from_the_register_page(client_as, workspace):
    client = client_as(Role.ADMIN)
    account = SocialAccountFactory(workspace=workspace)
    response = client.post(
        "/audit/access/",
        {"account": account.pk, "person_name": "Ana Agency", "person_email": "Ana@Agency.test", "level": "admin"}
        | {"tool": "hootsuite"},
    )
    assert response.status_code == 302
    assert AccessGrant.objects.get(workspace=workspace).person_email == "ana@agency.test"


def test_an_account_of_another_workspace_is_still_refused_on_the_register_page(client_as, other_workspace):
    client = client_as(Role.ADMIN)
    theirs = SocialAccountFactory(workspace=other_workspace)
    response = client.post(
        "/audit/access/",
        {"account": theirs.pk, "person_name": "Ana", "person_email": "ana@agency.test", "level": "admin"}
        | {"tool": "native"},
    )
    assert response.status_code == 400
    assert not AccessGrant.objects.exists()


def test_the_access_rule_refuses_an_account_of_another_workspace(workspace, other_workspace):
    from audits.services import access_save

    theirs = SocialAccountFactory(workspace=other_workspace)
    with pytest.raises(ValidationError, match="Choose an account of this workspace"):
        access_save(
            workspace=workspace, account=theirs, person_name="Ana", person_email="ana@agency.test", level="admin"
        )
    assert not AccessGrant.objects.exists()


def test_an_account_is_added_with_a_profile_tracked_in_this_workspace(client_as, workspace):
    from metrics.tests.factories import TrackedProfileFactory

    client = client_as(Role.ADMIN)
    profile = TrackedProfileFactory(workspace=workspace, platform="instagram", is_own=True)
    response = client.post(
        "/audit/accounts/",
        {"platform": "instagram", "handle": "acme_shop", "status": "active", "tracked_profile": profile.pk},
    )
    assert response.status_code == 302
    assert SocialAccount.objects.get(workspace=workspace).tracked_profile == profile
