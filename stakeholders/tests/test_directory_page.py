"""The directory page as people read it: rows, badges, links, departments and pages."""

import re

import pytest

from accounts.roles import Role
from stakeholders import services
from stakeholders.models import Level
from stakeholders.views import PAGE_SIZE

from .factories import ContactFactory, DepartmentFactory

pytestmark = pytest.mark.django_db


def rows(body: str) -> list[str]:
    return re.findall(r'<tr data-testid="contact-row">(.*?)</tr>', body, re.S)


def test_a_row_shows_the_contact_with_tags_department_badges_and_links(client_as, workspace):
    video = DepartmentFactory(workspace=workspace, name="Video")
    claire = services.contact_create(
        workspace=workspace,
        full_name="Claire Fontaine",
        job_title="Head of video",
        department=video,
        influence=Level.HIGH,
        interest=Level.LOW,
        brings_content=True,
        brings_events=True,
        tag_names=["spokesperson", "photos"],
    )

    [row] = rows(client_as(Role.ADMIN).get("/stakeholders/").content.decode())

    assert f'href="/stakeholders/contacts/{claire.pk}/"' in row
    assert f'href="/stakeholders/contacts/{claire.pk}/vcard/"' in row
    assert "Head of video" in row and "<td>Video</td>" in row
    assert row.index(">photos<") < row.index(">spokesperson<")
    assert "content, events" in row
    assert ">high</span>" in row and ">low</span>" in row
    assert "not met" in row


def test_departments_list_by_name_with_met_and_contact_counts(client_as, workspace):
    sales = DepartmentFactory(workspace=workspace, name="Sales")
    DepartmentFactory(workspace=workspace, name="Events")
    ContactFactory(workspace=workspace, department=sales, is_met=True)
    ContactFactory(workspace=workspace, department=sales, is_met=False)

    body = client_as(Role.ADMIN).get("/stakeholders/").content.decode()
    sidebar = body[body.index('data-testid="departments"') :]

    assert sidebar.index(">Events<") < sidebar.index(">Sales<")
    assert re.search(r">Sales</a>\s*<span[^>]*>1/2</span>", sidebar)
    assert re.search(r">Events</a>\s*<span[^>]*>0/0</span>", sidebar)


def test_the_whole_directory_pages_through_every_contact(client_as, workspace):
    for n in range(PAGE_SIZE + 3):
        ContactFactory(workspace=workspace, full_name=f"Person {n:03d}")
    client = client_as(Role.ADMIN)

    first = client.get("/stakeholders/").content.decode()
    second = client.get("/stakeholders/", {"page": 2}).content.decode()

    assert len(rows(first)) == PAGE_SIZE and len(rows(second)) == 3
    assert "Page 1 of 2" in first and "page=2" in first
    assert "Person 000" in first and f"Person {PAGE_SIZE + 2:03d}" in second


def test_a_filtered_directory_counts_and_pages_its_matches(client_as, workspace):
    for n in range(PAGE_SIZE + 1):
        ContactFactory(workspace=workspace, full_name=f"Person {n:03d}", is_met=True)
    ContactFactory(workspace=workspace, full_name="Someone else", is_met=False)

    body = client_as(Role.ADMIN).get("/stakeholders/", {"met": "yes"}).content.decode()

    assert f"{PAGE_SIZE + 1} matching contacts" in body
    assert "Page 1 of 2" in body and "?met=yes&amp;page=2" in body
    assert "Someone else" not in body
