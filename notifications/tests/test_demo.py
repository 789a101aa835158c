import pytest
from django.core.management import call_command

from accounts.models import Workspace
from notifications.models import Notification


@pytest.mark.django_db
def test_the_demo_team_finds_notifications_about_the_demo_and_a_second_seed_adds_none():
    call_command("seed_demo", verbosity=0)
    workspace = Workspace.objects.get(name="Demo Brand")
    told = Notification.objects.filter(workspace=workspace)
    kinds = set(told.values_list("kind", flat=True))
    assert {"publication_failed", "idea_triaged"} <= kinds
    assert told.filter(recipient__user__email="admin@demo.test").exists()
    assert told.filter(recipient__user__email="contributor@demo.test", kind="idea_triaged").exists()
    count = told.count()
    call_command("seed_demo", verbosity=0)
    assert Notification.objects.filter(workspace=workspace).count() == count
