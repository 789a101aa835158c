import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from stakeholders.csv_io import contacts_export, contacts_import
from stakeholders.models import Contact, Department
from stakeholders.selectors import contacts_for_directory

from .factories import ContactFactory

pytestmark = pytest.mark.django_db

GOOD = (
    "name,job_title,email,phone,department,expectations,brings,can_bring,preferred_channel,influence,interest,tags,met\n"
    "Claire Fontaine,Head of video,claire@company.test,+33 1 23,Video,Behind the scenes,content;events,Shoots,email,high,high,photos;video,yes\n"
    "Hugo Marchand,Editor,hugo@company.test,,Video,,content,,chat,low,medium,video,no\n"
    "Inès Garnier,Sales director,,,Sales,,expertise,,in_person,3,2,,\n"
).encode()


def test_a_good_file_adds_every_contact_with_departments_and_tags(workspace):
    result = contacts_import(workspace=workspace, data=GOOD)

    assert result.ok, result.errors
    assert (result.created, result.updated) == (3, 0)
    claire = Contact.objects.get(workspace=workspace, email="claire@company.test")
    assert claire.department.name == "Video"
    assert (claire.influence, claire.interest, claire.is_met) == (3, 3, True)
    assert (claire.brings_content, claire.brings_events, claire.brings_expertise) == (True, True, False)
    assert sorted(t.name for t in claire.tags.all()) == ["photos", "video"]
    assert Contact.objects.get(full_name="Hugo Marchand").preferred_channel == "chat"
    assert set(Department.objects.filter(workspace=workspace).values_list("name", flat=True)) == {"Video", "Sales"}


def test_importing_the_same_file_twice_updates_instead_of_duplicating(workspace):
    contacts_import(workspace=workspace, data=GOOD)
    result = contacts_import(workspace=workspace, data=GOOD.replace(b"Head of video", b"Video director"))

    # Two rows carry an e-mail and match; the row without one is added again.
    assert (result.created, result.updated) == (1, 2)
    assert Contact.objects.get(email="claire@company.test").job_title == "Video director"


def test_a_broken_file_imports_nothing_and_names_each_bad_row(workspace):
    broken = (
        b"name,email,influence,met,brings\n"
        b"Good Person,good@company.test,high,yes,content\n"
        b",nobody@company.test,low,no,\n"
        b"Bad Mail,not-an-email,huge,maybe,cake\n"
        b"Twice,good@company.test,low,no,\n"
    )
    result = contacts_import(workspace=workspace, data=broken)

    assert not result.ok
    assert Contact.objects.filter(workspace=workspace).count() == 0
    text = "\n".join(result.errors)
    assert "Row 3, name: This field is required." in text
    assert "Row 4, email: Enter a valid email address." in text
    assert "Row 4, influence: use low, medium or high" in text
    assert "Row 4, met: use yes or no." in text
    assert "Row 4, brings: unknown cake" in text
    assert "Row 5, email: good@company.test is already on row 2." in text
    assert not any(e.startswith("Row 2") for e in result.errors)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfeN\x00a\x00", "not UTF-8"),
        (b"email,phone\nx@y.test,1\n", "missing: name"),
        (b"name,salary\nAnn,1\n", "Unknown column(s): salary"),
        (b"name,email\n", "no contacts"),
    ],
)
def test_a_file_that_is_not_a_contact_list_is_refused_with_a_clear_message(workspace, data, message):
    result = contacts_import(workspace=workspace, data=data)

    assert message in result.errors[0]
    assert not Contact.objects.exists()


def test_an_export_imports_back_unchanged_into_another_workspace(workspace, other_workspace):
    contacts_import(workspace=workspace, data=GOOD)
    ContactFactory(workspace=workspace, full_name="=HYPERLINK(1)", email="formula@company.test")
    out = io.StringIO()
    contacts_export(contacts=contacts_for_directory(workspace=workspace), out=out)

    assert "'=HYPERLINK(1)" in out.getvalue()  # never a live formula in a spreadsheet
    result = contacts_import(workspace=other_workspace, data=out.getvalue().encode())

    assert result.ok, result.errors
    copy = Contact.objects.get(workspace=other_workspace, email="claire@company.test")
    assert (copy.phone, copy.department.name, copy.is_met, copy.influence) == ("+33 1 23", "Video", True, 3)
    assert sorted(t.name for t in copy.tags.all()) == ["photos", "video"]
    assert Contact.objects.filter(workspace=other_workspace, full_name="=HYPERLINK(1)").exists()


def test_the_import_page_shows_row_errors_and_keeps_the_directory_as_it_was(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    upload = SimpleUploadedFile("contacts.csv", b"name,email\nAnn,bad\n", content_type="text/csv")

    response = client.post("/stakeholders/import/", {"file": upload})

    assert response.status_code == 200
    assert "Nothing was imported" in response.content.decode()
    assert "Row 2, email: Enter a valid email address." in response.content.decode()
    assert not Contact.objects.exists()


def test_the_import_page_imports_a_good_file_and_says_how_many(client_as, workspace):
    client = client_as(Role.COORDINATOR)
    upload = SimpleUploadedFile("contacts.csv", GOOD, content_type="text/csv")

    response = client.post("/stakeholders/import/", {"file": upload}, follow=True)

    assert "3 contacts added, 0 updated" in response.content.decode()
    assert Contact.objects.filter(workspace=workspace).count() == 3


def test_the_export_download_holds_only_this_workspaces_filtered_contacts(client_as, workspace, other_workspace):
    client = client_as(Role.ANALYST)
    ContactFactory(workspace=workspace, full_name="Met Person", is_met=True)
    ContactFactory(workspace=workspace, full_name="New Person", is_met=False)
    ContactFactory(workspace=other_workspace, full_name="Secret Person", is_met=False)

    response = client.get("/stakeholders/export.csv?met=no")

    body = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "New Person" in body
    assert "Met Person" not in body and "Secret Person" not in body


def test_a_semicolon_separated_file_from_a_european_spreadsheet_imports_too(workspace):
    result = contacts_import(workspace=workspace, data=b"name;email;tags\nAnn Dupont;ann@company.test;a\n")

    assert result.ok, result.errors
    assert Contact.objects.get(workspace=workspace).email == "ann@company.test"
