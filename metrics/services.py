"""Every write of the metrics pipeline: credentials, pulls and their records."""

import bisect
import contextlib
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from accounts.workspace_cache import mark_changed

from . import crypto
from .connectors import connector_for
from .connectors.base import (
    AuthExpired,
    ConnectorError,
    HandleNotFound,
    NotAvailable,
    PostData,
    RateLimited,
)
from .engagement import engagement_rate, interactions
from .models import Credential, DailySnapshot, Post, PullRun, TrackedProfile
from .post_upsert import upsert_post_rows
from .refresh import PROFILE_PULL_INTERVAL, REFRESH_HORIZON, next_refresh_at

PAGE_SIZE = 100
SNAPSHOT_HISTORY_DAYS = 400  # how far back a backfill rebuilds daily figures where the platform gives them
STATUS_FOR_ERROR = {
    RateLimited: PullRun.Status.RATE_LIMITED,
    AuthExpired: PullRun.Status.NEEDS_ATTENTION,
    HandleNotFound: PullRun.Status.NOT_FOUND,
    NotAvailable: PullRun.Status.NOT_FOUND,
}


def credential_save(*, workspace, platform: str, token: str, account_id: str = "") -> Credential:
    """Store (or replace) a workspace's token for a platform, encrypted; clear 'needs attention' there."""
    token = token.strip()
    credential, _ = Credential.objects.update_or_create(
        workspace=workspace,
        platform=platform,
        defaults={"token_encrypted": crypto.encrypt(token), "token_hint": crypto.hint(token), "account_id": account_id},
    )
    TrackedProfile.objects.filter(workspace=workspace, platform=platform, needs_attention=True).update(
        needs_attention=False, next_pull_at=None
    )
    return credential


def credential_delete(*, credential: Credential) -> None:
    """Forget a workspace's token for a platform."""
    credential.delete()


def pull_run(*, profile: TrackedProfile, kind: str = PullRun.Kind.SCHEDULED, backfill: bool = False) -> PullRun:
    """Pull a profile's figures and posts; upsert them; record the run. Re-raises connector errors after recording."""
    with transaction.atomic():  # committed at once, so that a failed pull's run is recorded
        _commit_without_waiting_for_disk()
        run = PullRun.objects.create(profile=profile, kind=PullRun.Kind.BACKFILL if backfill else kind)
    # A scheduled pull writes all or nothing in one transaction (one commit instead of one per statement, and a
    # failed pull leaves no half-written page); a backfill commits page by page so that its progress shows.
    writes = contextlib.nullcontext() if backfill else transaction.atomic()
    try:
        with writes:
            if not backfill:
                _commit_without_waiting_for_disk()
            _pull(profile=profile, run=run, backfill=backfill)
            now = timezone.now()
            run.status, run.finished_at = PullRun.Status.SUCCESS, now
            run.save(update_fields=["status", "finished_at", "rows_written", "posts_done", "posts_expected"])
            TrackedProfile.objects.filter(pk=profile.pk).update(
                external_id=profile.external_id,  # as the platform gave them (_pull)
                display_name=profile.display_name,
                needs_attention=False,
                last_success_at=now,
                next_pull_at=_next_pull_at(profile, now),
            )
            # In the pull's transaction (no commit of its own), last, so the workspace row is locked only
            # while the pull commits.
            mark_changed(profile.workspace_id)
    except ConnectorError as error:
        if not backfill:
            run.rows_written = run.posts_done = 0  # rolled back with the transaction
        _record_failure(profile=profile, run=run, error=error)
        mark_changed(profile.workspace_id)  # the connection problem shows
        raise
    return run


def _commit_without_waiting_for_disk() -> None:
    """A pull's rows are a copy of the platform's: should the database crash in the instant after the commit,
    the next pull writes them again. So its commit does not wait for the disk (PostgreSQL's asynchronous
    commit: never a corrupt or half-applied transaction, at worst the last fraction of a second lost), which
    spares each pull a disk flush."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _pull(*, profile: TrackedProfile, run: PullRun, backfill: bool) -> None:
    connector = connector_for(profile)
    data = connector.fetch_profile(handle=profile.handle, external_id=profile.external_id)
    # Saved with the run's success (pull_run), in the same statement as the rest of the profile's changes.
    profile.external_id, profile.display_name = data.external_id, data.display_name or profile.display_name
    now = timezone.now()
    today = now.date()
    snapshots = [
        DailySnapshot(
            profile=profile,
            date=today,
            followers=data.followers,
            following=data.following,
            posts_count=data.posts_count,
        )
    ]
    history = getattr(connector, "followers_on", None)
    if backfill and history is not None:
        # Only the demo platform gives follower history; the real APIs give today's count.
        snapshots += [
            DailySnapshot(profile=profile, date=day, followers=history(profile.handle, day))
            for day in (today - timedelta(days=n) for n in range(1, SNAPSHOT_HISTORY_DAYS))
        ]
    run.rows_written += upsert_snapshots(snapshots)

    since = None if backfill else _posts_since(profile, now)
    run.posts_expected = data.posts_count if backfill else None
    # A backfill writes each page as it comes, so that its progress shows; a scheduled pull (a few pages at
    # most) writes its posts together, in fewer and larger statements.
    pending: list[PostData] = []
    cursor = None
    while True:
        page = connector.fetch_posts(external_id=profile.external_id, since=since, cursor=cursor, page_size=PAGE_SIZE)
        pending += page.posts
        cursor = page.next_cursor
        if backfill or not cursor:
            written = upsert_posts(profile=profile, posts=pending, current_followers=data.followers, now=now)
            run.rows_written += written
            run.posts_done += written
            pending = []
        if backfill:
            # Saved per page so the connections page can show the progress.
            run.save(update_fields=["rows_written", "posts_done", "posts_expected"])
        if not cursor:
            break


def _posts_since(profile: TrackedProfile, now):
    """Ask only for what still changes: posts due for a refresh and those published since the last pull,
    never older than the refresh horizon."""
    horizon = now - REFRESH_HORIZON
    last = profile.last_success_at - timedelta(hours=1) if profile.last_success_at else horizon
    if last <= horizon:
        return horizon  # a first pull, or one after a long gap: the whole horizon, whatever is due
    due = Post.objects.filter(profile=profile, next_refresh_at__lte=now).aggregate(oldest=Min("published_at"))["oldest"]
    return max(horizon, min(due, last)) if due is not None else last


def _next_pull_at(profile, now):
    soonest = Post.objects.filter(profile=profile, next_refresh_at__isnull=False).aggregate(t=Min("next_refresh_at"))[
        "t"
    ]
    regular = now + PROFILE_PULL_INTERVAL
    return min(soonest, regular) if soonest else regular


def upsert_snapshots(snapshots: list[DailySnapshot]) -> int:
    """One snapshot per profile per day, holding the newest figures (a bulk upsert on the unique constraint)."""
    DailySnapshot.objects.bulk_create(
        snapshots,
        update_conflicts=True,
        unique_fields=["profile", "date"],
        update_fields=["followers", "following", "posts_count", "updated_at"],
        batch_size=1000,
    )
    return len(snapshots)


def upsert_posts(*, profile: TrackedProfile, posts: list[PostData], current_followers: int, now) -> int:
    """One row per post, holding the newest figures and its engagement rate (a bulk upsert)."""
    if not posts:
        return 0
    followers_on = _followers_lookup(profile, posts, current_followers)
    rows = []
    for post in posts:
        total = interactions(post.likes, post.comments, post.shares)
        followers = followers_on(post.published_at.date())
        # In post_upsert.COLUMNS order.
        rows.append(
            (
                profile.pk,
                post.external_id,
                now,
                post.published_at,
                post.text,
                post.permalink,
                post.media_type,
                post.likes,
                post.comments,
                post.shares,
                post.views,
                total,
                followers,
                engagement_rate(total, followers),
                now,
                next_refresh_at(post.published_at, now),
            )
        )
    upsert_post_rows(rows)
    return len(rows)


def _followers_lookup(profile, posts, current_followers):
    """followers_on(day): the snapshot of that day, else the closest earlier one, else today's count."""
    first = min(p.published_at for p in posts).date() - timedelta(days=7)
    known = list(
        DailySnapshot.objects.filter(profile=profile, date__gte=first).order_by("date").values_list("date", "followers")
    )
    days = [d for d, _ in known]

    def followers_on(day: date) -> int:
        i = bisect.bisect_right(days, day)
        return known[i - 1][1] if i else current_followers

    return followers_on


def _record_failure(*, profile: TrackedProfile, run: PullRun, error: ConnectorError) -> None:
    now = timezone.now()
    status = next((s for cls, s in STATUS_FOR_ERROR.items() if isinstance(error, cls)), PullRun.Status.FAILED)
    run.status, run.finished_at = status, now
    run.error_kind, run.error_message = error.kind, str(error)[:2000]
    if isinstance(error, RateLimited) and error.retry_after:
        run.retry_at = now + timedelta(seconds=error.retry_after)
    run.save()
    changes = {"last_error_at": now, "last_error_kind": error.kind, "last_error_message": str(error)[:2000]}
    if isinstance(error, AuthExpired):
        changes["needs_attention"] = True  # no more pulls until someone replaces the credential
    elif run.retry_at:
        changes["next_pull_at"] = run.retry_at
    TrackedProfile.objects.filter(pk=profile.pk).update(**changes)
