"""Who may open and change what (accounts/permissions.py), and one workspace never reaches another's rows."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from competitors import services
from competitors.models import Competitor, SwotVersion

EDITORS = [Role.ADMIN, Role.STRATEGY_LEAD, Role.ANALYST]
READERS = [Role.CONTENT_LEAD, Role.COMMUNITY_MANAGER, Role.COORDINATOR, Role.EXECUTIVE]


@pytest.mark.django_db
@pytest.mark.parametrize("role", EDITORS + READERS)
def test_every_team_role_and_the_executive_read_the_benchmark_and_swot(client_as, role):
    client = client_as(role)
    assert client.get(reverse("competitors:benchmark")).status_code == 200
    assert client.get(reverse("competitors:swot")).status_code == 200


@pytest.mark.django_db
def test_a_contributor_cannot_open_the_competitors_pages(client_as):
    client = client_as(Role.CONTRIBUTOR)
    assert client.get(reverse("competitors:benchmark")).status_code == 403
    assert client.get(reverse("competitors:swot")).status_code == 403


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("competitors:benchmark"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", READERS)
def test_readers_cannot_change_competitors_or_the_swot(client_as, workspace, role):
    competitor = services.competitor_create(workspace=workspace, name="Rival")
    client = client_as(role)
    assert client.get(reverse("competitors:new")).status_code == 403
    assert client.post(reverse("competitors:new"), {"name": "Other"}).status_code == 403
    assert client.post(reverse("competitors:archive", args=[competitor.pk])).status_code == 403
    assert client.post(reverse("competitors:swot_item_add"), {"quadrant": "S", "text": "x"}).status_code == 403
    assert client.post(reverse("competitors:swot_version_new"), {"kind": "now"}).status_code == 403
    assert Competitor.objects.filter(workspace=workspace).count() == 1
    assert not SwotVersion.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", EDITORS)
def test_editors_add_a_competitor_whose_profiles_become_tracked_profiles(client_as, workspace, role):
    client = client_as(role)
    response = client.post(
        reverse("competitors:new"),
        {
            "name": "Rival",
            "website": "rival.example",
            "handle_x": "@RivalCo",
            "handle_instagram": "https://instagram.com/rival.co/",
        },
    )
    assert response.status_code == 302
    competitor = Competitor.objects.get(workspace=workspace)
    profiles = {link.profile.platform: link.profile for link in competitor.profile_links.all()}
    assert {p: pr.handle for p, pr in profiles.items()} == {"x": "RivalCo", "instagram": "rival.co"}
    assert all(not pr.is_own and pr.is_active and pr.workspace == workspace for pr in profiles.values())
    assert competitor.website == "https://rival.example"


@pytest.mark.django_db
def test_the_brands_own_handle_cannot_be_a_competitors(client_as, workspace):
    from competitors.tests.factories import TrackedProfileFactory

    TrackedProfileFactory(workspace=workspace, platform="x", handle="acme")
    client = client_as(Role.ADMIN)
    response = client.post(reverse("competitors:new"), {"name": "Rival", "handle_x": "ACME"})
    assert "one of the brand&#x27;s own profiles" in response.text
    assert not Competitor.objects.exists()


@pytest.mark.django_db
def test_clearing_a_handle_stops_pulling_that_profile(client_as, workspace):
    competitor = services.competitor_create(
        workspace=workspace, name="Rival", handles={"x": "rival", "facebook": "rivalfb"}
    )
    client = client_as(Role.ANALYST)
    response = client.post(reverse("competitors:edit", args=[competitor.pk]), {"name": "Rival SA", "handle_x": "rival"})
    assert response.status_code == 302
    states = {link.profile.platform: link.profile.is_active for link in competitor.profile_links.all()}
    assert states == {"x": True, "facebook": False}


@pytest.mark.django_db
def test_another_workspaces_competitor_is_not_found(client_as, other_workspace):
    theirs = services.competitor_create(workspace=other_workspace, name="Their rival")
    client = client_as(Role.ADMIN)
    assert client.get(reverse("competitors:edit", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("competitors:archive", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active


@pytest.mark.django_db
def test_another_workspaces_swot_is_not_found_nor_shown(client_as, other_workspace):
    theirs = services.swot_version_create(workspace=other_workspace)
    item = services.swot_item_add(version=theirs, quadrant="S", text="Their secret strength")
    services.competitor_create(workspace=other_workspace, name="Their rival")
    client = client_as(Role.ADMIN)
    assert client.get(reverse("competitors:swot_version", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("competitors:swot_export", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("competitors:swot_item_edit", args=[item.pk])).status_code == 404
    assert client.post(reverse("competitors:swot_item_delete", args=[item.pk])).status_code == 404
    assert (
        client.post(
            reverse("competitors:swot_reorder", args=[theirs.pk]), {"quadrant": "S", "items": str(item.pk)}
        ).status_code
        == 404
    )
    assert "Their secret strength" not in client.get(reverse("competitors:swot")).text
    assert "Their rival" not in client.get(reverse("competitors:benchmark")).text
