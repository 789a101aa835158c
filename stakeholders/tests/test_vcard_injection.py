"""A phone number cannot add lines to a vCard: refused by the form and the import, and escaped on the way out."""

import pytest

from accounts.roles import Role
from stakeholders.csv_io import contacts_import
from stakeholders.models import Contact
from stakeholders.tests.factories import ContactFactory

from .test_vcard import parse_vcard

pytestmark = pytest.mark.django_db

INJECTION = "+33 1\r\nEMAIL:evil@evil.example"


def _new_contact(client, phone):
    return client.post(
        "/stakeholders/contacts/new/",
        {"full_name": "Inès Garnier", "phone": phone, "preferred_channel": "email", "influence": 2, "interest": 2},
    )


def test_the_contact_form_refuses_a_phone_with_a_line_break(client_as, workspace):
    response = _new_contact(client_as(Role.ADMIN), INJECTION)
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert not Contact.objects.filter(workspace=workspace).exists()


@pytest.mark.parametrize("phone", ["+33 1 23 45 67 89", "(555) 123-4567 ext. 12", "+1.555.123.4567 x9", "0123"])
def test_the_contact_form_takes_the_phones_people_write(client_as, workspace, phone):
    response = _new_contact(client_as(Role.ADMIN), phone)
    assert response.status_code == 302, response.context["form"].errors
    assert Contact.objects.get(workspace=workspace).phone == phone


@pytest.mark.parametrize("phone", ["+33 1; TYPE=evil", "call me", "+33\n1", "--"])
def test_the_contact_form_refuses_what_is_not_a_phone(client_as, workspace, phone):
    assert "phone" in _new_contact(client_as(Role.ADMIN), phone).context["form"].errors


def test_the_import_refuses_the_row_with_a_line_break_in_the_phone(workspace):
    data = ('name,phone\n"Inès Garnier","' + INJECTION + '"\n').encode()
    result = contacts_import(workspace=workspace, data=data)
    assert not result.ok
    assert any(error.startswith("Row 2, phone:") for error in result.errors), result.errors
    assert not Contact.objects.filter(workspace=workspace).exists()


def test_a_stored_phone_with_a_line_break_still_exports_one_tel_line_and_no_email(client_as, workspace):
    client = client_as(Role.ANALYST)
    contact = ContactFactory(workspace=workspace, full_name="Inès Garnier", email="")
    Contact.objects.filter(pk=contact.pk).update(phone=INJECTION)  # as if written before the check existed

    text = client.get(f"/stakeholders/contacts/{contact.pk}/vcard/").content.decode()

    card = parse_vcard(text)
    assert "EMAIL" not in card
    assert card["TEL"] == [("VALUE=uri;TYPE=work,voice", "tel:+331")]
    assert "evil" not in text


def test_a_stored_email_with_a_line_break_stays_one_property(client_as, workspace):
    client = client_as(Role.ANALYST)
    contact = ContactFactory(workspace=workspace, full_name="Inès Garnier")
    Contact.objects.filter(pk=contact.pk).update(email="a@b.test\r\nTEL:+999")

    card = parse_vcard(client.get(f"/stakeholders/contacts/{contact.pk}/vcard/").content.decode())
    assert len(card["EMAIL"]) == 1
    assert "TEL" not in card


def test_an_extension_becomes_the_tel_uris_ext_parameter(client_as, workspace):
    client = client_as(Role.ANALYST)
    contact = ContactFactory(workspace=workspace, phone="+33 1 23 45 67 89 ext. 12")
    card = parse_vcard(client.get(f"/stakeholders/contacts/{contact.pk}/vcard/").content.decode())
    assert card["TEL"][0][1] == "tel:+33123456789;ext=12"
