import pytest

from accounts.roles import Role
from stakeholders import services

from .factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def parse_vcard(text: str) -> dict[str, list[tuple[str, str]]]:
    """A small RFC 6350 reader: unfold lines, split name;params:value, unescape text values."""
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")  # CRLF only
    unfolded = text.replace("\r\n ", "").replace("\r\n\t", "")
    props: dict[str, list[tuple[str, str]]] = {}
    for line in unfolded.split("\r\n"):
        if not line:
            continue
        head, _, value = line.partition(":")
        name, *params = head.split(";")
        props.setdefault(name.upper(), []).append((";".join(params), value))
    return props


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            nxt = next(chars)
            out.append("\n" if nxt in "nN" else nxt)
        else:
            out.append(char)
    return "".join(out)


def split_unescaped(value: str, sep: str) -> list[str]:
    parts, current, chars = [], "", iter(value)
    for char in chars:
        if char == "\\":
            current += char + next(chars)
        elif char == sep:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def test_a_contact_downloads_as_a_vcard_that_parses_back(client_as, workspace):
    client = client_as(Role.ANALYST)
    contact = services.contact_create(
        workspace=workspace,
        full_name="Inès Garnier",
        job_title="Sales director, Europe; key accounts",
        department=DepartmentFactory(workspace=workspace, name="Sales"),
        email="ines@company.test",
        phone="+33 1 23 45 67 89",
        expectations="Leads from LinkedIn.\nAnd client stories, " + "long text " * 20,
        tag_names=["spokesperson", "linkedin"],
    )

    response = client.get(f"/stakeholders/contacts/{contact.pk}/vcard/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ines-garnier.vcf"'
    raw = response.content
    text = raw.decode("utf-8")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    card = parse_vcard(text)
    assert card["BEGIN"] == [("", "VCARD")] and card["END"] == [("", "VCARD")]
    assert card["VERSION"] == [("", "4.0")]
    assert unescape(card["FN"][0][1]) == "Inès Garnier"
    assert [unescape(p) for p in split_unescaped(card["N"][0][1], ";")][:2] == ["Garnier", "Inès"]
    assert unescape(card["TITLE"][0][1]) == "Sales director, Europe; key accounts"
    assert [unescape(p) for p in split_unescaped(card["ORG"][0][1], ";")] == [workspace.name, "Sales"]
    assert card["EMAIL"][0][1] == "ines@company.test"
    assert card["TEL"][0][1] == "tel:+33123456789"
    assert sorted(unescape(p) for p in split_unescaped(card["CATEGORIES"][0][1], ",")) == ["linkedin", "spokesperson"]
    assert "Leads from LinkedIn.\nAnd client stories" in unescape(card["NOTE"][0][1])


def test_another_workspaces_contact_has_no_vcard(client_as, other_workspace):
    client = client_as(Role.ADMIN)
    theirs = services.contact_create(workspace=other_workspace, full_name="Secret")

    assert client.get(f"/stakeholders/contacts/{theirs.pk}/vcard/").status_code == 404
