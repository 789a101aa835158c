"""The one permission matrix (shared/ARCHITECTURE.md, "Roles"). Every view asks it.

`MATRIX[area][role]` is the set of actions that role may take in that area; a role that is
absent, or an action that is not listed, is refused. Views ask through `can()` or the
`@area_required` decorator in accounts/decorators.py.
"""

from .roles import Role

R = Role
VIEW, EDIT = "view", "edit"
TEAM = (R.ADMIN, R.STRATEGY_LEAD, R.CONTENT_LEAD, R.COMMUNITY_MANAGER, R.ANALYST, R.COORDINATOR)


def _grant(roles, actions) -> dict:
    return {role: frozenset(actions) for role in roles}


MATRIX: dict[str, dict[str, frozenset[str]]] = {
    # The team dashboard; contributors and executives have their own home instead.
    "dashboard": _grant(TEAM, {VIEW}),
    "audit": {
        **_grant((R.ADMIN, R.STRATEGY_LEAD), {VIEW, EDIT}),
        **_grant((R.CONTENT_LEAD, R.COMMUNITY_MANAGER, R.ANALYST, R.COORDINATOR, R.EXECUTIVE), {VIEW}),
    },
    "stakeholders": {
        **_grant((R.ADMIN, R.STRATEGY_LEAD, R.CONTENT_LEAD, R.COMMUNITY_MANAGER, R.COORDINATOR), {VIEW, EDIT}),
        **_grant((R.ANALYST,), {VIEW}),
        # A contributor manages only their own ambassador profile.
        **_grant((R.CONTRIBUTOR,), {"own_ambassador"}),
    },
    "ideas": {
        **_grant((R.ADMIN, R.STRATEGY_LEAD, R.CONTENT_LEAD), {VIEW, "submit", "comment", "vote", "triage"}),
        **_grant((R.COMMUNITY_MANAGER, R.ANALYST, R.COORDINATOR), {VIEW, "submit", "comment", "vote"}),
        # A contributor submits ideas and sees only their own.
        **_grant((R.CONTRIBUTOR,), {"submit", "view_own"}),
    },
    "editorial": {
        **_grant((R.ADMIN, R.STRATEGY_LEAD, R.CONTENT_LEAD, R.COMMUNITY_MANAGER), {VIEW, EDIT}),
        **_grant((R.ANALYST, R.COORDINATOR), {VIEW}),
    },
    "publishing": {
        **_grant((R.ADMIN, R.STRATEGY_LEAD), {VIEW, EDIT, "approve", "comment"}),
        # The content lead and the community manager approve only where the workspace's approval settings allow it
        # (its approver roles, or an approval step naming the role: "community manager -> content lead -> final").
        **_grant((R.CONTENT_LEAD, R.COMMUNITY_MANAGER), {VIEW, EDIT, "approve_if_allowed", "comment"}),
        # Who reads the calendar may discuss a post, without changing it.
        **_grant((R.ANALYST, R.COORDINATOR), {VIEW, "comment"}),
    },
    "meeting": _grant(TEAM, {VIEW}),
    "crisis": _grant((R.ADMIN, R.STRATEGY_LEAD, R.CONTENT_LEAD), {"toggle"}),
    "competitors": {
        **_grant((R.ADMIN, R.STRATEGY_LEAD, R.ANALYST), {VIEW, EDIT}),
        **_grant((R.CONTENT_LEAD, R.COMMUNITY_MANAGER, R.COORDINATOR, R.EXECUTIVE), {VIEW}),
    },
    "metrics": {
        **_grant((R.ADMIN,), {VIEW, "manage_connections"}),
        **_grant((R.STRATEGY_LEAD, R.CONTENT_LEAD, R.COMMUNITY_MANAGER, R.ANALYST, R.COORDINATOR, R.EXECUTIVE), {VIEW}),
    },
    "strategy": {
        **_grant((R.ADMIN, R.STRATEGY_LEAD), {VIEW, EDIT, "charter"}),
        **_grant((R.CONTENT_LEAD, R.COMMUNITY_MANAGER, R.ANALYST, R.COORDINATOR), {VIEW, "charter"}),
        # Management approves the social media charter.
        **_grant((R.EXECUTIVE,), {VIEW, "charter", "approve_charter"}),
        # Contributors read the social media charter and nothing else of the strategy.
        **_grant((R.CONTRIBUTOR,), {"charter"}),
    },
    "reports": {
        **_grant((R.ADMIN, R.STRATEGY_LEAD, R.COORDINATOR), {VIEW, "write", "send"}),
        **_grant((R.CONTENT_LEAD, R.COMMUNITY_MANAGER, R.ANALYST, R.EXECUTIVE), {VIEW}),
    },
    "members": _grant((R.ADMIN,), {VIEW, EDIT}),
}


def can(role: str | None, area: str, action: str = VIEW) -> bool:
    """True when `role` may take `action` in `area`."""
    if area not in MATRIX:
        raise KeyError(f"Unknown area {area!r}: add it to accounts.permissions.MATRIX")
    return role is not None and action in MATRIX[area].get(role, frozenset())


def allowed_actions(role: str | None, area: str) -> frozenset[str]:
    return MATRIX[area].get(role, frozenset()) if role else frozenset()
