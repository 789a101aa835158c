import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.demo import DEMO_USERS
from accounts.models import Membership, User, Workspace


def _row_counts():
    return {
        model._meta.label: model.objects.count() for model in apps.get_models() if model._meta.app_label != "sessions"
    }


@pytest.mark.django_db
def test_seed_demo_creates_one_user_per_role_and_a_second_run_adds_nothing():
    call_command("seed_demo", verbosity=0)
    workspace = Workspace.objects.get(name="Demo Brand")
    for email, _, role in DEMO_USERS:
        user = User.objects.get(email=email)
        assert user.check_password("demo")
        assert Membership.objects.get(user=user, workspace=workspace).role == role
    first = _row_counts()

    call_command("seed_demo", verbosity=0)
    assert _row_counts() == first
