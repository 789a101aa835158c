"""The accounts' queues (calendar_app/queue.py): posting slots, the next free one, "Add to queue" on the form, the
queue page and its edits; and the best times to post from the brand's own posts (metrics/best_time.py)."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.roles import Role
from calendar_app import queue
from calendar_app.models import PostingSlot, Publication
from metrics.best_time import MIN_POSTS, best_times
from metrics.models import Post
from metrics.rollup import rollup_profile

from .factories import ContentItemFactory, OwnProfileFactory, PublicationFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
MONDAY_0850 = datetime(2026, 12, 7, 8, 50, tzinfo=PARIS)


def _slots(profile, *pairs):
    for weekday, at in pairs:
        PostingSlot.objects.create(workspace=profile.workspace, profile=profile, weekday=weekday, time=at)


def test_the_next_free_slot_skips_the_ones_too_soon_and_taken(workspace):
    assert workspace.time_zone == "Europe/Paris"
    profile = OwnProfileFactory(workspace=workspace)
    assert queue.next_free_slot(profile=profile, now=MONDAY_0850) is None  # no slot at all
    _slots(profile, (0, time(9, 0)), (2, time(18, 0)))
    # Monday 09:00 is 10 minutes away: too soon to review and send. Wednesday 18:00 is next.
    assert queue.next_free_slot(profile=profile, now=MONDAY_0850) == datetime(2026, 12, 9, 18, 0, tzinfo=PARIS)
    taken = PublicationFactory(
        workspace=workspace, profile=profile, scheduled_at=datetime(2026, 12, 9, 17, 0, tzinfo=UTC)
    )
    assert queue.next_free_slot(profile=profile, now=MONDAY_0850) == datetime(2026, 12, 14, 9, 0, tzinfo=PARIS)
    # The publication being rescheduled does not take its own slot; another account's post takes none of this one's.
    assert queue.next_free_slot(profile=profile, now=MONDAY_0850, excluding=taken.pk).day == 9
    PublicationFactory(workspace=workspace, scheduled_at=datetime(2026, 12, 14, 8, 0, tzinfo=UTC))
    assert queue.next_free_slot(profile=profile, now=MONDAY_0850) == datetime(2026, 12, 14, 9, 0, tzinfo=PARIS)


def test_a_slot_keeps_its_wall_clock_time_across_summer_time_and_skips_the_hour_that_does_not_exist(workspace):
    profile = OwnProfileFactory(workspace=workspace)
    _slots(profile, (6, time(2, 30)), (6, time(9, 0)))  # Sundays at 02:30 and 09:00
    saturday = datetime(2026, 3, 28, 12, 0, tzinfo=PARIS)
    instants = list(
        queue.upcoming_slots(slots=[(6, time(2, 30)), (6, time(9, 0))], zone=PARIS, start=saturday, weeks=2)
    )
    # 29 March 2026: 02:30 does not exist in Paris (02:00 -> 03:00); 09:00 is 07:00 UTC, summer time.
    assert instants[0] == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)
    assert instants[1] == datetime(2026, 4, 5, 0, 30, tzinfo=UTC)  # the next Sunday's 02:30, summer time
    # And "Add to queue" on that Saturday gives the Sunday's 09:00, never the 02:30 that does not exist.
    assert queue.next_free_slot(profile=profile, now=saturday) == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)


def test_add_to_queue_schedules_the_post_at_the_next_free_slot(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    profile = OwnProfileFactory(workspace=workspace, platform="instagram", handle="acme")
    item = ContentItemFactory(workspace=workspace)
    form = {"content_item": item.pk, "profile": profile.pk, "copy": "Spring", "scheduled_at": "", "add_to_queue": "on"}
    with time_machine.travel(MONDAY_0850, tick=False):
        refused = client.post(reverse("calendar_app:publication_new"), form)
        assert refused.status_code == 200 and not Publication.objects.exists()
        assert "@acme on Instagram has no free posting slot in the next 8 weeks" in refused.content.decode()
        _slots(profile, (2, time(18, 0)))
        client.post(reverse("calendar_app:publication_new"), form)
        client.post(reverse("calendar_app:publication_new"), form | {"scheduled_at": "2026-12-25T10:00"})
    first, second = Publication.objects.order_by("pk")
    assert first.scheduled_at == datetime(2026, 12, 9, 18, 0, tzinfo=PARIS)
    assert second.scheduled_at == datetime(2026, 12, 16, 18, 0, tzinfo=PARIS)  # the queue wins over a typed time


def test_the_queue_page_lists_each_account_with_its_slots_and_next_free_one(client_as, workspace, other_workspace):
    client = client_as(Role.ANALYST)
    profile = OwnProfileFactory(workspace=workspace, platform="x", handle="acme")
    OwnProfileFactory(workspace=workspace, platform="facebook", handle="idle")
    theirs = OwnProfileFactory(workspace=other_workspace, handle="theirs")
    _slots(profile, (1, time(9, 30)))
    _slots(theirs, (1, time(7, 15)))
    with time_machine.travel(MONDAY_0850, tick=False):
        response = client.get(reverse("calendar_app:queue"))
    page = response.content.decode()
    assert "09:30" in page and "07:15" not in page and "@theirs" not in page
    assert "Next free: Tue 8 Dec, 09:30" in page and "No slot yet" in page
    assert not response.context["may_edit"] and 'data-testid="slot-form-' not in page  # an analyst only reads


def test_a_community_manager_adds_and_removes_slots_and_cannot_add_one_twice(client_as, workspace, other_workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    profile = OwnProfileFactory(workspace=workspace, handle="acme")
    add = {"profile": profile.pk, "weekday": 3, "time": "12:00", "page": "2"}
    added = client.post(reverse("calendar_app:slot_add"), add)
    assert added.status_code == 302 and added["Location"] == f"{reverse('calendar_app:queue')}?page=2"
    page = client.get(added["Location"]).content.decode()
    assert "now posts on Thursday at 12:00" in page and 'data-testid="slot-form-' in page
    again = client.post(reverse("calendar_app:slot_add"), add, follow=True)
    assert PostingSlot.objects.count() == 1
    assert "@acme on X (Twitter) already posts on Thursday at 12:00." in again.content.decode()
    wrong = client.post(reverse("calendar_app:slot_add"), add | {"time": "noon", "weekday": "9"}, follow=True)
    assert "The slot was not added: " in wrong.content.decode() and PostingSlot.objects.count() == 1
    theirs = OwnProfileFactory(workspace=other_workspace)
    client.post(reverse("calendar_app:slot_add"), add | {"profile": theirs.pk})
    assert not PostingSlot.objects.filter(profile=theirs).exists()
    their_slot = PostingSlot.objects.create(workspace=other_workspace, profile=theirs, weekday=1, time=time(8, 0))
    client.post(reverse("calendar_app:slot_remove", args=[their_slot.pk]))
    assert PostingSlot.objects.filter(pk=their_slot.pk).exists()
    mine = PostingSlot.objects.get(profile=profile)
    client.post(reverse("calendar_app:slot_remove", args=[mine.pk]))
    assert not PostingSlot.objects.filter(pk=mine.pk).exists()


def test_an_analyst_may_not_edit_the_queue(client_as, workspace):
    client = client_as(Role.ANALYST)
    profile = OwnProfileFactory(workspace=workspace)
    add = {"profile": profile.pk, "weekday": 3, "time": "12:00"}
    assert client.post(reverse("calendar_app:slot_add"), add).status_code == 403
    assert not PostingSlot.objects.exists()


def _post(profile, when, rate, n=1):
    for i in range(n):
        Post.objects.create(
            profile=profile,
            external_id=f"{profile.pk}-{when.isoformat()}-{i}",
            published_at=when + timedelta(minutes=i),
            text="t",
            engagement_rate=rate,
        )
    rollup_profile(profile)  # the roll-ups the heatmap reads, as every writer of posts outside the pull does


def test_the_best_times_are_the_brands_own_hours_with_enough_posts(workspace, other_workspace):
    now = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    own = OwnProfileFactory(workspace=workspace, platform="instagram")
    tuesday_18 = datetime(2026, 12, 1, 18, 0, tzinfo=PARIS)
    friday_08 = datetime(2026, 12, 4, 8, 0, tzinfo=PARIS)
    _post(own, tuesday_18, 0.05, n=MIN_POSTS)
    _post(own, friday_08, 0.02, n=MIN_POSTS + 1)
    _post(own, datetime(2026, 12, 6, 23, 0, tzinfo=PARIS), 0.50, n=MIN_POSTS - 1)  # too few to rank
    _post(own, datetime(2026, 6, 2, 18, 0, tzinfo=PARIS), 0.90, n=MIN_POSTS)  # older than 16 weeks
    _post(OwnProfileFactory(workspace=other_workspace), tuesday_18.replace(hour=9), 0.9, n=MIN_POSTS)
    _post(
        OwnProfileFactory(workspace=workspace, is_own=False), tuesday_18.replace(hour=10), 0.9, n=MIN_POSTS
    )  # a rival
    best = best_times(workspace=workspace, now=now)
    assert [h.label for h in best.best] == ["Tuesday 18:00", "Friday 08:00"]
    assert best.grid[18][1].posts == MIN_POSTS and best.grid[18][1].rate == pytest.approx(0.05)
    assert best.grid[23][6].posts == MIN_POSTS - 1 and not best.grid[23][6].counts
    assert best.grid[9][1].posts == 0 and best.grid[10][1].posts == 0
    assert best.posts == 3 * MIN_POSTS  # the own posts of the 16 weeks
    assert best_times(workspace=workspace, platform="x", now=now).posts == 0


def test_the_heatmap_text_reads_on_every_cell():
    from metrics.best_time import BestTimes, Hour
    from metrics.templatetags.metrics_tags import _luminance, heat

    best = BestTimes(weeks=16, top_rate=0.05, low_rate=0.01)
    for rate in [0.01 + i * 0.002 for i in range(21)]:
        attrs = heat(Hour(0, 9, MIN_POSTS, rate), best)
        background = attrs.split('data-colour="#')[1][:6]
        text = attrs.split('data-text-colour="#')[1][:6]
        lum = [_luminance(tuple(int(c[i : i + 2], 16) for i in (0, 2, 4))) for c in (background, text)]
        ratio = (max(lum) + 0.05) / (min(lum) + 0.05)
        assert ratio >= 4.5, (rate, background, text)


def test_the_queue_page_fetches_its_heatmap_once_it_shows(client_as, workspace):
    client = client_as(Role.ANALYST)
    own = OwnProfileFactory(workspace=workspace, platform="instagram")
    _post(own, datetime.now(tz=PARIS).replace(minute=0) - timedelta(days=2), 0.04, n=MIN_POSTS)
    page = client.get(reverse("calendar_app:queue"), {"network": "instagram"}).content.decode()
    assert f'data-fragment="{reverse("calendar_app:best_times")}?network=instagram"' in page
    assert 'data-testid="heatmap"' not in page  # the slow read is not in the page
    fragment = client.get(reverse("calendar_app:best_times"), {"network": "instagram"}).content.decode()
    assert 'data-testid="heatmap"' in fragment and "4.00 %" in fragment and "<html" not in fragment


def test_the_queue_page_shows_25_accounts_a_page_in_the_same_queries(client_as, workspace):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(Role.ANALYST)
    for i in range(3):
        _slots(OwnProfileFactory(workspace=workspace, handle=f"a{i:02d}"), (1, time(9, 0)))
    client.get(reverse("calendar_app:queue"))  # the session's first request reads more
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("calendar_app:queue"))
    for i in range(3, 30):
        _slots(OwnProfileFactory(workspace=workspace, handle=f"a{i:02d}"), (1, time(9, 0)), (4, time(17, 0)))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("calendar_app:queue"))
    assert len(many) == len(few)
    assert len(response.context["queues"]) == queue.ACCOUNTS_PER_PAGE and response.context["page"].paginator.count == 30
    second = client.get(reverse("calendar_app:queue"), {"page": 2}).context["queues"]
    assert [q.name for q in second] == [f"@a{i:02d} on X (Twitter)" for i in range(25, 30)]
