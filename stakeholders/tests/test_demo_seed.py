import pytest

from accounts.demo import seed_people
from stakeholders import demo
from stakeholders.models import (
    Ambassador,
    AmbassadorNetwork,
    Contact,
    Department,
    ExampleText,
    FollowUp,
    Meeting,
    Relay,
)

pytestmark = pytest.mark.django_db

MODELS = [Department, Contact, Meeting, FollowUp, Ambassador, AmbassadorNetwork, ExampleText, Relay]


def test_the_demo_has_departments_a_dozen_contacts_meetings_and_ambassadors_and_a_second_run_adds_nothing():
    workspace = seed_people()

    demo.seed(workspace)
    counts = {m.__name__: m.objects.count() for m in MODELS}
    demo.seed(workspace)

    assert {m.__name__: m.objects.count() for m in MODELS} == counts
    assert counts["Department"] >= 7 and counts["Contact"] == 12
    assert counts["Meeting"] >= 3 and counts["FollowUp"] >= 3
    assert Ambassador.objects.filter(user__email="contributor@demo.test").exists()
    assert Contact.objects.filter(is_met=False).exists() and Contact.objects.filter(is_met=True).exists()
