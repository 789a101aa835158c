"""The workspace's audit settings: editors change them, a bad value is explained, readers cannot."""

from accounts.roles import Role
from audits.selectors import audit_settings

VALID = {"dormant_after_days": 60, "review_after_days": 120, "max_admins_per_account": 3}


def test_an_editor_changes_the_dormant_threshold(client_as, workspace):
    client = client_as(Role.STRATEGY_LEAD)
    assert client.post("/audit/settings/", VALID).status_code == 302
    assert audit_settings(workspace=workspace).dormant_after_days == 60


def test_the_dormant_threshold_defaults_to_30_days(workspace):
    assert audit_settings(workspace=workspace).dormant_after_days == 30


def test_a_bad_threshold_is_explained_and_changes_nothing(client_as, workspace):
    client = client_as(Role.ADMIN)
    response = client.post("/audit/settings/", {**VALID, "dormant_after_days": 0}, follow=True)
    assert "Settings not saved" in response.content.decode()
    assert audit_settings(workspace=workspace).dormant_after_days == 30


def test_a_reader_cannot_change_the_settings(client_as, workspace):
    client = client_as(Role.CONTENT_LEAD)
    assert client.post("/audit/settings/", VALID).status_code == 403
    assert audit_settings(workspace=workspace).pk is None


def test_settings_of_one_workspace_do_not_touch_another(client_as, workspace, other_workspace):
    client = client_as(Role.ADMIN)
    client.post("/audit/settings/", VALID)
    assert audit_settings(workspace=other_workspace).dormant_after_days == 30
