"""SWOT versions: a new one starts from the current, older ones stay as they were and compare."""

import csv
import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import Role
from competitors import selectors, services
from competitors.models import Quadrant, SwotVersion


@pytest.fixture
def first_version(workspace):
    version = services.swot_version_create(workspace=workspace, quarterly=True, today=date(2026, 8, 1))
    services.swot_item_add(version=version, quadrant=Quadrant.STRENGTH, text="Loyal community")
    services.swot_item_add(version=version, quadrant=Quadrant.STRENGTH, text="Great photos")
    services.swot_item_add(version=version, quadrant=Quadrant.THREAT, text="Rival posts daily")
    return version


@pytest.mark.django_db
def test_a_new_version_starts_as_a_copy_and_the_older_one_is_kept(workspace, first_version):
    second = services.swot_version_create(workspace=workspace, note="after the launch")
    services.swot_item_add(version=second, quadrant=Quadrant.WEAKNESS, text="No video")
    second.items.get(text="Great photos").delete()

    assert sorted(first_version.items.values_list("text", flat=True)) == [
        "Great photos",
        "Loyal community",
        "Rival posts daily",
    ]
    assert sorted(second.items.values_list("text", flat=True)) == ["Loyal community", "No video", "Rival posts daily"]
    assert services.swot_current_version(workspace=workspace) == second


@pytest.mark.django_db
def test_an_older_version_cannot_be_edited(workspace, first_version):
    services.swot_version_create(workspace=workspace)
    old_item = first_version.items.first()
    with pytest.raises(ValidationError):
        services.swot_item_update(item=old_item, text="Rewritten history")
    with pytest.raises(ValidationError):
        services.swot_item_add(version=first_version, quadrant=Quadrant.STRENGTH, text="Late addition")


@pytest.mark.django_db
def test_one_quarterly_version_per_quarter(workspace, first_version):

    again = services.swot_version_create(workspace=workspace, quarterly=True, today=date(2026, 9, 30))
    assert again == first_version
    next_quarter = services.swot_version_create(workspace=workspace, quarterly=True, today=date(2026, 10, 1))
    assert next_quarter.label == "Q4 2026"
    assert SwotVersion.objects.filter(workspace=workspace).count() == 2


@pytest.mark.django_db
def test_comparing_two_versions_shows_what_was_added_removed_and_changed(workspace, first_version):
    second = services.swot_version_create(workspace=workspace)
    services.swot_item_update(item=second.items.get(text="Great photos"), text="Great photos and reels")
    second.items.get(text="Rival posts daily").delete()
    services.swot_item_add(version=second, quadrant=Quadrant.OPPORTUNITY, text="LinkedIn is empty")

    changes = selectors.swot_compare(first_version, second)

    assert [(c.status, c.text) for c in changes["S"]] == [
        ("kept", "Loyal community"),
        ("changed", "Great photos and reels"),
    ]
    assert [(c.status, c.text) for c in changes["O"]] == [("added", "LinkedIn is empty")]
    assert [(c.status, c.text) for c in changes["T"]] == [("removed", "Rival posts daily")]


@pytest.mark.django_db
def test_reordering_saves_the_order_and_may_move_an_item_across_quadrants(workspace, first_version):
    loyal, photos = first_version.items.filter(quadrant="S").order_by("position")
    rival = first_version.items.get(quadrant="T")
    services.swot_items_reorder(version=first_version, quadrant="S", item_ids=[rival.pk, photos.pk, loyal.pk])
    quadrants = selectors.swot_quadrants(first_version)
    assert [i.text for i in quadrants["S"]] == ["Rival posts daily", "Great photos", "Loyal community"]
    assert quadrants["T"] == []


@pytest.mark.django_db
def test_reordering_refuses_items_of_another_workspace(workspace, other_workspace, first_version):
    theirs = services.swot_version_create(workspace=other_workspace)
    foreign = services.swot_item_add(version=theirs, quadrant="S", text="Theirs")
    with pytest.raises(ValidationError):
        services.swot_items_reorder(version=first_version, quadrant="S", item_ids=[foreign.pk])
    foreign.refresh_from_db()
    assert foreign.version == theirs


@pytest.mark.django_db
def test_the_reorder_endpoint_answers_the_page_script(client_as, workspace, first_version):
    client = client_as(Role.ANALYST)
    loyal, photos = first_version.items.filter(quadrant="S").order_by("position")
    url = reverse("competitors:swot_reorder", args=[first_version.pk])
    response = client.post(url, {"quadrant": "S", "items": f"{photos.pk},{loyal.pk}"})
    assert response.json() == {"ok": True}
    assert [i.text for i in selectors.swot_quadrants(first_version)["S"]] == ["Great photos", "Loyal community"]
    assert client.post(url, {"quadrant": "S", "items": "abc"}).status_code == 400


@pytest.mark.django_db
def test_the_csv_export_lists_every_point_in_order(client_as, workspace, first_version):
    services.swot_item_add(version=first_version, quadrant=Quadrant.WEAKNESS, text="=HYPERLINK(evil)")
    client = client_as(Role.EXECUTIVE)
    response = client.get(reverse("competitors:swot_export", args=[first_version.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][:4] == ["version", "quadrant", "position", "point"]
    assert [r[3] for r in rows[1:]] == ["Loyal community", "Great photos", "'=HYPERLINK(evil)", "Rival posts daily"]


@pytest.mark.django_db
def test_adding_a_point_through_the_page_and_a_bad_evidence_link_is_explained(client_as, workspace, first_version):
    client = client_as(Role.STRATEGY_LEAD)
    ok = client.post(reverse("competitors:swot_item_add"), {"quadrant": "O", "text": "Podcasts", "evidence_url": ""})
    assert ok.status_code == 302
    bad = client.post(
        reverse("competitors:swot_item_add"), {"quadrant": "O", "text": "X", "evidence_url": "javascript:alert(1)"}
    )
    assert bad.status_code == 400
    assert "Use a web address (https://…) or a page of this workspace" in bad.text
    assert list(first_version.items.filter(quadrant="O").values_list("text", flat=True)) == ["Podcasts"]


@pytest.mark.django_db
def test_the_first_point_starts_this_quarters_version(client_as, workspace):
    client = client_as(Role.ANALYST)
    client.post(reverse("competitors:swot_item_add"), {"quadrant": "S", "text": "Fast replies"})
    version = SwotVersion.objects.get(workspace=workspace)
    assert version.quarter and version.items.get().text == "Fast replies"


@pytest.mark.django_db
def test_an_older_version_reads_as_it_was_and_offers_no_editing(client_as, workspace, first_version):
    services.swot_version_create(workspace=workspace)
    client = client_as(Role.ADMIN)
    response = client.get(reverse("competitors:swot_version", args=[first_version.pk]))
    assert "An older version, kept as it was" in response.text
    assert "Add to strengths" not in response.text
    compare = client.get(reverse("competitors:swot_compare"))
    assert compare.status_code == 200 and "What changed" in compare.text


@pytest.mark.django_db
def test_the_quarterly_task_starts_each_workspaces_version_once(workspace, other_workspace, time_machine):
    from competitors.tasks import swot_quarterly_versions

    time_machine.move_to("2027-01-01 06:00:00+00:00")
    services.competitor_create(workspace=workspace, name="Rival")
    services.swot_version_create(workspace=other_workspace)
    swot_quarterly_versions.delay()
    swot_quarterly_versions.delay()
    assert SwotVersion.objects.filter(quarter="2027-Q1").count() == 2
