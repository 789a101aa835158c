from datetime import date

import pytest
from django.urls import reverse

from accounts.roles import Role
from strategy import selectors, services
from strategy.models import NetworkPlan, Objective, StrategyRevision


def _objective(workspace, **fields):
    values = {
        "title": "Grow Instagram",
        "kpi": Objective.Kpi.FOLLOWERS,
        "baseline": 100,
        "target": 200,
        "deadline": date(2027, 6, 30),
    }
    values.update(fields)
    return Objective(workspace=workspace, **values)


@pytest.mark.django_db
def test_every_change_records_a_numbered_revision_with_a_snapshot(workspace, make_member):
    lead = make_member(Role.STRATEGY_LEAD).user
    services.strategy_update(workspace=workspace, by=lead, summary="Voice", words_to_avoid="cheap")
    objective = services.strategy_item_save(item=_objective(workspace), by=lead)
    services.strategy_item_delete(item=objective, by=lead)

    revisions = list(StrategyRevision.objects.filter(workspace=workspace).order_by("number"))
    assert [r.number for r in revisions] == [1, 2, 3]
    assert revisions[0].snapshot["texts"]["words_to_avoid"] == "cheap"
    assert [o["title"] for o in revisions[1].snapshot["objectives"]] == ["Grow Instagram"]
    assert revisions[2].snapshot["objectives"] == []
    assert revisions[2].summary == "Objective “Grow Instagram” removed"


@pytest.mark.django_db
def test_saving_the_same_text_again_records_no_revision(workspace, make_member):
    lead = make_member(Role.STRATEGY_LEAD).user
    services.strategy_update(workspace=workspace, by=lead, summary="Voice", tone_words="warm")
    services.strategy_update(workspace=workspace, by=lead, summary="Voice", tone_words="warm")
    assert StrategyRevision.objects.filter(workspace=workspace).count() == 1


@pytest.mark.django_db
def test_comparing_two_revisions_shows_what_was_added_and_removed(client_as, workspace):
    client = client_as(Role.STRATEGY_LEAD)
    user = client.membership.user
    services.strategy_update(workspace=workspace, by=user, summary="v1", words_to_avoid="cheap\nguaranteed")
    services.strategy_update(workspace=workspace, by=user, summary="v2", words_to_avoid="cheap\nrevolutionary")

    response = client.get(reverse("strategy:compare"), {"a": 1, "b": 2})

    assert response.status_code == 200
    changes = {c["section"]: c["lines"] for c in response.context["changes"]}
    assert list(changes) == ["Words to avoid"]
    assert {"kind": "removed", "text": "guaranteed"} in changes["Words to avoid"]
    assert {"kind": "added", "text": "revolutionary"} in changes["Words to avoid"]
    assert {"kind": "kept", "text": "cheap"} in changes["Words to avoid"]


@pytest.mark.django_db
def test_the_calendar_reads_words_to_avoid_and_targets_per_network(workspace, other_workspace, make_member):
    lead = make_member(Role.STRATEGY_LEAD).user
    services.strategy_update(
        workspace=workspace, by=lead, summary="Voice", words_to_avoid="cheap\n best in the world \n\n"
    )
    services.strategy_item_save(
        item=NetworkPlan(workspace=workspace, platform="x", role="news", target_posts_per_week=7), by=lead
    )
    services.strategy_item_save(
        item=NetworkPlan(workspace=other_workspace, platform="linkedin", role="jobs", target_posts_per_week=2), by=lead
    )

    assert selectors.words_to_avoid(workspace=workspace) == ["cheap", "best in the world"]
    assert selectors.target_posts_per_week(workspace=workspace) == {"x": 7}
    assert selectors.words_to_avoid(workspace=other_workspace) == []


@pytest.mark.django_db
def test_an_objective_form_explains_a_target_equal_to_the_baseline_and_saves_nothing(client_as, workspace):
    client = client_as(Role.STRATEGY_LEAD)
    data = {
        "title": "Flat",
        "kind": "brand",
        "kpi": "followers",
        "baseline": "100",
        "target": "100",
        "deadline": "2027-01-31",
    }

    response = client.post(reverse("strategy:item_new", args=["objectives"]), data)

    assert response.status_code == 200
    assert "The target must differ from the baseline." in response.context["form"].errors["target"]
    assert not Objective.objects.exists()
    assert not StrategyRevision.objects.exists()


@pytest.mark.django_db
def test_a_strategist_adds_an_objective_through_the_page(client_as, workspace):
    client = client_as(Role.STRATEGY_LEAD)
    data = {
        "title": "Engage",
        "kind": "brand",
        "kpi": "engagement_rate",
        "baseline": "1.5",
        "target": "3",
        "deadline": "2027-01-31",
    }

    response = client.post(reverse("strategy:item_new", args=["objectives"]), data)

    assert response.status_code == 302
    assert Objective.objects.get(workspace=workspace).title == "Engage"
    assert StrategyRevision.objects.get(workspace=workspace).created_by == client.membership.user


@pytest.mark.django_db
def test_another_workspaces_objective_cannot_be_edited_or_removed(client_as, other_workspace, make_member):
    lead = make_member(Role.STRATEGY_LEAD, ws=other_workspace).user
    theirs = services.strategy_item_save(item=_objective(other_workspace), by=lead)
    client = client_as(Role.ADMIN)

    assert client.get(reverse("strategy:item_edit", args=["objectives", theirs.pk])).status_code == 404
    assert client.post(reverse("strategy:item_delete", args=["objectives", theirs.pk])).status_code == 404
    assert Objective.objects.filter(pk=theirs.pk).exists()
