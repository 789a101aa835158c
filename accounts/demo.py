"""The demo workspace's people: one user per role, all with the password "demo"."""

from .models import Membership, TwoFactorPolicy, User, Workspace
from .roles import Role

DEMO_PASSWORD = "demo"  # noqa: S105 -- the demo logins are public on purpose
DEMO_WORKSPACE = "Demo Brand"

DEMO_USERS = [
    ("admin@demo.test", "Alex Martin", Role.ADMIN),
    ("strategy@demo.test", "Sam Durand", Role.STRATEGY_LEAD),
    ("content@demo.test", "Camille Petit", Role.CONTENT_LEAD),
    ("community@demo.test", "Jordan Leroy", Role.COMMUNITY_MANAGER),
    ("analyst@demo.test", "Noor Haddad", Role.ANALYST),
    ("coordinator@demo.test", "Lou Bernard", Role.COORDINATOR),
    ("contributor@demo.test", "Robin Moreau", Role.CONTRIBUTOR),
    ("executive@demo.test", "Dominique Lambert", Role.EXECUTIVE),
]


def seed_people() -> Workspace:
    """Create (once) the workspace and its eight demo users; return the workspace."""
    # Two-factor login is not required in the demo: its logins are public, and nobody could hold the secret
    # of a pre-enrolled authenticator app. Members can still switch it on in their profile.
    workspace, _ = Workspace.objects.get_or_create(
        slug="demo-brand",
        defaults={"name": DEMO_WORKSPACE, "time_zone": "Europe/Paris", "two_factor_policy": TwoFactorPolicy.NOBODY},
    )
    for email, name, role in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
            if role == Role.ADMIN:
                user.is_staff = True
                user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])
        Membership.objects.get_or_create(user=user, workspace=workspace, defaults={"role": role})
    return workspace
