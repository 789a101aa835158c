"""Two members add posts to the same account's queue at the same moment: each gets its own slot (queue.lock_queues).

Real PostgreSQL and two connections: both read the queue, and the choice is held open long enough for the other to
read it too; without the lock both would take the first free slot."""

import time as clock
from datetime import time

import pytest

from calendar_app import composer, queue
from calendar_app.models import PostingSlot, Publication
from tests.markers import requires_postgres
from tests.races import at_once

from .factories import ContentItemFactory, OwnProfileFactory, PublicationFactory

pytestmark = [requires_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_choice(monkeypatch):
    """The slot is chosen, then 0.3 s pass before it is written: the window in which a second member reads."""
    first_free = queue.first_free

    def slowly(**kwargs):
        chosen = first_free(**kwargs)
        clock.sleep(0.3)
        return chosen

    monkeypatch.setattr(queue, "first_free", slowly)


def test_two_posts_added_to_one_queue_at_once_take_two_slots(workspace, make_member, slow_choice):
    author = make_member("community_manager").user
    account = OwnProfileFactory(workspace=workspace, platform="x")
    for weekday in range(7):
        PostingSlot.objects.create(workspace=workspace, profile=account, weekday=weekday, time=time(9, 0))
    posts = [PublicationFactory(workspace=workspace, profile=account, scheduled_at=None) for _ in range(2)]

    at_once(*[lambda p=p: queue.publication_save_queued(publication=p, by=author) for p in posts])

    times = list(Publication.objects.filter(profile=account).values_list("scheduled_at", flat=True))
    assert None not in times and len(set(times)) == 2


def test_two_composers_queueing_the_same_accounts_at_once_take_two_slots_each(workspace, make_member, slow_choice):
    author = make_member("community_manager").user
    accounts = [OwnProfileFactory(workspace=workspace, platform=p) for p in ("x", "linkedin")]
    for account in accounts:
        for weekday in range(7):
            PostingSlot.objects.create(workspace=workspace, profile=account, weekday=weekday, time=time(9, 0))
    item = ContentItemFactory(workspace=workspace)

    def compose(order):
        drafts = [composer.Draft(a, "Spring is here.") for a in order]
        composer.compose(
            workspace=workspace, content_item=item, drafts=drafts, shared_copy="Spring is here.",
            scheduled_at=None, queue=True, media=[], by=author,
        )  # fmt: skip

    at_once(lambda: compose(accounts), lambda: compose(accounts[::-1]))  # opposite orders: no deadlock either

    for account in accounts:
        times = list(Publication.objects.filter(profile=account).values_list("scheduled_at", flat=True))
        assert len(times) == 2 and len(set(times)) == 2
