import pytest

from accounts.navigation import nav_for
from accounts.permissions import MATRIX, can
from accounts.roles import Role

R = Role


@pytest.mark.parametrize(
    ("role", "area", "action", "allowed"),
    [
        (R.ADMIN, "audit", "edit", True),
        (R.STRATEGY_LEAD, "audit", "edit", True),
        (R.CONTENT_LEAD, "audit", "edit", False),
        (R.CONTENT_LEAD, "audit", "view", True),
        (R.EXECUTIVE, "audit", "view", True),
        (R.CONTRIBUTOR, "audit", "view", False),
        (R.ANALYST, "stakeholders", "edit", False),
        (R.COORDINATOR, "stakeholders", "edit", True),
        (R.EXECUTIVE, "stakeholders", "view", False),
        (R.CONTRIBUTOR, "stakeholders", "own_ambassador", True),
        (R.CONTENT_LEAD, "ideas", "triage", True),
        (R.COMMUNITY_MANAGER, "ideas", "triage", False),
        (R.CONTRIBUTOR, "ideas", "submit", True),
        (R.CONTRIBUTOR, "ideas", "view", False),
        (R.EXECUTIVE, "ideas", "submit", False),
        (R.COMMUNITY_MANAGER, "editorial", "edit", True),
        (R.ANALYST, "editorial", "edit", False),
        (R.ADMIN, "publishing", "approve", True),
        (R.CONTENT_LEAD, "publishing", "approve", False),
        (R.CONTENT_LEAD, "publishing", "approve_if_allowed", True),
        (R.COMMUNITY_MANAGER, "crisis", "toggle", False),
        (R.CONTENT_LEAD, "crisis", "toggle", True),
        (R.ANALYST, "competitors", "edit", True),
        (R.CONTENT_LEAD, "competitors", "edit", False),
        (R.ADMIN, "metrics", "manage_connections", True),
        (R.STRATEGY_LEAD, "metrics", "manage_connections", False),
        (R.CONTRIBUTOR, "metrics", "view", False),
        (R.CONTRIBUTOR, "strategy", "charter", True),
        (R.CONTRIBUTOR, "strategy", "view", False),
        (R.COORDINATOR, "reports", "send", True),
        (R.ANALYST, "reports", "write", False),
        (R.EXECUTIVE, "reports", "view", True),
        (R.STRATEGY_LEAD, "members", "edit", False),
        (R.EXECUTIVE, "strategy", "approve_charter", True),
        (R.STRATEGY_LEAD, "strategy", "approve_charter", False),
        (R.EXECUTIVE, "dashboard", "view", False),
    ],
)
def test_matrix_follows_the_architecture_table(role, area, action, allowed):
    assert can(role, area, action) is allowed


def test_every_area_names_only_known_roles():
    for area, grants in MATRIX.items():
        assert set(grants) <= set(Role.values), area


def test_an_unknown_area_is_a_programming_error():
    with pytest.raises(KeyError):
        can(R.ADMIN, "no-such-area")


def test_no_role_means_no_access():
    assert not can(None, "audit", "view")


def test_navigation_shows_only_what_the_role_may_use():
    team = {item["label"] for item in nav_for(R.ADMIN, "/")}
    contributor = {item["label"] for item in nav_for(R.CONTRIBUTOR, "/")}
    executive = {item["label"] for item in nav_for(R.EXECUTIVE, "/")}
    assert "Dashboard" in team
    assert "Dashboard" not in contributor and "Dashboard" not in executive
    # Pages of areas that are not built yet never show; built ones show by role.
    assert all(label not in contributor for label in ("Audit", "Metrics", "Competitors", "Reports"))


def test_the_calendars_share_one_dropdown_that_lists_only_what_the_role_may_open():
    analyst = {item["label"]: item for item in nav_for(R.ANALYST, "/calendar/publishing/")}
    calendars = analyst["Calendars"]
    assert [child["label"] for child in calendars["children"]] == [
        "Editorial calendar",
        "Publishing calendar",
        "Posting queue",
        "Weekly meeting",
        "Media library",  # the publishing area's images and videos
    ]
    assert calendars["active"]
    assert "Calendars" not in {item["label"] for item in nav_for(R.EXECUTIVE, "/")}
