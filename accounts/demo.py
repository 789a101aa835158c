"""The demo workspace's people: one user per role, all with the password "demo", and one operator.

No demo member may open the Django admin: workspace admins do everything in the app. The operator is a superuser
who belongs to no workspace, for the admin only (README: "The admin is for operators").
"""

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
DEMO_OPERATOR = ("operator@demo.test", "Demo Operator")


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
        elif user.is_staff or user.is_superuser:
            # Earlier releases made the demo admin a superuser: a second run takes the admin rights back.
            User.objects.filter(pk=user.pk).update(is_staff=False, is_superuser=False)
        Membership.objects.get_or_create(user=user, workspace=workspace, defaults={"role": role})
    seed_operator()
    return workspace


def seed_operator() -> User:
    """Create (once) the demo operator: a superuser for the Django admin, member of no workspace."""
    email, name = DEMO_OPERATOR
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_superuser(email=email, password=DEMO_PASSWORD, full_name=name)
    return user
