"""Reads of the metrics pages that are not figures (those are metrics/figures.py): profiles, top and flop
posts, pull runs; each in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import F, Value
from django.utils import timezone

from . import figures
from .models import Post, PullRun, TrackedProfile


def workspace_profiles(*, workspace, own_only: bool = False):
    profiles = TrackedProfile.objects.filter(workspace=workspace, is_active=True).order_by(
        "-is_own", "platform", "handle"
    )
    return profiles.filter(is_own=True) if own_only else profiles


FLOP_MIN_AGE = timedelta(days=2)


def top_and_flop(*, workspace, start: date, end: date, platform: str = "", limit: int = 20):
    """The period's best and worst posts by engagement rate (by followers), own accounts only, as dicts.

    Ranked per profile, from the index that leads with the profile and its rate (post_profile_rate): each
    profile's N best (and 2N worst) posts of the period, read from its highest (lowest) rate on until N are found,
    all profiles in one UNION ALL query; the best of those are merged here and only the chosen rows loaded with
    their account. The flop ranking takes `2 * limit` so that it still has `limit` posts once those that made
    the top are dropped. Three queries, whatever the number of posts or of workspaces in the database.
    """
    since, until = figures.period_bounds(workspace=workspace, start=start, end=end)
    # A post younger than two days is still gathering engagement: too early to call it a flop.
    settled_before = timezone.now() - FLOP_MIN_AGE
    profiles = TrackedProfile.objects.filter(workspace=workspace, is_own=True)
    if platform:
        profiles = profiles.filter(platform=platform)
    ids = list(profiles.values_list("pk", flat=True))
    if not ids:
        return [], []
    period = Post.objects.filter(published_at__gte=since, published_at__lt=until, engagement_rate__isnull=False)
    top_order, flop_order = ("-engagement_rate", "-published_at"), ("engagement_rate", "-published_at")
    parts = []
    for pk in ids:
        mine = period.filter(profile_id=pk)
        parts.append(_ranking(mine, TOP, top_order, limit))
        parts.append(_ranking(mine.filter(published_at__lt=settled_before), FLOP, flop_order, 2 * limit))
    candidates = list(parts[0].union(*parts[1:], all=True)) if len(parts) > 1 else list(parts[0])
    top = sorted((c for c in candidates if c[0] == TOP), key=lambda c: (-c[2], -c[3].timestamp()))[:limit]
    flop = sorted((c for c in candidates if c[0] == FLOP), key=lambda c: (c[2], -c[3].timestamp()))[: 2 * limit]
    fields = ["pk", "published_at", "text", "permalink", "media_type", "likes", "comments", "shares", "views"]
    fields += ["engagement_rate", "followers_at_posting"]
    rows = Post.objects.filter(pk__in={c[1] for c in top + flop}).values(
        *fields, platform=F("profile__platform"), handle=F("profile__handle")
    )
    loaded = {row["pk"]: row for row in rows}
    shown = {c[1] for c in top}
    return [loaded[c[1]] for c in top], [loaded[c[1]] for c in flop if c[1] not in shown][:limit]


TOP, FLOP = 0, 1


def _ranking(posts, kind: int, order: tuple[str, ...], count: int):
    return (
        posts.order_by(*order)
        .annotate(kind=Value(kind))
        .values_list("kind", "pk", "engagement_rate", "published_at")[:count]
    )


def open_pull_runs(*, profiles) -> dict[int, PullRun]:
    """Per profile, its open run if it has one: running, or stopped half-way and waiting to resume (one query).

    A backfill wins over another open run of the same profile: its progress is what the page shows.
    """
    runs = PullRun.objects.filter(profile__in=list(profiles), status__in=PullRun.OPEN_STATUSES).order_by(
        "profile_id", "-started_at"
    )
    result: dict[int, PullRun] = {}
    for run in runs:
        shown = result.get(run.profile_id)
        if shown is None or (run.kind == PullRun.Kind.BACKFILL and shown.kind != PullRun.Kind.BACKFILL):
            result[run.profile_id] = run
    return result


@dataclass(frozen=True)
class PullStatus:
    """Where a pull or backfill a person asked for stands, as the connections page follows it live.

    state: queued, running, done or failed; `final` once it will not move any more (polling stops).
    """

    state: str
    final: bool
    kind: str  # "pull" or "backfill"
    pages: int = 0
    posts: int = 0
    posts_expected: int | None = None
    reason: str = ""
    waiting_for_queue: bool = False  # the task queue has not taken it yet (the outbox hands it over later)
    resumes_at: datetime | None = None


def pull_run_for_action(*, action) -> PullRun | None:
    """The run the action's attempt claimed or joined: the profile's run that showed life since the action started."""
    if action.started_at is None:
        return None
    return (
        PullRun.objects.filter(
            profile_id=action.arguments.get("profile_id"),
            profile__workspace_id=action.workspace_id,
            heartbeat_at__gte=action.started_at,
        )
        .order_by("-heartbeat_at", "-pk")
        .first()
    )


def pull_status(*, action, run: PullRun | None) -> PullStatus:
    """The action's state, told by the pull run once a worker works on it.

    The task records a platform's refusal on the run and ends without raising, so the outbox says "done" for a
    pull that failed: the run's status is the truth then.
    """
    kind = "backfill" if action.arguments.get("backfill") else "pull"
    progress = {
        "pages": run.pages_done if run else 0,
        "posts": run.posts_done if run else 0,
        "posts_expected": run.posts_expected if run else None,
    }
    state = action.state
    if state in ("waiting", "queued", "retrying"):
        return PullStatus("queued", False, kind, waiting_for_queue=state == "waiting", **progress)
    if state == "running" or (run is not None and run.status == PullRun.Status.RUNNING and run.is_live):
        return PullStatus("running", False, kind, **progress)
    if state == "failed":
        return PullStatus("failed", True, kind, reason=action.last_error, **progress)
    if run is None or run.status == PullRun.Status.SUCCESS:
        return PullStatus("done", True, kind, **progress)
    reason = run.error_message or run.get_status_display()
    return PullStatus("failed", True, kind, reason=reason, resumes_at=run.retry_at, **progress)
