"""The role matrix on every audit page: edit for admin and strategy lead, read for the team and executives."""

import pytest

from accounts.roles import Role

from .factories import AccessGrantFactory

EDITORS = {Role.ADMIN, Role.STRATEGY_LEAD}
READERS = {Role.CONTENT_LEAD, Role.COMMUNITY_MANAGER, Role.ANALYST, Role.COORDINATOR, Role.EXECUTIVE}
READ_PAGES = [
    "/audit/",
    "/audit/accounts/",
    "/audit/access/",
    "/audit/tools/",
    "/audit/compare/",
    "/audit/export/accounts.csv",
    "/audit/export/access.csv",
]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("path", READ_PAGES)
def test_each_role_opens_the_audit_pages_only_if_the_matrix_allows(client_as, role, path):
    response = client_as(role).get(path)
    if role in EDITORS | READERS:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", list(Role))
def test_only_editors_open_the_import_and_edit_pages(client_as, workspace, role):
    client = client_as(role)
    grant = AccessGrantFactory(account__workspace=workspace)
    for path in (
        "/audit/import/",
        "/audit/settings/",
        f"/audit/accounts/{grant.account.pk}/",
        f"/audit/access/{grant.pk}/",
    ):
        assert client.get(path).status_code == (200 if role in EDITORS else 403)


@pytest.mark.parametrize("role", list(Role))
def test_only_editors_run_an_audit(client_as, workspace, role):
    from audits.models import AuditRun

    response = client_as(role).post("/audit/run/")
    assert response.status_code == (302 if role in EDITORS else 403)
    assert AuditRun.objects.filter(workspace=workspace).exists() == (role in EDITORS)


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/audit/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_readers_see_no_edit_controls(client_as):
    page = client_as(Role.EXECUTIVE).get("/audit/").content.decode()
    assert 'data-testid="run-audit"' not in page


@pytest.mark.parametrize("role", list(Role))
def test_only_editors_open_the_add_pages_and_only_they_see_the_add_buttons(client_as, role):
    client = client_as(role)
    for add, listing, testid in (
        ("/audit/accounts/add/", "/audit/accounts/", "account-form"),
        ("/audit/access/add/", "/audit/access/", "access-form"),
    ):
        response = client.get(add)
        assert response.status_code == (200 if role in EDITORS else 403)
        if role in EDITORS:
            assert f'data-testid="{testid}"' in response.content.decode()
        if role in EDITORS | READERS:
            page = client.get(listing).content.decode()
            # The list builds no form: its drop-downs (every member, every account) are on the add page only.
            assert "<select" not in page and testid not in page
            assert (f'href="{add}"' in page) == (role in EDITORS)


def test_an_account_added_on_its_own_page_lands_in_the_inventory(client_as, workspace):
    from audits.models import SocialAccount

    client = client_as(Role.ADMIN)
    response = client.post("/audit/accounts/add/", {"platform": "instagram", "handle": "brand.new", "status": "active"})
    assert response.status_code == 302 and response.url == "/audit/accounts/"
    assert SocialAccount.objects.filter(workspace=workspace, handle="brand.new").exists()
    refused = client.post("/audit/accounts/add/", {"platform": "instagram", "handle": "", "status": "active"})
    assert refused.status_code == 400 and "This field is required" in refused.content.decode()
