"""CSV import: a good file adds every row; a broken one adds nothing and names each bad line."""

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from audits.models import AccessGrant, SocialAccount

from .factories import SocialAccountFactory

GOOD_ACCOUNTS = """platform,handle,url,purpose,audience,owner_email,status,created_on,last_post_on
instagram,acme,,Launches,Customers,,active,2020-01-01,2026-11-01
x,acme_fr,https://x.com/acme_fr,News,Press,,dormant,,2021-03-04
"""

BROKEN_ACCOUNTS = """platform,handle,url,purpose,audience,owner_email,status,created_on,last_post_on
instagram,acme,,Launches,Customers,,active,2020-01-01,
facebook,acmepage,https://twitter.com/acme,,,,active,,
myspace,acme,,,,,active,,
x,acme_fr,,,,,active,04/03/2021,
instagram,ACME,,,,,active,,
"""


def upload(client, kind, text):
    file = SimpleUploadedFile("rows.csv", text.encode(), content_type="text/csv")
    return client.post("/audit/import/", {"kind": kind, "file": file})


def test_a_good_accounts_file_is_imported_entirely(client_as, workspace):
    client = client_as(Role.ADMIN)
    response = upload(client, "accounts", GOOD_ACCOUNTS)
    assert response.status_code == 302
    assert sorted(SocialAccount.objects.filter(workspace=workspace).values_list("handle", flat=True)) == [
        "acme",
        "acme_fr",
    ]


def test_a_broken_accounts_file_imports_nothing_and_names_each_bad_line(client_as, workspace):
    client = client_as(Role.ADMIN)
    response = upload(client, "accounts", BROKEN_ACCOUNTS)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported." in page
    assert "Line 3: This address is not on Facebook: it should be on facebook.com." in page
    assert "Line 4: Platform “myspace” is unknown" in page
    assert "Line 5: Created on “04/03/2021” is not a date" in page
    assert "Line 6: @ACME on Instagram is already in the inventory." in page
    assert "Line 2" not in page
    assert not SocialAccount.objects.exists()


def test_access_rows_name_their_account_and_holder(client_as, workspace, make_member):
    client = client_as(Role.ADMIN)
    member = make_member(Role.COMMUNITY_MANAGER, email="cm@acme.test").user
    SocialAccountFactory(workspace=workspace, platform="facebook", handle="AcmePage")
    text = (
        "platform,handle,member_email,person_name,person_email,department,level,tool,two_factor,granted_on,last_reviewed_on,still_with_company\n"
        "facebook,AcmePage,cm@acme.test,,,,admin,hootsuite,yes,2024-01-01,,yes\n"
        "facebook,acmepage,,Léa Fontaine,lea@acme.test,Marketing,admin,native,no,2022-06-01,,no\n"
    )
    assert upload(client, "access", text).status_code == 302
    grants = {g.holder_name: g for g in AccessGrant.objects.filter(workspace=workspace)}
    assert grants[str(member)].two_factor is True
    assert grants["Léa Fontaine"].still_with_company is False


def test_a_broken_access_file_imports_nothing(client_as, workspace):
    client = client_as(Role.ADMIN)
    SocialAccountFactory(workspace=workspace, platform="facebook", handle="AcmePage")
    text = (
        "platform,handle,member_email,person_name,person_email,department,level,tool,two_factor,granted_on,last_reviewed_on,still_with_company\n"
        "facebook,AcmePage,,Ann,ann@acme.test,,admin,native,yes,,,yes\n"
        "facebook,nopage,,Bob,bob@acme.test,,admin,native,yes,,,yes\n"
        "facebook,AcmePage,,Cid,cid@acme.test,,boss,native,maybe,,,yes\n"
    )
    page = upload(client, "access", text).content.decode()
    assert "Line 3: No account @nopage on facebook" in page
    assert "Line 4: Level “boss” is unknown" in page
    assert not AccessGrant.objects.exists()


def test_a_file_without_the_expected_header_is_explained(client_as):
    client = client_as(Role.ADMIN)
    page = upload(client, "accounts", "just,some,words\n1,2,3\n").content.decode()
    assert "missing: platform, handle" in page


def test_an_export_reimports_into_another_workspace(client_as, workspace, other_workspace):
    client = client_as(Role.ADMIN)
    upload(client, "accounts", GOOD_ACCOUNTS)
    exported = client.get("/audit/export/accounts.csv").content.decode()
    other = client_as(Role.ADMIN, ws=other_workspace)
    other.get("/")  # keeps the session on its first workspace; switch it explicitly
    other.post("/accounts/workspace/switch/", {"workspace": other_workspace.pk})
    assert upload(other, "accounts", exported).status_code == 302
    assert SocialAccount.objects.filter(workspace=other_workspace).count() == 2


def test_exported_cells_cannot_run_as_spreadsheet_formulas(client_as, workspace):
    client = client_as(Role.ADMIN)
    SocialAccountFactory(workspace=workspace, purpose='=HYPERLINK("http://evil")')
    assert "'=HYPERLINK" in client.get("/audit/export/accounts.csv").content.decode()


def test_a_file_that_is_not_csv_text_is_refused_without_an_error_page(client_as):
    client = client_as(Role.ADMIN)
    for content in (b"\xff\xfe\x00binary", b"platform,handle\ninstagram,ac\x00me\n"):
        file = SimpleUploadedFile("rows.csv", content, content_type="text/csv")
        response = client.post("/audit/import/", {"kind": "accounts", "file": file})
        assert response.status_code == 400
        assert "Nothing was imported." in response.content.decode()
    assert not SocialAccount.objects.exists()
