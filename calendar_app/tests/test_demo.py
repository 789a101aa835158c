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


@pytest.mark.django_db
def test_the_demo_has_three_approval_steps_and_a_post_waiting_at_step_two_once():
    from calendar_app.models import ApprovalStep, PublicationApproval
    from calendar_app.steps import step_positions

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(ApprovalStep.objects.filter(network="").values_list("position", "name")) == [
        (1, "Content check"),
        (2, "Strategy lead"),
        (3, "Final approval"),
    ]
    [approval] = PublicationApproval.objects.select_related("publication__profile", "approved_by")
    waiting = approval.publication
    assert (approval.position, approval.approved_by.email) == (1, "content@demo.test")
    rows = [(waiting.pk, waiting.status, waiting.profile.platform)]
    assert step_positions(waiting.workspace_id, rows) == {waiting.pk: (2, 3)}


@pytest.mark.django_db
def test_the_demo_library_holds_its_pictures_and_the_instagram_post_in_review_carries_a_photo(settings, tmp_path):
    from media_library.demo import PICTURES
    from media_library.models import MediaFile, PublicationMedia

    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    names = set(MediaFile.objects.values_list("original_name", flat=True))
    assert names == {name for name, *_ in PICTURES} | {"care-tips.jpg"}
    assert PublicationMedia.objects.filter(
        publication__profile__platform="instagram",
        publication__status="in_review",
        media_file__original_name="care-tips.jpg",
    ).exists()
