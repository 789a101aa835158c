"""Ingestion throughput: the metrics pull path (demo connector) against a raw bulk insert of the same rows.

Each profile's pull goes through `metrics.services.pull_run`, exactly as the scheduled task runs it: profile
figures, one snapshot upsert, paged post upserts with engagement computed, the pull-run record. The floor
writes the very rows the pulls wrote, into fresh profiles, with plain bulk inserts in one transaction. The two
alternate in rounds of 100 profiles, so that a busy machine slows both alike.
"""

from time import perf_counter
from unittest import mock

from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import Workspace
from metrics import services
from metrics.connectors.demo import DemoConnector
from metrics.models import DailySnapshot, Post, TrackedProfile
from metrics.platforms import Platform

INGEST_SLUG = "bench-ingest"
BATCH = 2000
# Every column of a post but its id, its profile and created_at, read from the model: the floor copies whatever
# the pull wrote, however metrics/post_upsert.py writes it.
POST_FIELDS = [
    f.attname for f in Post._meta.concrete_fields if not f.primary_key and f.name not in ("profile", "created_at")
]


class NewestPostsConnector(DemoConnector):
    """The demo platform, answering each pull with the profile's newest `count` posts; it times itself."""

    def __init__(self, platform: str, *, count: int):
        super().__init__(platform)
        self.count = count
        self.seconds = 0.0
        self._times = {}

    def _post_times(self, handle):
        # Computed once per handle: the platform's own cost is not what this benchmark measures.
        if handle not in self._times:
            self._times[handle] = super()._post_times(handle)[: self.count]
        return self._times[handle]

    def fetch_profile(self, **kwargs):
        started = perf_counter()
        try:
            return super().fetch_profile(**kwargs)
        finally:
            self.seconds += perf_counter() - started

    def fetch_posts(self, *, external_id, since=None, cursor=None, page_size=100):
        started = perf_counter()
        try:
            # The newest posts whatever the last pull was, so every profile writes the same number of rows.
            return super().fetch_posts(external_id=external_id, since=None, cursor=cursor, page_size=page_size)
        finally:
            self.seconds += perf_counter() - started


def _fresh_workspace() -> Workspace:
    remove()
    return Workspace.objects.create(slug=INGEST_SLUG, name="Bench Ingest")


def remove() -> None:
    """Drop the ingestion workspace and its rows (plain DELETEs: it can hold hundreds of thousands of posts)."""
    workspace = Workspace.objects.filter(slug=INGEST_SLUG).first()
    if workspace is None:
        return
    Post.objects.filter(profile__workspace=workspace)._raw_delete(Post.objects.db)
    DailySnapshot.objects.filter(profile__workspace=workspace)._raw_delete(DailySnapshot.objects.db)
    workspace.delete()
    _vacuum(Post, DailySnapshot)


def _vacuum(*models) -> None:
    """Hundreds of thousands of deleted rows leave the tables' visibility maps stale: until autovacuum passes,
    the pages' index-only scans go back to the table (a page query went from 0.5 ms to 16 ms). The benchmark
    leaves the database as it found it, so that pages measured after it are measured fairly."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'VACUUM ANALYZE "{model._meta.db_table}"')


def _profiles(workspace, prefix: str, n: int) -> list[TrackedProfile]:
    TrackedProfile.objects.bulk_create(
        [TrackedProfile(workspace=workspace, platform=Platform.INSTAGRAM, handle=f"{prefix}{i}") for i in range(n)],
        batch_size=BATCH,
    )
    return list(TrackedProfile.objects.filter(workspace=workspace, handle__startswith=prefix).order_by("pk"))


def run(*, profiles: int = 1000, posts_per_profile: int = 200, log=lambda message: None) -> dict:
    """Pull `profiles` demo profiles of `posts_per_profile` posts each, then bulk-insert the same rows: rows/s of both.

    Both run with DEBUG off, as a production worker does (with DEBUG on, Django logs every query's SQL).
    """
    with override_settings(DEBUG=False):
        return _run(profiles=profiles, posts_per_profile=posts_per_profile, log=log)


ROUND = 100  # profiles per round


def _run(*, profiles: int, posts_per_profile: int, log) -> dict:
    """In rounds of ROUND profiles, pull then bulk-insert the same rows: drift on a shared machine (another
    process, a checkpoint) then slows both alike instead of whichever ran during it."""
    workspace = _fresh_workspace()
    connector = NewestPostsConnector(Platform.INSTAGRAM, count=posts_per_profile)
    pull_seconds = floor_seconds = 0.0
    pull_rows = floor_rows = 0
    try:
        pulled = _profiles(workspace, "pull", profiles)
        floor_profiles = _profiles(workspace, "floor", profiles)
        for first in range(0, profiles, ROUND):
            batch = pulled[first : first + ROUND]
            seconds = _pull(batch, connector)
            pull_seconds += seconds
            pull_rows += Post.objects.filter(profile__in=batch).count()
            pull_rows += DailySnapshot.objects.filter(profile__in=batch).count()
            rows, seconds = _bulk_insert_twins(batch, floor_profiles[first : first + ROUND])
            floor_rows += rows
            floor_seconds += seconds
            log(f"pulled and bulk-inserted {first + len(batch)}/{profiles}")
    finally:
        remove()
    pull_rate, floor_rate = pull_rows / pull_seconds, floor_rows / floor_seconds
    return {
        "profiles": profiles,
        "posts_per_profile": posts_per_profile,
        "pull_rows": pull_rows,
        "pull_seconds": round(pull_seconds, 2),
        "connector_seconds": round(connector.seconds, 2),
        "pull_rows_per_s": round(pull_rate),
        "pull_rows_per_s_without_connector": round(pull_rows / max(pull_seconds - connector.seconds, 1e-9)),
        "floor_rows": floor_rows,
        "floor_seconds": round(floor_seconds, 2),
        "floor_rows_per_s": round(floor_rate),
        "ratio": round(pull_rate / floor_rate, 3),
    }


def _pull(profiles, connector) -> float:
    """Seconds to pull each profile through the service, as the scheduled task does."""
    started = perf_counter()
    with mock.patch.object(services, "connector_for", lambda profile: connector):
        for profile in profiles:
            services.pull_run(profile=profile)
    return perf_counter() - started


def _bulk_insert_twins(pulled, twins) -> tuple[int, float]:
    """(rows, seconds) of a plain bulk insert, in one transaction, of the rows the pulls wrote, into twin profiles."""
    twin = dict(zip([p.pk for p in pulled], twins, strict=True))
    posts = [
        Post(profile=twin[row["profile_id"]], created_at=timezone.now(), **{f: row[f] for f in POST_FIELDS})
        for row in Post.objects.filter(profile__in=pulled).values("profile_id", *POST_FIELDS).iterator()
    ]
    snapshots = [
        DailySnapshot(profile=twin[row["profile_id"]], **{k: v for k, v in row.items() if k != "profile_id"})
        for row in DailySnapshot.objects.filter(profile__in=pulled)
        .values("profile_id", "date", "followers", "following", "posts_count")
        .iterator()
    ]
    started = perf_counter()
    with transaction.atomic():
        DailySnapshot.objects.bulk_create(snapshots, batch_size=BATCH)
        Post.objects.bulk_create(posts, batch_size=BATCH)
    return len(posts) + len(snapshots), perf_counter() - started


def table(result: dict) -> str:
    return "\n".join(
        [
            f"ingestion: {result['profiles']} profiles x {result['posts_per_profile']} posts",
            f"  pull (metrics.services.pull_run, demo connector): {result['pull_rows']:,} rows in "
            f"{result['pull_seconds']} s = {result['pull_rows_per_s']:,} rows/s "
            f"({result['pull_rows_per_s_without_connector']:,} rows/s without the connector's "
            f"{result['connector_seconds']} s)",
            f"  floor (bulk insert of the same rows): {result['floor_rows']:,} rows in {result['floor_seconds']} s "
            f"= {result['floor_rows_per_s']:,} rows/s",
            f"  pull / floor: {result['ratio']:.2f} (target: at least 0.5)",
        ]
    )
