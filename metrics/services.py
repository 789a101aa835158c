"""Every write of the metrics pipeline: credentials, pulls and their records.

A pull (pull_run) is a run of short transactions, none of them held across a platform call:
1. the claim: the profile's open run is continued, or a new run created; it takes the next attempt number;
2. the profile's figures: its snapshot of the day (the workspace's local day), with the run's heartbeat;
3. each page of posts, committed with the cursor of the next page, the run's progress and its heartbeat;
   steps 2 to 4 recompute, in their transaction, the daily roll-up of the days they touched (metrics/rollup.py);
4. the last page, committed with the run's success and the profile's health.
A run that ends (success, failure, given up, superseded) adds itself to its day (metrics/pull_run_days.py) in the
transaction that saves its outcome.
An attempt that stops half-way (a rate limit, a failure, a crash, a dead worker) keeps every page it committed,
and the next pull of the profile continues the same run from its cursor. _failure_plan says what each outcome
does and when the profile is pulled again; pull_runs_reap closes the runs whose worker died.
"""

import bisect
import logging
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from accounts.roles import Role
from notifications.services import notify

from . import crypto
from .connectors import connector_for
from .connectors.base import (
    AuthExpired,
    ConnectorError,
    HandleNotFound,
    NotAvailable,
    PostData,
    PostsPage,
    RateLimited,
    TransientError,
    UnexpectedReply,
)
from .engagement import engagement_rate, interactions
from .models import ConnectedAccount, Credential, DailySnapshot, MastodonApp, Post, PullRun, TrackedProfile
from .network_days import network_days_regroup, profile_groups
from .platforms import Platform
from .post_upsert import upsert_post_rows
from .pull_run_days import pull_run_day_add
from .refresh import (
    PROFILE_PULL_INTERVAL,
    REFRESH_HORIZON,
    heartbeat_stale_after,
    next_refresh_at,
    rate_limit_wait,
    transient_backoff,
)
from .rollup import rollup_posts, rollup_snapshots

logger = logging.getLogger(__name__)

PAGE_SIZE = 100
SNAPSHOT_HISTORY_DAYS = 400  # how far back a backfill rebuilds daily figures where the platform gives them
# An open run that fails this many attempts in a row without committing a new page is given up: whatever stops
# it there (a bug on one page, a worker killed on it each time) would stop it again; the next pull starts over.
MAX_FAILURES_WITHOUT_PROGRESS = 5
# Pagination guard: a platform that gives no count of its posts is not paged beyond this many posts.
UNCOUNTED_POSTS_LIMIT = 100_000
SMALLEST_PAGE = 5  # the fewest posts a platform's page may hold (X's minimum): bounds the pages a count allows
# The other permanent outcomes (no live connector) close their run as failed.
STATUS_FOR_PERMANENT = {HandleNotFound: PullRun.Status.NOT_FOUND, NotAvailable: PullRun.Status.NOT_FOUND}


class PullCrashed(ConnectorError):
    """The pull stopped on something other than a platform's answer (a bug, a lost database connection)."""

    kind = "unexpected"


class PaginationRunaway(UnexpectedReply):
    """The platform's pages did not end: a cursor came back twice, or more pages than the profile can fill."""


class WorkerLost(ConnectorError):
    """The worker running the pull stopped answering (killed, out of memory, its machine lost)."""

    kind = "abandoned"


class RunTakenOver(Exception):
    """Another attempt owns the run now: this one was presumed dead and must stop writing."""


def credential_save(*, workspace, platform: str, token: str, account_id: str = "") -> Credential:
    """Store (or replace) a workspace's token for a platform, encrypted; clear 'needs attention' there."""
    token = token.strip()
    credential, _ = Credential.objects.update_or_create(
        workspace=workspace,
        platform=platform,
        defaults={
            "token_encrypted": crypto.encrypt(token),
            "token_hint": crypto.hint(token),
            "account_id": account_id,
            "is_demo": False,
        },
    )
    TrackedProfile.objects.filter(workspace=workspace, platform=platform, needs_attention=True).update(
        needs_attention=False, next_pull_at=None
    )
    return credential


def _revocation_of(credential: Credential):
    """How a connected credential is revoked at its platform: its OAuth provider's revocation, or Bluesky's sign-out
    (an app password's session); None where there is nothing to revoke."""
    from .connectors.bluesky import session_end
    from .demo_connect import provider_of

    provider = provider_of(credential)
    if provider is not None:
        return provider.revoke_credential
    if credential.platform == Platform.BLUESKY and credential.refresh_token_encrypted:
        return lambda c: session_end(refresh_token=c.refresh_token)
    return None


def credential_delete(*, credential: Credential) -> bool | None:
    """Forget a workspace's token for a platform, revoking it at the platform first when it came through a connect
    flow. True: the platform revoked it; False: it did not confirm (the token is forgotten all the same); None: a
    pasted token, nothing to revoke."""
    revoke = _revocation_of(credential)
    revoked = None
    if revoke is not None and credential.connected_at is not None:
        try:
            revoke(credential)  # outside any transaction: a platform call
            revoked = True
        except Exception:  # a revocation that fails must not keep a token the admin wants gone
            logger.warning(
                "Could not revoke the %s token of workspace %s", credential.platform, credential.workspace_id
            )
            revoked = False
    credential.delete()
    return revoked


def mastodon_app(*, server: str, redirect_uri: str, register) -> MastodonApp:
    """This site's app on a Mastodon server, registered there (`register`, a platform call outside any transaction)
    the first time, or again when the callback address changed; its client secret stored encrypted."""
    app = MastodonApp.objects.filter(server=server).first()
    if app is not None and app.redirect_uri == redirect_uri:
        return app
    client_id, client_secret = register(server=server, redirect_uri=redirect_uri)
    app, _ = MastodonApp.objects.update_or_create(
        server=server,
        defaults={
            "client_id": client_id,
            "client_secret_encrypted": crypto.encrypt(client_secret),
            "redirect_uri": redirect_uri,
        },
    )
    return app


def credential_connect(*, workspace, platform: str, grant, by, demo: bool = False) -> Credential:
    """Store a token obtained through the platform's consent screen, with who connected it, when and its scopes;
    `demo`: through the demo network's consent page (metrics.demo_connect), no real token."""
    credential, _ = Credential.objects.update_or_create(
        workspace=workspace,
        platform=platform,
        defaults={
            "token_encrypted": crypto.encrypt(grant.access_token),
            "token_hint": crypto.hint(grant.access_token),
            "refresh_token_encrypted": crypto.encrypt(grant.refresh_token) if grant.refresh_token else "",
            "account_id": grant.account_id,
            "account_name": grant.account_name,
            "connected_by": by,
            "connected_at": timezone.now(),
            "scopes": grant.scopes,
            "expires_at": grant.expires_at,
            "needs_reconnecting": False,
            "is_demo": demo,
        },
    )
    TrackedProfile.objects.filter(workspace=workspace, platform=platform, needs_attention=True).update(
        needs_attention=False, next_pull_at=None
    )
    return credential


def credential_refresh(*, credential: Credential) -> bool:
    """Refresh one token before it expires; a refusal marks it "needs reconnecting" and tells the admins once.
    Meta's refresh reads the Pages' tokens again too (connected_accounts_retoken)."""
    from . import oauth
    from .demo_connect import provider_of

    provider = provider_of(credential)
    if provider is None or not provider.can_refresh(credential):
        return False
    try:
        grant = provider.refresh_credential(credential)  # no transaction held across the call
    except oauth.RefreshRefused as error:
        credential_session_refused(credential=credential, reason=str(error))
        return False
    except oauth.ConnectRefused as error:  # the platform did not answer, or refused something else: next run
        logger.warning("Could not refresh the %s token of workspace %s: %s", credential.platform,
                       credential.workspace_id, error)  # fmt: skip
        return False
    changes = {
        "token_encrypted": crypto.encrypt(grant.access_token),
        "token_hint": crypto.hint(grant.access_token),
        "expires_at": grant.expires_at,
        "needs_reconnecting": False,
    }
    if grant.refresh_token:
        changes["refresh_token_encrypted"] = crypto.encrypt(grant.refresh_token)
    if grant.scopes:
        changes["scopes"] = grant.scopes
    with transaction.atomic():
        # Only if nobody reconnected meanwhile (the same tokens are still stored).
        renewed = Credential.objects.filter(
            pk=credential.pk,
            token_encrypted=credential.token_encrypted,
            refresh_token_encrypted=credential.refresh_token_encrypted,
        ).update(**changes)
        if renewed and grant.choices:
            connected_accounts_retoken(credential=credential, choices=grant.choices)
    return bool(renewed)


def connected_accounts_retoken(*, credential: Credential, choices) -> int:
    """Store the Page tokens a refresh read again for the accounts this credential connected; how many changed."""
    tokens = {choice.external_id: choice.token for choice in choices if choice.token}
    changed = 0
    for account in ConnectedAccount.objects.filter(credential=credential, external_id__in=list(tokens)):
        token = tokens[account.external_id]
        if account.token != token:
            account.token_encrypted, account.token_hint = crypto.encrypt(token), crypto.hint(token)
            account.save(update_fields=["token_encrypted", "token_hint"])
            changed += 1
    return changed


def connected_accounts_choose(
    *, workspace, credential: Credential, choices, chosen: list[str], by
) -> tuple[list[TrackedProfile], list]:
    """Track the accounts a person chose after connecting as the workspace's own (live) profiles, each with what it
    acts with (a Meta Page token, encrypted). An account tracked already is updated, never added twice; one
    followed as a competitor's is left alone and named in the answer."""
    now = timezone.now()
    tracked, refused = [], []
    with transaction.atomic():
        for choice in (c for c in choices if c.external_id in set(chosen)):
            profile = (
                TrackedProfile.objects.filter(workspace=workspace, platform=choice.platform)
                .filter(Q(external_id=choice.external_id) | Q(handle__iexact=choice.handle))
                .order_by("-is_own")
                .first()
            )
            if profile is not None and not profile.is_own:
                refused.append(choice)
                continue
            if profile is None:
                profile = TrackedProfile.objects.create(
                    workspace=workspace, platform=choice.platform, handle=choice.handle,
                    display_name=choice.name[:150], external_id=choice.external_id, source=TrackedProfile.Source.LIVE,
                )  # fmt: skip
            else:
                # Someone fixing the profile: a stop on its old identity and a wait for a credential no longer apply.
                TrackedProfile.objects.filter(pk=profile.pk).update(
                    external_id=choice.external_id, source=TrackedProfile.Source.LIVE, needs_attention=False,
                    next_pull_at=None,
                )  # fmt: skip
            ConnectedAccount.objects.update_or_create(
                profile=profile,
                defaults={
                    "workspace": workspace, "credential": credential, "external_id": choice.external_id,
                    "name": choice.name[:200], "token_encrypted": crypto.encrypt(choice.token) if choice.token else "",
                    "token_hint": crypto.hint(choice.token) if choice.token else "", "page_id": choice.page_id,
                    "connected_by": by, "connected_at": now,
                },
            )  # fmt: skip
            tracked.append(profile)
        ids = [p.external_id for p in tracked] or [""]
        if credential.platform == "instagram" and tracked and credential.account_id not in ids:
            # Competitors are read through one of the brand's professional accounts (business discovery).
            Credential.objects.filter(pk=credential.pk).update(account_id=tracked[0].external_id)
    return tracked, refused


def credential_session_renewed(*, credential: Credential, access_token: str, refresh_token: str) -> None:
    """Store a session a connector renewed (Bluesky rotates its refresh token: the old one soon stops working)."""
    Credential.objects.filter(pk=credential.pk, refresh_token_encrypted=credential.refresh_token_encrypted).update(
        token_encrypted=crypto.encrypt(access_token),
        token_hint=crypto.hint(access_token),
        refresh_token_encrypted=crypto.encrypt(refresh_token),
        needs_reconnecting=False,
    )


def credential_session_refused(*, credential: Credential, reason: str) -> None:
    """The platform refused to renew a connection's token (an OAuth refresh, a Bluesky session): "needs
    reconnecting", and the admins told once per connection (reconnecting starts a new one, which may be refused
    again later)."""
    connection = int(credential.connected_at.timestamp()) if credential.connected_at else 0
    with transaction.atomic():
        Credential.objects.filter(pk=credential.pk).update(needs_reconnecting=True)
        _ask_admins_to_reconnect(
            credential.workspace,
            dedupe_key=f"credential:{credential.pk}:refresh_refused:{connection}",
            title=f"Reconnect {credential.get_platform_display()} {credential.account_name}: the platform refused to renew it",
            body=f"{reason} Connect the account again from the connections page.",
        )  # fmt: skip


def bluesky_connect(*, workspace, identifier: str, app_password: str, by) -> Credential:
    """Sign in to Bluesky with an app password and keep the session (encrypted), never the password."""
    from . import oauth
    from .connectors.base import ConnectorError
    from .connectors.bluesky import session_create

    try:
        session = session_create(identifier=identifier, app_password=app_password)  # no transaction held
    except AuthExpired as error:
        raise oauth.ConnectRefused(f"Bluesky refused the handle or app password ({error}).") from error
    except ConnectorError as error:
        raise oauth.ConnectRefused(f"Bluesky could not be asked: {error}") from error
    grant = oauth.Grant(
        access_token=session["accessJwt"], refresh_token=session["refreshJwt"],
        account_id=session["did"], account_name=session["handle"],
    )  # fmt: skip
    return credential_connect(workspace=workspace, platform="bluesky", grant=grant, by=by)


def credentials_refresh_due(*, within=None) -> int:
    """Refresh every connected token that expires soon (within each provider's `refresh_ahead`: an hour and a bit,
    Meta's some days); how many were renewed."""
    from . import oauth

    now = timezone.now()
    soon = Q()
    for provider in oauth.PROVIDERS.values():
        soon |= Q(platform=provider.platform, expires_at__lte=now + (within or provider.refresh_ahead))
    due = Credential.objects.filter(soon, needs_reconnecting=False).select_related("workspace")
    return sum(credential_refresh(credential=credential) for credential in due)


def _own_handle(*, workspace, platform: str, raw: str, profile: TrackedProfile | None = None) -> str:
    from competitors.services import clean_handle  # the one reading of what a person types as a handle

    try:
        handle = clean_handle(raw)
    except ValidationError as error:
        raise ValidationError({"handle": error.messages}) from error
    if not handle:
        raise ValidationError({"handle": "Give the account's handle."})
    taken = TrackedProfile.objects.filter(workspace=workspace, platform=platform, handle__iexact=handle)
    if profile is not None:
        taken = taken.exclude(pk=profile.pk)
    existing = taken.first()
    if existing is not None:
        whose = "one of the brand's own accounts" if existing.is_own else "followed as a competitor's"
        raise ValidationError({"handle": f"@{handle} on {existing.get_platform_display()} is already {whose}."})
    return handle


def own_profile_add(*, workspace, platform: str, handle: str, source: str) -> TrackedProfile:
    """Track one of the brand's own accounts; the next scheduled run pulls it."""
    handle = _own_handle(workspace=workspace, platform=platform, raw=handle)
    return TrackedProfile.objects.create(workspace=workspace, platform=platform, handle=handle, source=source)


def own_profile_update(*, profile: TrackedProfile, handle: str, source: str, is_active: bool) -> TrackedProfile:
    """Correct an own account's handle or source, or stop tracking it (its history stays).

    A changed handle or source is someone fixing the profile: a stop on the old identity no longer applies
    (TrackedProfile.pulls_are_stopped), and the next run pulls it.
    """
    handle = _own_handle(workspace=profile.workspace, platform=profile.platform, raw=handle, profile=profile)
    changed_identity = (handle, source) != (profile.handle, profile.source)
    profile.handle, profile.source, profile.is_active = handle, source, is_active
    fields = ["handle", "source", "is_active"]
    if changed_identity:
        profile.next_pull_at = None
        fields.append("next_pull_at")
    with transaction.atomic():
        before = profile_groups([profile.pk])
        profile.save(update_fields=fields)
        network_days_regroup(before=before)  # a stopped account's days move to its network's stopped ones
    return profile


def profile_pulls_resume(*, profile: TrackedProfile) -> None:
    """Pull a profile on its schedule again after a permanent outcome stopped it (someone says it is fixed)."""
    TrackedProfile.objects.filter(pk=profile.pk).update(pulls_stopped="", pulls_stopped_for="", next_pull_at=None)
    profile.pulls_stopped, profile.pulls_stopped_for, profile.next_pull_at = "", "", None


def pull_run(*, profile: TrackedProfile, kind: str = PullRun.Kind.SCHEDULED, backfill: bool = False) -> PullRun:
    """Pull a profile's figures and posts, continuing its interrupted run from its cursor if it has one.

    Returns the run; when another worker is pulling the profile right now, that run, untouched. Every failure
    is recorded on the run and the profile, then raised as a ConnectorError (anything that is not a platform's
    answer as PullCrashed, its traceback logged).
    """
    run, claimed = _run_claim(profile=profile, kind=kind, backfill=backfill)
    if not claimed:
        return run
    try:
        _pull(profile=profile, run=run)
    except RunTakenOver:
        logger.warning("Pull run %s was taken over by a newer attempt; this one stops.", run.pk)
        run.refresh_from_db()
        return run
    except ConnectorError as error:
        _record_failure(profile=profile, run=run, error=error)
        raise
    except Exception as error:
        logger.exception("Pull of %s (run %s) crashed", profile, run.pk)
        crashed = PullCrashed(f"{type(error).__name__}: {error}"[:2000])
        _record_failure(profile=profile, run=run, error=crashed)
        raise crashed from error
    return run


def _commit_without_waiting_for_disk() -> None:
    """A pull's rows are a copy of the platform's: should the database crash in the instant after the commit,
    the next pull writes them again. So its commits do not wait for the disk (PostgreSQL's asynchronous
    commit: never a corrupt or half-applied transaction, at worst the last fraction of a second lost), which
    spares each of a pull's steps a disk flush."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _run_claim(*, profile: TrackedProfile, kind: str, backfill: bool) -> tuple[PullRun, bool]:
    """(run, True): the run this attempt continues or starts, marked running under a new attempt number.
    (run, False): a live run already pulls what was asked; nothing to do.

    A backfill continues an open backfill (any other open run is replaced: the backfill pulls every page);
    any other pull continues whatever run is open, a backfill included.
    """
    now = timezone.now()
    with transaction.atomic():
        _commit_without_waiting_for_disk()
        # One claim at a time per profile: two workers given the same profile (a redelivered task, "Pull now"
        # during the scheduled pull) must not both continue its run. The lock lasts this short transaction; the
        # same query brings the workspace, whose time zone names the snapshot's day.
        locked = TrackedProfile.objects.select_for_update(of=("self",)).select_related("workspace").get(pk=profile.pk)
        if not TrackedProfile.workspace.is_cached(profile):
            profile.workspace = locked.workspace
        open_runs = list(
            PullRun.objects.filter(profile=profile, status__in=PullRun.OPEN_STATUSES).order_by("-started_at", "-pk")
        )
        candidates = [r for r in open_runs if r.kind == PullRun.Kind.BACKFILL] if backfill else open_runs
        run = candidates[0] if candidates else None
        if run is not None and run.is_live:
            return run, False
        for other in open_runs:
            if other is not run and not other.is_live:
                _close(
                    other,
                    PullRun.Status.FAILED,
                    "superseded",
                    "Replaced by a newer pull.",
                    now=now,
                    zone=_zone(profile),
                )
        if run is not None and run.status == PullRun.Status.RUNNING:
            run.failures += 1  # its worker died without a word: the reaper had not seen it yet
        if run is not None and run.failures >= MAX_FAILURES_WITHOUT_PROGRESS:
            _close(
                run,
                PullRun.Status.FAILED,
                run.error_kind or WorkerLost.kind,
                _given_up(run),
                now=now,
                zone=_zone(profile),
            )
            run = None
        if run is None:
            run = PullRun(profile=profile, kind=PullRun.Kind.BACKFILL if backfill else kind)
        if not run.cursor:
            # Not paging yet (or never got past the profile): the window is chosen now, the counts start at zero.
            run.since = None if run.kind == PullRun.Kind.BACKFILL else _posts_since(profile, now)
            run.pages_done = run.posts_done = 0
        run.status, run.attempts, run.heartbeat_at = PullRun.Status.RUNNING, run.attempts + 1, now
        run.retry_at = run.finished_at = None
        run.error_kind = run.error_message = ""
        run.save()
    return run, True


def _close(run: PullRun, status: str, error_kind: str, message: str, *, now, zone: ZoneInfo) -> None:
    """End an open run that no worker is pulling (in the claim, under the profile's lock), and add it to its day.
    Only if it is still as it was read: a worker presumed dead that ended it meanwhile counted it already."""
    changes = {"status": status, "finished_at": now, "error_kind": error_kind, "error_message": message}
    if PullRun.objects.filter(pk=run.pk, status=run.status, attempts=run.attempts).update(
        **changes, counted_in_day=True
    ):
        for field, value in changes.items():
            setattr(run, field, value)
        run.counted_in_day = True
        pull_run_day_add(run=run, zone=zone)


def _given_up(run: PullRun) -> str:
    return (
        f"Given up after {run.failures} attempts in a row without a new page "
        f"(last: {run.error_message or run.error_kind or 'the worker stopped'}); the next pull starts over."
    )[:2000]


def _advance(run: PullRun, *, stale_before=None, **changes) -> None:
    """Save changes to the run, with a new heartbeat, if this attempt still owns it (else RunTakenOver)."""
    changes.setdefault("heartbeat_at", timezone.now())
    owned = PullRun.objects.filter(pk=run.pk, attempts=run.attempts, status=PullRun.Status.RUNNING)
    if stale_before is not None:  # the reaper: only if the worker is still silent
        owned = owned.filter(
            Q(heartbeat_at__lt=stale_before) | Q(heartbeat_at__isnull=True, started_at__lt=stale_before)
        )
    if not owned.update(**changes):
        raise RunTakenOver(run.pk)
    for field, value in changes.items():
        setattr(run, field, value)


def _pull(*, profile: TrackedProfile, run: PullRun) -> None:
    connector = connector_for(profile)
    data = connector.fetch_profile(handle=profile.handle, external_id=profile.external_id)
    now = timezone.now()
    _save_profile_figures(profile=profile, run=run, connector=connector, data=data, now=now)
    followers_on = _followers_lookup(profile, since=run.since, current_followers=data.followers)
    limit = _pagination_limit(data.posts_count, connector.max_reachable_posts)
    seen = {run.cursor} if run.cursor else set()
    while True:
        page = connector.fetch_posts(
            external_id=profile.external_id, since=run.since, cursor=run.cursor or None, page_size=PAGE_SIZE
        )
        _check_pagination(run=run, page=page, seen=seen, limit=limit)
        if page.next_cursor:
            _commit_page(profile=profile, run=run, page=page, followers_on=followers_on, now=now)
            seen.add(page.next_cursor)
        else:
            _commit_last_page(profile=profile, run=run, page=page, followers_on=followers_on, now=now)
            return


def _save_profile_figures(*, profile, run: PullRun, connector, data, now) -> None:
    """The day's snapshot (and, when a backfill starts, the history the platform gives), with the run's progress."""
    today = now.astimezone(_zone(profile)).date()
    snapshots = [
        DailySnapshot(
            profile=profile,
            date=today,
            followers=data.followers,
            following=data.following,
            posts_count=data.posts_count,
        )
    ]
    backfill = run.kind == PullRun.Kind.BACKFILL
    history = getattr(connector, "followers_on", None)
    if backfill and not run.cursor and history is not None:
        # The demo platform and LinkedIn (its daily follower gains) give follower history; the other APIs give
        # today's count. A day the history does not reach (None) gets no snapshot.
        past = ((today - timedelta(days=n)) for n in range(1, SNAPSHOT_HISTORY_DAYS))
        snapshots += [
            DailySnapshot(profile=profile, date=day, followers=followers)
            for day in past
            if (followers := history(profile.handle, day)) is not None
        ]
    reachable = connector.max_reachable_posts
    expected = data.posts_count
    if expected is not None and reachable is not None:
        expected = min(expected, reachable)  # X lets anyone page back through its newest 3,200 posts only
    # Saved with the run's success (_commit_last_page), in the statement that records the profile's health.
    profile.external_id, profile.display_name = data.external_id, data.display_name or profile.display_name
    with transaction.atomic():
        _commit_without_waiting_for_disk()
        _advance(
            run,
            rows_written=run.rows_written + len(snapshots),
            posts_expected=expected if backfill else None,
            posts_on_platform=data.posts_count if backfill else None,
        )
        upsert_snapshots(snapshots)
        rollup_snapshots(profile, [snapshot.date for snapshot in snapshots])


def _pagination_limit(posts_count: int | None, reachable: int | None) -> tuple[int, int]:
    """(most posts, most pages) a run may take from a profile: what its own count (or the platform's reach)
    allows, with two pages to spare for posts published during the pull."""
    known = [n for n in (posts_count, reachable) if n is not None]
    posts = min(known) if known else UNCOUNTED_POSTS_LIMIT
    return posts + 2 * PAGE_SIZE, math.ceil(posts / SMALLEST_PAGE) + 2


def _check_pagination(*, run: PullRun, page: PostsPage, seen: set, limit: tuple[int, int]) -> None:
    """Stop a run whose pages do not end, instead of paging (and spending the rate budget) for ever."""
    most_posts, most_pages = limit
    if page.next_cursor and (page.next_cursor in seen or page.next_cursor == run.cursor):
        raise PaginationRunaway(
            f"The platform gave the same page cursor twice (after {run.pages_done + 1} pages): stopped paging."
        )
    if run.pages_done + 1 > most_pages or run.posts_done + len(page.posts) > most_posts:
        raise PaginationRunaway(
            f"The platform kept giving pages beyond what the profile can have ({run.pages_done + 1} pages, "
            f"{run.posts_done + len(page.posts)} posts): stopped paging."
        )


def _commit_page(*, profile, run: PullRun, page: PostsPage, followers_on, now) -> None:
    """One page of posts with the cursor of the next: a later attempt goes on from there."""
    with transaction.atomic():
        _commit_without_waiting_for_disk()
        _advance(run, **_progress(run, page), cursor=page.next_cursor, failures=0)
        upsert_posts(profile=profile, posts=page.posts, followers_on=followers_on, now=now)
        rollup_posts(profile, (post.published_at for post in page.posts))


def _commit_last_page(*, profile, run: PullRun, page: PostsPage, followers_on, now) -> None:
    """The last page, the run's success and the profile's health, together: no success without the last page."""
    with transaction.atomic():
        _commit_without_waiting_for_disk()
        done = timezone.now()
        _advance(
            run,
            **_progress(run, page),
            cursor="",
            failures=0,
            status=PullRun.Status.SUCCESS,
            finished_at=done,
            retry_at=None,
            counted_in_day=True,
        )
        upsert_posts(profile=profile, posts=page.posts, followers_on=followers_on, now=now)
        rollup_posts(profile, (post.published_at for post in page.posts))
        TrackedProfile.objects.filter(pk=profile.pk).update(
            external_id=profile.external_id,  # as the platform gave them (_save_profile_figures)
            display_name=profile.display_name,
            needs_attention=False,
            pulls_stopped="",  # "Pull now" or a backfill found the profile again
            pulls_stopped_for="",
            last_success_at=done,
            next_pull_at=_next_pull_at(profile, done),
        )
        pull_run_day_add(run=run, zone=_zone(profile))  # last: the day's row is locked until the commit


def _progress(run: PullRun, page: PostsPage) -> dict:
    written = len(page.posts)
    return {
        "pages_done": run.pages_done + 1,
        "posts_done": run.posts_done + written,
        "rows_written": run.rows_written + written,
    }


def _zone(profile: TrackedProfile) -> ZoneInfo:
    """The workspace's time zone: the day of a snapshot, and of a post, is the team's local day."""
    return ZoneInfo(profile.workspace.time_zone)


def _posts_since(profile: TrackedProfile, now):
    """Ask only for what still changes: posts due for a refresh and those published since the last complete
    pull began (a pull resumed hours later has not seen what was published after its first page), never older
    than the refresh horizon."""
    horizon = now - REFRESH_HORIZON
    covered = _last_complete_pull_began(profile)
    last = covered - timedelta(hours=1) if covered else horizon
    if last <= horizon:
        return horizon  # a first pull, or one after a long gap: the whole horizon, whatever is due
    due = Post.objects.filter(profile=profile, next_refresh_at__lte=now).aggregate(oldest=Min("published_at"))["oldest"]
    return max(horizon, min(due, last)) if due is not None else last


def _last_complete_pull_began(profile: TrackedProfile) -> datetime | None:
    if profile.last_success_at is None:
        return None
    began = (
        PullRun.objects.filter(profile=profile, status=PullRun.Status.SUCCESS)
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    return min(began, profile.last_success_at) if began else profile.last_success_at


def _next_pull_at(profile, now):
    soonest = Post.objects.filter(profile=profile, next_refresh_at__isnull=False).aggregate(t=Min("next_refresh_at"))[
        "t"
    ]
    regular = now + PROFILE_PULL_INTERVAL
    return min(soonest, regular) if soonest else regular


@dataclass(frozen=True)
class FailurePlan:
    status: str
    failures: int  # failed attempts in a row without a new page, this one included
    retry_at: datetime | None  # when the profile is pulled again; None: not by the schedule


def _failure_plan(*, error: ConnectorError, run: PullRun, now) -> FailurePlan:
    """What a failed attempt leaves behind, and when the profile is pulled again (its next_pull_at).

    | outcome                                   | the run               | next pull                            |
    |-------------------------------------------|-----------------------|--------------------------------------|
    | RateLimited                               | rate_limited, open    | at the platform's reset, >= 60 s     |
    | TransientError, UnexpectedReply (a        | interrupted, open     | after 30-60 s, 30-120 s, 30-240 s    |
    |   gateway's page)                         |                       |   (jittered), then the normal        |
    |                                           |                       |   schedule (6 hours)                 |
    | another refusal (ConnectorError)          | interrupted, open     | the normal schedule                  |
    | PullCrashed (a bug, a lost connection)    | interrupted, open     | the normal schedule                  |
    | WorkerLost (the reaper)                   | abandoned, open       | at once                              |
    | AuthExpired                               | needs_attention, open | when a new credential is saved       |
    | permanent (not found, invalid handle, not | closed                | never by the schedule: "Pull now", a |
    |   available, no live connector)           |                       |   backfill or a changed profile      |
    | PaginationRunaway                         | failed, closed        | the normal schedule, from page 1     |

    An open run continues from its cursor at the next pull. One that fails MAX_FAILURES_WITHOUT_PROGRESS
    attempts in a row without committing a page is closed as failed, so that the next pull starts over.
    Waits of a few minutes are also re-queued by the task (tasks.pull_profile); longer ones wait for the
    beat fan-out, never in the broker.
    """
    if error.permanent:
        return FailurePlan(_permanent_status(error), run.failures, None)
    if isinstance(error, PaginationRunaway):
        return FailurePlan(PullRun.Status.FAILED, run.failures, now + PROFILE_PULL_INTERVAL)
    if isinstance(error, RateLimited):
        return FailurePlan(PullRun.Status.RATE_LIMITED, run.failures, now + rate_limit_wait(error.retry_after))
    if isinstance(error, AuthExpired):
        return FailurePlan(PullRun.Status.NEEDS_ATTENTION, run.failures, None)
    failures = run.failures + 1
    if failures >= MAX_FAILURES_WITHOUT_PROGRESS:
        return FailurePlan(PullRun.Status.FAILED, failures, now + PROFILE_PULL_INTERVAL)
    if isinstance(error, WorkerLost):
        return FailurePlan(PullRun.Status.ABANDONED, failures, now)
    if isinstance(error, PullCrashed):
        return FailurePlan(PullRun.Status.INTERRUPTED, failures, now + PROFILE_PULL_INTERVAL)
    backoff = transient_backoff(failures) if isinstance(error, TransientError | UnexpectedReply) else None
    return FailurePlan(PullRun.Status.INTERRUPTED, failures, now + (backoff or PROFILE_PULL_INTERVAL))


def _permanent_status(error: ConnectorError) -> str:
    return next((s for cls, s in STATUS_FOR_PERMANENT.items() if isinstance(error, cls)), PullRun.Status.FAILED)


def _record_failure(*, profile: TrackedProfile, run: PullRun, error: ConnectorError, stale_before=None) -> bool:
    """Record a failed attempt on its run and its profile, and schedule the next pull (_failure_plan).
    False when another attempt owns the run now (nothing recorded) or the database refused the record (the
    run then stays running, and the reaper closes it)."""
    now = timezone.now()
    plan = _failure_plan(error=error, run=run, now=now)
    if plan.status == PullRun.Status.FAILED and plan.failures >= MAX_FAILURES_WITHOUT_PROGRESS:
        run.failures, run.error_message = plan.failures, str(error)
        message = _given_up(run)
    else:
        message = str(error)[:2000]
    ended = plan.status not in PullRun.OPEN_STATUSES  # else open: counted when a later attempt ends it
    try:
        with transaction.atomic():
            _advance(
                run,
                stale_before=stale_before,
                heartbeat_at=run.heartbeat_at,
                status=plan.status,
                finished_at=now,
                error_kind=error.kind,
                error_message=message,
                failures=plan.failures,
                retry_at=plan.retry_at,
                **({"counted_in_day": True} if ended else {}),
            )
            changes = {"last_error_at": now, "last_error_kind": error.kind, "last_error_message": message}
            if isinstance(error, AuthExpired):
                changes["needs_attention"] = True  # no more pulls until someone replaces the credential
            elif error.permanent:
                changes["pulls_stopped"], changes["pulls_stopped_for"] = error.kind, profile.pull_identity
                changes["next_pull_at"] = None  # due at once when the stop no longer applies (a changed handle)
            if plan.retry_at is not None:
                changes["next_pull_at"] = plan.retry_at
            TrackedProfile.objects.filter(pk=profile.pk).update(**changes)
            if isinstance(error, AuthExpired):  # the admins reconnect it: told once per run it stopped
                _ask_admins_to_reconnect(
                    profile.workspace,
                    dedupe_key=f"profile:{profile.pk}:needs_attention:run{run.pk}",
                    title=f"Reconnect {profile.get_platform_display()} @{profile.handle}: its connection expired",
                    body=f"Pulls of @{profile.handle} are stopped until a new connection is saved. {message}",
                )
            if ended:
                pull_run_day_add(run=run, zone=_zone(profile))
    except RunTakenOver:
        return False
    except Exception:
        logger.exception("Could not record the failure of pull run %s (%s)", run.pk, error.kind)
        return False
    return True


def pull_runs_reap() -> int:
    """Close the running runs whose worker went quiet (no heartbeat for heartbeat_stale_after()): each is left
    open as abandoned, saying where it stopped, and its profile made due, so that the next pull resumes it from
    its cursor. Returns how many were closed."""
    stale_before = timezone.now() - heartbeat_stale_after()
    quiet = (
        PullRun.objects.filter(status=PullRun.Status.RUNNING)
        .filter(Q(heartbeat_at__lt=stale_before) | Q(heartbeat_at__isnull=True, started_at__lt=stale_before))
        .select_related("profile")
    )
    closed = 0
    for run in quiet:
        error = WorkerLost(_where_it_stopped(run))
        closed += _record_failure(profile=run.profile, run=run, error=error, stale_before=stale_before)
    return closed


def _where_it_stopped(run: PullRun) -> str:
    if not run.pages_done:
        return "The worker stopped before it saved a page; the next pull starts this run again."
    total = math.ceil(run.posts_expected / PAGE_SIZE) if run.posts_expected else None
    of = f" of {total}" if total and total >= run.pages_done else ""
    return f"The worker stopped after {run.pages_done}{of} pages; the next pull resumes from there."


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


def upsert_posts(*, profile: TrackedProfile, posts: list[PostData], followers_on, now) -> int:
    """One row per post, holding the newest figures and its engagement rate (a bulk upsert); `followers_on(day)`
    gives the followers on the (local) day of posting (_followers_lookup)."""
    if not posts:
        return 0
    zone = _zone(profile)
    rows = []
    for post in posts:
        total = interactions(post.likes, post.comments, post.shares)
        followers = followers_on(post.published_at.astimezone(zone).date())
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


def _followers_lookup(profile, *, since, current_followers):
    """followers_on(day): the snapshot of that (local) day, else the closest earlier one, else today's count.

    Read once per attempt, for every page: from a week before the window (`since`), or all of them for a
    backfill (one row per day at most), after the attempt's own snapshot is written.
    """
    known = DailySnapshot.objects.filter(profile=profile).order_by("date")
    if since is not None:
        known = known.filter(date__gte=since.astimezone(_zone(profile)).date() - timedelta(days=7))
    known = list(known.values_list("date", "followers"))
    days = [d for d, _ in known]

    def followers_on(day: date) -> int:
        i = bisect.bisect_right(days, day)
        return known[i - 1][1] if i else current_followers

    return followers_on


def _ask_admins_to_reconnect(workspace, *, dedupe_key: str, title: str, body: str) -> None:
    """One rule for "this connection must be renewed": the workspace's admins, told once per event (dedupe_key)."""
    notify(
        workspace=workspace,
        kind="connection_needs_attention",
        dedupe_key=dedupe_key,
        recipients=Membership.objects.filter(workspace=workspace, role=Role.ADMIN),
        title=title,
        body=body,
        link=reverse("metrics:connections"),
    )
