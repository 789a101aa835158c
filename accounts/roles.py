"""The eight roles a member can hold in a workspace."""

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    STRATEGY_LEAD = "strategy_lead", "Strategy lead"
    CONTENT_LEAD = "content_lead", "Content lead"
    COMMUNITY_MANAGER = "community_manager", "Community manager"
    ANALYST = "analyst", "Analyst"
    COORDINATOR = "coordinator", "Coordinator"
    CONTRIBUTOR = "contributor", "Contributor"
    EXECUTIVE = "executive", "Executive"


# The social media team proper: they get the team dashboard.
TEAM_ROLES = frozenset(
    {
        Role.ADMIN,
        Role.STRATEGY_LEAD,
        Role.CONTENT_LEAD,
        Role.COMMUNITY_MANAGER,
        Role.ANALYST,
        Role.COORDINATOR,
    }
)
