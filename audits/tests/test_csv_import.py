"""CSV import: a good file adds every row; a broken one adds nothing and names each bad line and column."""

import math

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from audits import csv_io
from audits.forms import AccessForm, AccountForm
from audits.models import AccessGrant, SocialAccount
from common import csv_import

from .factories import AccessGrantFactory, SocialAccountFactory

ACCOUNT_HEADER = "platform,handle,url,purpose,audience,owner_email,status,created_on,last_post_on\n"
ACCESS_HEADER = (
    "platform,handle,member_email,person_name,person_email,department,level,tool,two_factor,"
    "granted_on,last_reviewed_on,still_with_company\n"
)

GOOD_ACCOUNTS = (
    ACCOUNT_HEADER
    + """instagram,acme,,Launches,Customers,,active,2020-01-01,2026-11-01
x,acme_fr,https://x.com/acme_fr,News,Press,,dormant,,2021-03-04
"""
)

BROKEN_ACCOUNTS = (
    ACCOUNT_HEADER
    + """instagram,acme,,Launches,Customers,,active,2020-01-01,
facebook,acmepage,https://twitter.com/acme,,,,active,,
myspace,acme,,,,,active,,
x,acme_fr,,,,,active,04/03/2021,
instagram,ACME,,,,,active,,
"""
)


def upload(client, kind, text):
    content = text if isinstance(text, bytes) else text.encode()
    file = SimpleUploadedFile("rows.csv", content, content_type="text/csv")
    return client.post("/audit/import/", {"kind": kind, "file": file})


def uploaded(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("rows.csv", text.encode(), content_type="text/csv")


def test_a_good_accounts_file_is_imported_entirely(client_as, workspace):
    client = client_as(Role.ADMIN)
    response = upload(client, "accounts", GOOD_ACCOUNTS)
    assert response.status_code == 302
    assert sorted(SocialAccount.objects.filter(workspace=workspace).values_list("handle", flat=True)) == [
        "acme",
        "acme_fr",
    ]
    # The address is built from the handle, as the form builds it.
    assert SocialAccount.objects.get(handle="acme").url == "https://www.instagram.com/acme/"


def test_a_broken_accounts_file_imports_nothing_and_names_each_bad_line(client_as, workspace):
    client = client_as(Role.ADMIN)
    response = upload(client, "accounts", BROKEN_ACCOUNTS)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported." in page
    assert "Line 3, url: This address is not on Facebook: it should be on facebook.com." in page
    assert "Line 4, platform: Platform “myspace” is unknown" in page
    assert "Line 5, created_on: Created on “04/03/2021” is not a date" in page
    assert "Line 6, handle: @ACME on Instagram is already on line 2 of this file." in page
    assert "Line 2" not in page
    assert not SocialAccount.objects.exists()


def test_a_row_that_duplicates_the_inventory_is_named_with_its_line(workspace):
    SocialAccountFactory(workspace=workspace, platform="x", handle="Acme_FR")
    text = ACCOUNT_HEADER + "instagram,fine,,,,,,,\nx,acme_fr,,,,,,,\ninstagram,other,https://x.com/Acme_FR,,,,,,\n"
    result = csv_io.import_accounts(workspace=workspace, uploaded=uploaded(text))
    assert [str(p) for p in result.errors] == [
        "Line 3, handle: @acme_fr on X (Twitter) is already in the inventory.",
        "Line 4, url: This address is not on Instagram: it should be on instagram.com.",
    ]
    assert SocialAccount.objects.filter(workspace=workspace).count() == 1


def test_two_rows_with_one_address_are_refused_on_the_second(workspace):
    text = ACCOUNT_HEADER + "x,one,https://x.com/shared,,,,,,\nx,two,HTTPS://X.COM/shared,,,,,,\n"
    result = csv_io.import_accounts(workspace=workspace, uploaded=uploaded(text))
    assert [str(p) for p in result.errors] == ["Line 3, url: Line 2 of this file already has this address."]


def test_access_rows_name_their_account_and_holder(client_as, workspace, make_member):
    client = client_as(Role.ADMIN)
    member = make_member(Role.COMMUNITY_MANAGER, email="cm@acme.test").user
    SocialAccountFactory(workspace=workspace, platform="facebook", handle="AcmePage")
    text = (
        ACCESS_HEADER + "facebook,AcmePage,cm@acme.test,,,,admin,hootsuite,yes,2024-01-01,,yes\n"
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
        ACCESS_HEADER + "facebook,AcmePage,,Ann,ann@acme.test,,admin,native,yes,,,yes\n"
        "facebook,nopage,,Bob,bob@acme.test,,admin,native,yes,,,yes\n"
        "facebook,AcmePage,,Cid,cid@acme.test,,boss,native,maybe,,,yes\n"
    )
    page = upload(client, "access", text).content.decode()
    assert "Line 3, handle: No account @nopage on facebook" in page
    assert "Line 4, level: Level “boss” is unknown" in page
    assert not AccessGrant.objects.exists()


def test_the_same_holder_twice_is_refused_against_the_file_and_the_register(workspace, make_member):
    member = make_member(Role.ANALYST, email="an@acme.test").user
    account = SocialAccountFactory(workspace=workspace, platform="facebook", handle="AcmePage")
    AccessGrantFactory(account=account, person_name="Old", person_email="old@agency.test")
    text = (
        ACCESS_HEADER + "facebook,AcmePage,an@acme.test,,,,admin,,,,,\n"
        "facebook,AcmePage,,Zoe,zoe@agency.test,,editor,,,,,\n"
        "facebook,AcmePage,AN@acme.test,,,,editor,,,,,\n"
        "facebook,AcmePage,,Zoé,ZOE@agency.test,,editor,,,,,\n"
        "facebook,AcmePage,,Old,Old@Agency.test,,editor,,,,,\n"
    )
    result = csv_io.import_access(workspace=workspace, uploaded=uploaded(text))
    assert [str(p) for p in result.errors] == [
        f"Line 4, member_email: {member} already has access to @AcmePage on Facebook on line 2 of this file: edit that row.",
        "Line 5, person_email: zoe@agency.test already has access to @AcmePage on Facebook on line 3 of this file: edit that row.",
        "Line 6, person_email: old@agency.test already has access to @AcmePage on Facebook: edit that row.",
    ]
    assert AccessGrant.objects.count() == 1


def test_a_file_without_the_expected_header_is_explained(client_as):
    client = client_as(Role.ADMIN)
    page = upload(client, "accounts", "just,some,words\n1,2,3\n").content.decode()
    assert "missing: platform, handle" in page


def test_an_export_reimports_into_another_workspace(client_as, workspace, other_workspace):
    client = client_as(Role.ADMIN)
    upload(client, "accounts", GOOD_ACCOUNTS)
    SocialAccountFactory(workspace=workspace, platform="x", handle="formula", purpose='=HYPERLINK("http://evil")')
    exported = client.get("/audit/export/accounts.csv").content.decode()
    other = client_as(Role.ADMIN, ws=other_workspace)
    other.get("/")  # keeps the session on its first workspace; switch it explicitly
    other.post("/accounts/workspace/switch/", {"workspace": other_workspace.pk})
    assert upload(other, "accounts", exported).status_code == 302
    assert SocialAccount.objects.filter(workspace=other_workspace).count() == 3
    # The export's guard against formulas comes off on the way back in.
    assert SocialAccount.objects.get(workspace=other_workspace, handle="formula").purpose == '=HYPERLINK("http://evil")'


def test_exported_cells_cannot_run_as_spreadsheet_formulas(client_as, workspace):
    client = client_as(Role.ADMIN)
    SocialAccountFactory(workspace=workspace, purpose='=HYPERLINK("http://evil")')
    assert "'=HYPERLINK" in client.get("/audit/export/accounts.csv").content.decode()


def test_a_semicolon_separated_file_from_a_french_spreadsheet_is_read(workspace):
    text = "platform;handle;purpose\ninstagram;acme;Lancements, nouveautés\n"
    result = csv_io.import_accounts(workspace=workspace, uploaded=uploaded(text))
    assert result.ok and SocialAccount.objects.get().purpose == "Lancements, nouveautés"


# Bad input: control characters, files that are not text, too big, too many errors


@pytest.mark.parametrize(
    ("cell", "named"),
    [
        ("Laun\x00ches", "a NUL byte"),
        ("esc\x1bape", "the control character U+001B"),
        ("c1\x85c1", "the control character U+0085"),
    ],
)
def test_a_control_character_in_a_cell_is_a_row_error_naming_the_column(client_as, workspace, cell, named):
    client = client_as(Role.ADMIN)
    text = ACCOUNT_HEADER + f"instagram,acme,,{cell},Customers,,active,,\nx,fine,,,,,,,\n"
    response = upload(client, "accounts", text)
    page = response.content.decode()
    assert response.status_code == 400
    assert f"Line 2, purpose: holds {named}" in page
    assert "Line 3" not in page
    assert not SocialAccount.objects.exists()


def test_a_nul_byte_in_an_access_row_is_a_row_error_too(workspace):
    SocialAccountFactory(workspace=workspace, platform="facebook", handle="AcmePage")
    text = ACCESS_HEADER + "facebook,AcmePage,,Ann\x00,ann@acme.test,Mark\x00eting,admin,,,,,\n"
    result = csv_io.import_access(workspace=workspace, uploaded=uploaded(text))
    assert [(p.line, p.column) for p in result.errors] == [(2, "person_name"), (2, "department")]
    assert not AccessGrant.objects.exists()


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 4, "an Excel workbook"),
        ("platform,handle\ninstagram,acme\n".encode("utf-16"), "UTF-16 text"),
        (b"\x00\x01\x02\x03" * 300, "not a CSV file"),
        (b"platform,handle\ninstagram,\xe9t\xe9\n", "not UTF-8 text"),
    ],
)
def test_a_file_that_is_not_csv_text_is_refused_with_a_clear_message(client_as, content, says):
    client = client_as(Role.ADMIN)
    response = upload(client, "accounts", content)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported." in page
    assert "The file: " in page and says in page
    assert not SocialAccount.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(client_as):
    client = client_as(Role.ADMIN)
    row = b"instagram,acme,,Launches and news for our customers in France,Customers,,active,,\n"
    content = ACCOUNT_HEADER.encode() + row * (csv_import.MAX_UPLOAD_BYTES // len(row) + 1)
    response = upload(client, "accounts", content)
    assert response.status_code == 400
    assert f"import at most {csv_import.MAX_UPLOAD_MB} MB" in response.content.decode()
    assert not SocialAccount.objects.exists()


def test_more_rows_than_one_import_takes_is_refused_whole(workspace, monkeypatch):
    monkeypatch.setattr(csv_io, "MAX_ROWS", 5)
    text = ACCOUNT_HEADER + "".join(f"instagram,acme{n},,,,,,,\n" for n in range(6))
    result = csv_io.import_accounts(workspace=workspace, uploaded=uploaded(text))
    assert [str(p) for p in result.errors] == ["The file: It has more than 5 rows; import at most 5 at a time."]
    assert not SocialAccount.objects.exists()


def test_a_row_with_more_cells_than_columns_is_named(workspace):
    text = "platform,handle\ninstagram,acme\ninstagram,shifted,extra\n"
    result = csv_io.import_accounts(workspace=workspace, uploaded=uploaded(text))
    assert [str(p) for p in result.errors] == ["Line 3: has more cells than the first line names columns."]


def test_many_wrong_rows_are_all_counted_and_the_page_lists_the_first_hundred(client_as, workspace):
    client = client_as(Role.ADMIN)
    text = ACCOUNT_HEADER + "".join(f"myspace,acme{n},,,,,,,\n" for n in range(250))
    response = upload(client, "accounts", text)
    page = response.content.decode()
    assert "250 errors" in page
    assert page.count("<li>Line ") == csv_import.SHOWN_ERRORS
    assert "Line 101, platform" in page and "Line 102, platform" not in page
    assert "and 150 more" in page


# One rule set: the form and the import say the same thing about the same row


@pytest.mark.parametrize(
    ("platform", "handle", "url"),
    [
        ("x", "much_too_long_for_x", ""),
        ("instagram", "fine", "https://facebook.com/fine"),
        ("x", "taken", ""),
        ("instagram", "fine", "ftp://instagram.com/fine"),
    ],
)
def test_the_form_and_the_import_refuse_an_account_with_the_same_words(workspace, platform, handle, url):
    SocialAccountFactory(workspace=workspace, platform="x", handle="Taken")
    data = {"platform": platform, "handle": handle, "url": url, "status": "active"}
    # As the page saves it: the form's instance belongs to the workspace (the service sets it).
    form = AccountForm(data, instance=SocialAccount(workspace=workspace), workspace=workspace)
    assert not form.is_valid()
    text = ACCOUNT_HEADER + f"{platform},{handle},{url},,,,active,,\n"
    result = csv_io.import_accounts(workspace=workspace, uploaded=uploaded(text))
    assert sorted(p.message for p in result.errors) == sorted(m for ms in form.errors.values() for m in ms)


def test_the_form_and_the_import_refuse_an_access_row_with_the_same_words(workspace, make_member):
    account = SocialAccountFactory(workspace=workspace, platform="facebook", handle="AcmePage")
    AccessGrantFactory(account=account, person_email="ann@acme.test")
    cases = [{"person_name": "Ann", "person_email": "ANN@acme.test"}, {"person_name": "", "person_email": "x@y.test"}]
    for case in cases:
        data = {"account": account.pk, "level": "admin", "tool": "native", **case}
        form = AccessForm(data, instance=AccessGrant(workspace=workspace), workspace=workspace)
        assert not form.is_valid()
        text = ACCESS_HEADER + f"facebook,AcmePage,,{case['person_name']},{case['person_email']},,admin,,,,,\n"
        result = csv_io.import_access(workspace=workspace, uploaded=uploaded(text))
        assert [p.message for p in result.errors] == [m for ms in form.errors.values() for m in ms]


# Bulk: the query count does not grow with the file


def _queries(run) -> tuple[int, int]:
    """(reads and savepoints, INSERTs) that one import ran."""
    with CaptureQueriesContext(connection) as queries:
        result = run()
    assert result.ok, result.errors[:3]
    inserts = sum(q["sql"].startswith(("INSERT", "COPY")) for q in queries.captured_queries)
    return len(queries) - inserts, inserts


def _batches(model, rows: int) -> int:
    """Writes for `rows` rows: one COPY on PostgreSQL; on SQLite INSERTs of at most 999 parameters each."""
    if connection.vendor == "postgresql":
        return 1
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    batch = min(csv_io.BATCH_SIZE, connection.ops.bulk_batch_size(fields, [None] * rows))
    return math.ceil(rows / batch)


def test_an_accounts_file_of_many_rows_costs_the_same_reads_as_a_small_one(workspace, other_workspace):
    def accounts(ws, n):
        text = ACCOUNT_HEADER + "".join(f"instagram,acme{i},,Launches,,,active,2020-01-01,\n" for i in range(n))
        return lambda: csv_io.import_accounts(workspace=ws, uploaded=uploaded(text))

    (small_reads, small_inserts), (reads, inserts) = (
        _queries(accounts(workspace, 10)),
        _queries(accounts(other_workspace, 3000)),
    )
    assert reads == small_reads <= 6
    assert (small_inserts, inserts) == (1, _batches(SocialAccount, 3000))
    assert SocialAccount.objects.filter(workspace=other_workspace).count() == 3000


def test_an_access_file_of_many_rows_costs_the_same_reads_as_a_small_one(workspace, make_member):
    make_member(Role.ANALYST, email="an@acme.test")
    SocialAccount.objects.bulk_create(
        (SocialAccount(workspace=workspace, platform="instagram", handle=f"acme{i}") for i in range(3000)),
        batch_size=500,
    )

    def access(first, n):
        text = ACCESS_HEADER + "".join(
            f"instagram,acme{i},{'an@acme.test' if i % 2 else ''},P{i},p{i}@x.test,,editor,,yes,,,\n"
            for i in range(first, first + n)
        )
        return lambda: csv_io.import_access(workspace=workspace, uploaded=uploaded(text))

    (small_reads, small_inserts), (reads, inserts) = _queries(access(0, 10)), _queries(access(10, 2500))
    assert reads == small_reads <= 6
    assert (small_inserts, inserts) == (1, _batches(AccessGrant, 2500))
    assert AccessGrant.objects.filter(workspace=workspace).count() == 2510


def test_cells_with_tabs_line_breaks_and_backslashes_are_written_as_they_were(workspace, make_member):
    owner = make_member(Role.ANALYST, email="an@acme.test").user
    text = (
        ACCOUNT_HEADER + 'instagram,acme,,"Launches\nand\tnews","C:\\\\audience\\N",an@acme.test,dormant,2020-01-31,\n'
        "x,empty,,,,,,,\n"
    )
    assert csv_io.import_accounts(workspace=workspace, uploaded=uploaded(text)).ok
    full, empty = SocialAccount.objects.get(handle="acme"), SocialAccount.objects.get(handle="empty")
    assert (full.purpose, full.audience, full.owner, full.status) == (
        "Launches\nand\tnews",
        "C:\\\\audience\\N",
        owner,
        "dormant",
    )
    assert (full.created_on.isoformat(), full.last_post_on, full.created_at is not None) == ("2020-01-31", None, True)
    assert (empty.purpose, empty.owner_id, empty.url) == ("", None, "https://x.com/empty")
    text = ACCESS_HEADER + "x,empty,,Ann,ann@acme.test,,admin,,yes,,,no\n"
    assert csv_io.import_access(workspace=workspace, uploaded=uploaded(text)).ok
    grant = AccessGrant.objects.get()
    assert (grant.two_factor, grant.still_with_company, grant.member_id, grant.granted_on) == (True, False, None, None)
