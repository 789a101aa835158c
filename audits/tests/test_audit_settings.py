"""The workspace's audit settings: on their own page, linked from the report for editors; a bad value is explained."""

from accounts.roles import Role
from audits.selectors import audit_settings

VALID = {"dormant_after_days": 60, "review_after_days": 120, "max_admins_per_account": 3}


def test_an_editor_changes_the_dormant_threshold(client_as, workspace):
    client = client_as(Role.STRATEGY_LEAD)
    response = client.post("/audit/settings/", VALID)
    assert response.status_code == 302 and response["Location"] == "/audit/"
    assert audit_settings(workspace=workspace).dormant_after_days == 60


def test_the_dormant_threshold_defaults_to_30_days(workspace):
    assert audit_settings(workspace=workspace).dormant_after_days == 30


def test_an_editor_finds_the_settings_from_the_report_with_their_current_values(client_as, workspace):
    client = client_as(Role.ADMIN)
    client.post("/audit/settings/", VALID)
    assert 'href="/audit/settings/"' in client.get("/audit/").content.decode()
    page = client.get("/audit/settings/").content.decode()
    assert 'name="dormant_after_days" value="60"' in page and 'name="max_admins_per_account" value="3"' in page


def test_the_report_itself_no_longer_carries_the_settings_form(client_as):
    page = client_as(Role.ADMIN).get("/audit/").content.decode()
    assert 'name="dormant_after_days"' not in page


def test_a_bad_threshold_is_explained_on_its_field_and_changes_nothing(client_as, workspace):
    client = client_as(Role.ADMIN)
    response = client.post("/audit/settings/", {**VALID, "dormant_after_days": 0})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Settings not saved" in page and "greater than or equal to 1" in page
    assert 'name="review_after_days" value="120"' in page  # what was typed stays to be corrected
    assert audit_settings(workspace=workspace).dormant_after_days == 30


def test_a_reader_neither_sees_nor_opens_nor_changes_the_settings(client_as, workspace):
    client = client_as(Role.CONTENT_LEAD)
    assert 'href="/audit/settings/"' not in client.get("/audit/").content.decode()
    assert client.get("/audit/settings/").status_code == 403
    assert client.post("/audit/settings/", VALID).status_code == 403
    assert audit_settings(workspace=workspace).pk is None


def test_settings_of_one_workspace_do_not_touch_another(client_as, workspace, other_workspace):
    client = client_as(Role.ADMIN)
    client.post("/audit/settings/", VALID)
    assert audit_settings(workspace=other_workspace).dormant_after_days == 30
