import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from stakeholders import services
from stakeholders.models import Level
from stakeholders.selectors import ContactFilters, contacts_for_directory

from .factories import ContactFactory, DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(workspace):
    video = DepartmentFactory(workspace=workspace, name="Video")
    sales = DepartmentFactory(workspace=workspace, name="Sales")
    claire = services.contact_create(
        workspace=workspace,
        full_name="Claire Fontaine",
        job_title="Head of video",
        department=video,
        influence=Level.HIGH,
        interest=Level.HIGH,
        is_met=True,
        brings_content=True,
        tag_names=["photos"],
    )
    ines = services.contact_create(
        workspace=workspace,
        full_name="Inès Garnier",
        job_title="Sales director",
        department=sales,
        influence=Level.HIGH,
        interest=Level.LOW,
        brings_events=True,
        tag_names=["spokesperson"],
    )
    karim = services.contact_create(
        workspace=workspace, full_name="Karim Benali", job_title="Support lead", department=None, influence=Level.LOW
    )
    return {"claire": claire, "ines": ines, "karim": karim, "video": video}


def names(workspace, **filters):
    return sorted(c.full_name for c in contacts_for_directory(workspace=workspace, filters=ContactFilters(**filters)))


def test_search_matches_name_job_department_and_tag_words(workspace, people):
    assert names(workspace, q="claire") == ["Claire Fontaine"]
    assert names(workspace, q="director") == ["Inès Garnier"]
    assert names(workspace, q="sales") == ["Inès Garnier"]
    assert names(workspace, q="SPOKES") == ["Inès Garnier"]
    assert names(workspace, q="head video") == ["Claire Fontaine"]
    assert names(workspace, q="nobody-like-this") == []


def test_filters_narrow_by_department_tag_met_influence_interest_and_what_they_bring(workspace, people):
    assert names(workspace, department=people["video"].pk) == ["Claire Fontaine"]
    assert names(workspace, tag="photos") == ["Claire Fontaine"]
    assert names(workspace, met=False) == ["Inès Garnier", "Karim Benali"]
    assert names(workspace, met=True) == ["Claire Fontaine"]
    assert names(workspace, influence=Level.HIGH) == ["Claire Fontaine", "Inès Garnier"]
    assert names(workspace, influence=Level.HIGH, interest=Level.LOW) == ["Inès Garnier"]
    assert names(workspace, brings="events") == ["Inès Garnier"]


def test_search_never_finds_another_workspaces_contacts(workspace, other_workspace, people):
    ContactFactory(workspace=other_workspace, full_name="Claire Other")

    assert names(workspace, q="claire") == ["Claire Fontaine"]


def test_the_directory_page_searches_through_the_query_string(client_as, workspace, people):
    client = client_as(Role.ANALYST)

    response = client.get("/stakeholders/", {"q": "garnier", "met": "no"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "Inès Garnier" in body and "Claire Fontaine" not in body
    assert "1 matching contact" in body


def test_a_search_with_no_match_says_so_instead_of_an_empty_table(client_as, workspace, people):
    response = client_as(Role.ADMIN).get("/stakeholders/", {"q": "zzz"})

    assert "No contact matches these filters" in response.content.decode()


def test_nonsense_filter_values_show_the_directory_instead_of_an_error(client_as, workspace, people):
    response = client_as(Role.ADMIN).get("/stakeholders/", {"influence": "x", "department": "999999", "page": "z"})

    assert response.status_code == 200


def test_the_directory_runs_the_same_number_of_queries_for_3_or_30_contacts(client_as, workspace, people):
    client = client_as(Role.ADMIN)
    client.get("/stakeholders/")  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get("/stakeholders/")
    for n in range(27):
        services.contact_create(workspace=workspace, full_name=f"Person {n}", tag_names=["a", "b"])
    with CaptureQueriesContext(connection) as many:
        client.get("/stakeholders/")

    assert len(many) == len(few)


def test_the_map_places_each_contact_in_its_cell_and_lists_who_to_meet_first(client_as, workspace, people):
    response = client_as(Role.ANALYST).get("/stakeholders/map/")

    grid = response.context["grid"]
    top_right = grid[0][2]  # high influence, high interest
    assert (top_right.influence, top_right.interest, top_right.label) == (3, 3, "Manage closely")
    assert [c.full_name for c in top_right.contacts] == ["Claire Fontaine"]
    assert [c.full_name for c in grid[0][0].contacts] == ["Inès Garnier"]
    assert [c.full_name for c in response.context["not_met"]] == ["Inès Garnier", "Karim Benali"]


def test_the_map_costs_the_same_queries_for_3_or_30_contacts(client_as, workspace, people):
    client = client_as(Role.ADMIN)
    client.get("/stakeholders/map/")
    with CaptureQueriesContext(connection) as few:
        client.get("/stakeholders/map/")
    for n in range(27):
        services.contact_create(workspace=workspace, full_name=f"Person {n}", department=people["video"])
    with CaptureQueriesContext(connection) as many:
        client.get("/stakeholders/map/")

    assert len(many) == len(few)


def test_the_map_names_each_mendelow_quadrant_once_and_marks_its_axes(client_as, workspace, people):
    page = client_as(Role.ANALYST).get("/stakeholders/map/").content.decode()
    grid = page.split('data-testid="influence-interest-grid"')[1].split('<div class="card" id="not-met">')[0]
    for name in ("Manage closely", "Keep satisfied", "Keep informed", "Monitor"):
        assert grid.count(f">{name}</h3>") == 1, name
    assert "Keep involved" not in grid
    assert "Influence ↑" in grid and "Interest in social media →" in grid
    for mark in ("High", "Medium", "Low"):
        assert grid.count(f'aria-hidden="true">{mark}</div>') == 2, mark  # once on each axis


@pytest.mark.parametrize(
    ("influence", "interest", "name"),
    [
        (3, 3, "Manage closely"),
        (3, 2, "Keep satisfied"),
        (3, 1, "Keep satisfied"),
        (2, 3, "Keep informed"),
        (1, 3, "Keep informed"),
        (2, 2, "Monitor"),
        (1, 2, "Monitor"),
        (2, 1, "Monitor"),
        (1, 1, "Monitor"),
    ],
)
def test_each_cell_falls_in_its_quadrant(influence, interest, name):
    from stakeholders.selectors import quadrant

    assert quadrant(influence=influence, interest=interest)[1] == name
