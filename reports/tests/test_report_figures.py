import pytest

from reports.services import report_build, report_generate
from strategy.tests.factories import post, snapshot

from .conftest import OCTOBER


@pytest.mark.django_db
def test_the_report_adds_up_the_brands_own_networks_for_the_month(workspace, october_data):
    data = report_build(workspace=workspace, month=OCTOBER)

    assert data["period"] == {"start": "2026-10-01", "end": "2026-10-31", "label": "October 2026"}
    assert data["headline"]["followers"] == 1550
    assert data["headline"]["growth"] == 50  # +100 on Instagram, -50 on X
    assert data["headline"]["posts"] == 3
    assert data["headline"]["engagement_rate_pct"] == 4.0  # mean of 5 %, 1 % and 6 %
    networks = {n["platform"]: n for n in data["networks"]}
    assert networks["instagram"]["followers"] == 1100
    assert networks["instagram"]["growth_pct"] == 10.0
    assert networks["instagram"]["engagement_rate_pct"] == 3.0
    assert networks["instagram"]["target_posts_per_week"] == 5
    assert networks["x"]["growth"] == -50


@pytest.mark.django_db
def test_the_top_posts_are_the_months_own_posts_by_engagement_rate(workspace, october_data):
    data = report_build(workspace=workspace, month=OCTOBER)
    assert [p["text"] for p in data["top_posts"]] == ["Good X post", "Best insta post", "Quiet insta post"]
    assert data["top_posts"][0]["engagement_rate_pct"] == 6.0


@pytest.mark.django_db
def test_kpis_show_the_months_value_against_last_month_and_the_target(workspace, october_data):
    (kpi,) = report_build(workspace=workspace, month=OCTOBER)["kpis"]
    assert kpi["title"] == "Instagram reach"
    assert (kpi["value"], kpi["previous_value"], kpi["target"]) == (1100, 900, 2000)
    assert kpi["trend"] == "up"
    assert kpi["improving"] is True
    assert kpi["progress_pct"] == 10.0


@pytest.mark.django_db
def test_a_generated_report_keeps_its_figures_when_new_data_arrives(workspace, october_data):
    report = report_generate(workspace=workspace, month=OCTOBER)

    snapshot(october_data["insta"], OCTOBER.replace(day=15), 5000)
    post(october_data["insta"], OCTOBER.replace(day=16), likes=900, text="Late viral post")  # 90 %
    report.refresh_from_db()

    # What the known rows of October gave when it was generated (conftest: the sums worked out by hand) ...
    headline = report.data["headline"]
    assert (headline["followers"], headline["growth"], headline["posts"]) == (1550, 50, 3)
    assert headline["engagement_rate_pct"] == 4.0
    # ... while the month built again now sees the late rows: the frozen report did not follow them.
    rebuilt = report_build(workspace=workspace, month=OCTOBER)["headline"]
    assert (rebuilt["posts"], rebuilt["engagement_rate_pct"]) == (4, 25.5)  # (5 + 1 + 6 + 90) / 4


@pytest.mark.django_db
def test_generating_again_makes_a_new_version_and_keeps_the_earlier_one(workspace, october_data):
    first = report_generate(workspace=workspace, month=OCTOBER)
    first.highlights = "A good month."
    first.save()
    post(october_data["insta"], OCTOBER.replace(day=16), likes=900, text="Late viral post")

    second = report_generate(workspace=workspace, month=OCTOBER)

    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.data["headline"]["posts"] == 3
    assert second.data["headline"]["posts"] == 4
    assert second.highlights == "A good month."


@pytest.mark.django_db
def test_a_workspace_without_any_data_still_gets_a_readable_report(workspace, client_as):
    report = report_generate(workspace=workspace, month=OCTOBER)
    assert report.data["networks"] == [] and report.data["kpis"] == [] and report.data["top_posts"] == []
    response = client_as().get(f"/reports/{report.slug}/")
    assert response.status_code == 200
    assert "No posts were published in this month." in response.content.decode()
