import pytest
from django.core.management import call_command

from calendar_app.models import ContentItem, CrisisPause, Idea, Publication


@pytest.mark.django_db
def test_demo_data_covers_every_state_and_a_second_run_adds_nothing():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (Idea.objects.count(), ContentItem.objects.count(), Publication.objects.count())
    assert set(Idea.objects.values_list("status", flat=True)) == set(Idea.Status.values)
    assert set(Publication.objects.values_list("status", flat=True)) >= set(Publication.Status.values) - {
        "paused",
        "sending",
    }
    assert Idea.objects.filter(author__email="contributor@demo.test").exists()
    assert CrisisPause.objects.get().ended_at is not None
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Idea.objects.count(), ContentItem.objects.count(), Publication.objects.count()) == counts
