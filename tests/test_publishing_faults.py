"""Publishing under real faults, with real parts: Celery worker processes on a redis-server of the test's own, the
test database, and the demo platform slowed to a real platform's pace. The demo platform's ledger is what it
received: one line per post it accepted, with the time its call began.

- Workers killed with SIGKILL in the middle of publish calls: every post goes out exactly once.
- Workers killed in the middle of first comments: no comment is posted twice; one whose call was cut is left to a
  person ("unknown"), every other is posted.
- The crisis switch during a running batch of 120 slowed posts: once its request has returned, not one platform
  call starts. (Its latency is measured in bench/: `manage.py bench_publishing crisis`.)
"""

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from calendar_app.models import ContentItem, CrisisPause, FollowUp, Publication
from calendar_app.tests.factories import OwnProfileFactory
from metrics.connectors.demo import PublishedLedger
from tests.markers import requires_postgres
from tests.workers import client_app, kill_worker, private_redis, start_worker, wait_for  # noqa: F401

pytestmark = [pytest.mark.fault, requires_postgres, pytest.mark.django_db(transaction=True)]
S = Publication.Status
PLATFORMS = ("x", "facebook")


def _batch(workspace, count: int, first_comment: str = "") -> list[Publication]:
    profiles = [OwnProfileFactory(workspace=workspace, platform=p, handle=f"fault_{p}") for p in PLATFORMS]
    item = ContentItem.objects.create(workspace=workspace, title="Batch", due_date=timezone.localdate())
    due = timezone.now() - timedelta(minutes=1)
    return Publication.objects.bulk_create(
        Publication(
            workspace=workspace,
            content_item=item,
            profile=profiles[n % len(profiles)],
            copy=f"Post number {n} of the batch",
            first_comment=first_comment and f"{first_comment} {n}",
            scheduled_at=due,
            status=S.SCHEDULED,
        )
        for n in range(count)
    )


def _received() -> list[dict]:
    """Every post the demo platform accepted, on every account of the batch."""
    return [entry for platform in PLATFORMS for entry in PublishedLedger(platform).entries()]


class Beat:
    """Sends the minute's publishing task every `every` seconds, as beat would every minute."""

    def __init__(self, broker_url: str, every: float = 0.5):
        self.client, self.every, self.last = client_app(broker_url), every, 0.0

    def until(self, predicate, *, timeout: float, what: str):
        def ticking():
            if time.monotonic() - self.last >= self.every:
                self.client.send_task("calendar_app.publish_due_publications", queue="publishing")
                self.last = time.monotonic()
            return predicate()

        return wait_for(ticking, timeout=timeout, what=what)


def _workers(broker_url: str, generation: int, **env) -> list:
    return [
        start_worker(broker_url, queues=("publishing",), concurrency=2, name=f"pub{generation}-{n}", **env)
        for n in range(2)
    ]


def test_workers_killed_inside_publish_calls_never_post_anything_twice(workspace, private_redis):  # noqa: F811
    batch = _batch(workspace, 24)
    slow = {"DEMO_PLATFORM_LATENCY": 0.6, "PUBLISH_SENDING_TIMEOUT": 3}
    beat = Beat(private_redis.url)
    workers = _workers(private_redis.url, 1, **slow)
    try:
        beat.until(lambda: len(_received()) >= 4, timeout=90, what="the first posts to go out")
        beat.until(lambda: Publication.objects.filter(status=S.SENDING).exists(), timeout=30, what="a send in progress")
    finally:
        outputs = [kill_worker(worker) for worker in workers]
    in_flight = set(Publication.objects.filter(status=S.SENDING).values_list("pk", flat=True))
    assert in_flight, "the kill should have caught sends in the middle of their platform call"

    workers = _workers(private_redis.url, 2, **slow)
    try:
        beat.until(
            lambda: Publication.objects.filter(status=S.PUBLISHED).count() == len(batch),
            timeout=120,
            what=f"every post published; worker output: {outputs}",
        )
    finally:
        for worker in workers:
            kill_worker(worker)
    copies = Counter(entry["text"] for entry in _received())
    assert set(copies) == {p.copy for p in batch}
    assert max(copies.values()) == 1, [text for text, n in copies.items() if n > 1]
    # Those the kill interrupted were looked up on the platform, not sent again blindly.
    looked_up = Publication.objects.filter(
        pk__in=in_flight, events__action__in=["found_on_platform", "not_on_platform"]
    ).distinct()
    assert looked_up.count() == len(in_flight)


def test_workers_killed_inside_first_comments_never_post_one_twice(workspace, private_redis):  # noqa: F811
    batch = _batch(workspace, 16, first_comment="More in the thread")
    slow = {"DEMO_PLATFORM_LATENCY": 0.6, "PUBLISH_SENDING_TIMEOUT": 3}
    comments = lambda: [e for p in PLATFORMS for e in PublishedLedger(p, of="comments").entries()]  # noqa: E731
    beat = Beat(private_redis.url)
    workers = _workers(private_redis.url, 1, **slow)
    try:
        beat.until(lambda: len(comments()) >= 2, timeout=90, what="the first comments to be posted")
        beat.until(
            lambda: FollowUp.objects.filter(status=FollowUp.Status.SENDING).exists(),
            timeout=30,
            what="a comment in progress",
        )
    finally:
        outputs = [kill_worker(worker) for worker in workers]
    cut = set(FollowUp.objects.filter(status=FollowUp.Status.SENDING).values_list("pk", flat=True))
    assert cut, "the kill should have caught comments in the middle of their platform call"

    workers = _workers(private_redis.url, 2, **slow)
    done = [FollowUp.Status.POSTED, FollowUp.Status.UNKNOWN]
    try:
        beat.until(
            lambda: FollowUp.objects.filter(status__in=done).count() == len(batch),
            timeout=120,
            what=f"every comment posted or left to a person; worker output: {outputs}",
        )
    finally:
        for worker in workers:
            kill_worker(worker)
    assert Publication.objects.filter(status=S.PUBLISHED).count() == len(batch)
    under = Counter(entry["reply_to"] for entry in comments())
    assert max(under.values()) == 1, [post for post, n in under.items() if n > 1]
    posted = FollowUp.objects.filter(status=FollowUp.Status.POSTED).select_related("publication")
    assert all(under[c.publication.external_id] == 1 for c in posted)
    # Those the kill cut were never posted again by themselves: a person decides.
    unknown = set(FollowUp.objects.filter(status=FollowUp.Status.UNKNOWN).values_list("pk", flat=True))
    assert unknown == cut


def test_once_the_crisis_switch_has_returned_not_one_platform_call_starts(
    workspace,
    private_redis,  # noqa: F811
    client,
    make_member,
):
    batch = _batch(workspace, 120)
    client.force_login(make_member(Role.CONTENT_LEAD).user)
    beat = Beat(private_redis.url)
    workers = _workers(private_redis.url, 1, DEMO_PLATFORM_LATENCY=0.2)
    try:
        beat.until(lambda: len(_received()) >= 10, timeout=90, what="the batch to be under way")
        response = client.post(reverse("calendar_app:crisis"), {"reason": "A crisis in the middle of the batch"})
        returned = time.time()
        assert response.status_code == 302
        # Beat goes on ticking during a crisis; give every call on its way the time to land.
        time.sleep(3)
        beat.until(lambda: not Publication.objects.filter(status=S.SENDING).exists(), timeout=30, what="sends to end")
        time.sleep(1)
    finally:
        for worker in workers:
            kill_worker(worker)
    received = _received()
    assert [entry["text"] for entry in received if entry["called_at"] > returned] == []
    assert max(Counter(entry["text"] for entry in received).values()) == 1
    statuses = Counter(Publication.objects.values_list("status", flat=True))
    assert statuses[S.PUBLISHED] == len(received) < len(batch)
    assert statuses[S.PUBLISHED] + statuses[S.PAUSED] == len(batch)
    assert CrisisPause.objects.get().paused_count <= statuses[S.PAUSED]
