"""Reads of the metrics pages that are not figures (those are metrics/figures.py): profiles, top and flop
posts, pull runs; each in a fixed number of queries."""

from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import (
    BooleanField,
    Case,
    F,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.utils import timezone

from . import figures
from .models import ConnectedAccount, Credential, NetworkHour, Post, PullRun, TrackedProfile, connection_problem
from .platforms import label_of


@dataclass(eq=False)
class ProfileRow:
    """A tracked profile as the pages that list many read it: the columns they print and group by, not a model
    instance (309 of them cost a few milliseconds). Pages may set what they add (a benchmark's last pull)."""

    pk: int
    platform: str
    handle: str
    is_own: bool
    is_active: bool = True
    competitor_id: int | None = None

    @property
    def platform_label(self) -> str:
        return label_of(self.platform)

    def get_platform_display(self) -> str:
        return label_of(self.platform)


PROFILE_ROW_FIELDS = tuple(f.name for f in dataclass_fields(ProfileRow))  # read in this order, passed by position


def profile_rows(profiles: QuerySet) -> list[ProfileRow]:
    """`profiles` (annotated with `competitor_id`) as rows, in one query; the columns are ProfileRow's, in its
    order, passed by position (a keyword dict per row cost a fifth of the read at 309 profiles)."""
    return [ProfileRow(*row) for row in profiles.values_list(*PROFILE_ROW_FIELDS)]


def workspace_profiles(*, workspace, own_only: bool = False):
    profiles = TrackedProfile.objects.filter(workspace=workspace, is_active=True).order_by(
        "-is_own", "platform", "handle"
    )
    return profiles.filter(is_own=True) if own_only else profiles


def connection_profiles(*, workspace):
    """The connections page's profiles, those with a problem first (what the team home's "Connection health"
    lists: needs attention, handle unknown, network not available, pulls stopped), then as everywhere else."""
    has_problem = Case(When(connection_problem(), then=True), default=False, output_field=BooleanField())
    return (
        workspace_profiles(workspace=workspace)
        .alias(has_problem=has_problem)
        .order_by("-has_problem", "-is_own", "platform", "handle")
    )


def workspace_credentials(*, workspace) -> list[Credential]:
    """The workspace's platform credentials with the member who connected each and the accounts chosen through
    them (the page names them)."""
    return list(
        Credential.objects.filter(workspace=workspace)
        .select_related("connected_by")
        .prefetch_related(Prefetch("accounts", queryset=ConnectedAccount.objects.select_related("profile")))
    )


def tracked_external_ids(*, workspace, platform: str) -> set[str]:
    """The platform ids of the workspace's own profiles on a network (the choice page ticks them)."""
    return set(
        TrackedProfile.objects.filter(workspace=workspace, platform=platform, is_own=True)
        .exclude(external_id="")
        .values_list("external_id", flat=True)
    )


APP_CONNECTIONS_SHOWN = 50


def app_connections(*, workspace) -> list[Credential]:
    """The network connections a member made through the app's consent screens (or Bluesky's sign-in), with who,
    when, the permissions granted and the accounts chosen (the audit's access register lists them). One per
    network: bounded by the networks."""
    return list(
        Credential.objects.filter(workspace=workspace, connected_at__isnull=False)
        .select_related("connected_by")
        .prefetch_related(Prefetch("accounts", queryset=ConnectedAccount.objects.select_related("profile")))
        .order_by("platform")[:APP_CONNECTIONS_SHOWN]
    )


FLOP_MIN_AGE = timedelta(days=2)


def top_and_flop(*, workspace, start: date, end: date, platform: str = "", limit: int = 20):
    """The period's best and worst posts by engagement rate (by followers), own accounts only, as dicts.

    Each ranking reads only the index entries past a threshold (post_profile_rate leads with the profile and its
    rate, so that a workspace reads only its own profiles' entries, however many workspaces share the database).
    The thresholds come from the brand's hours of the period (metrics.NetworkHour, written with the posts): the
    `limit`-th best of the hours' best rates is a rate that at least `limit` posts reach (each hour's best is a
    post of its own), and the 2 * `limit`-th lowest of the settled days' worst rates one that as many settled posts
    go down to; read with the profiles' ids, a few thousand index entries whatever the number of posts. Should a
    ranking find fewer posts past its threshold than it asked for (a roll-up not written yet), it ranks again
    without it. The flop ranking takes `2 * limit` so that it still has `limit` posts once those that made the top
    are dropped. Four queries, whatever the number of posts or profiles.
    """
    since, until = figures.period_bounds(workspace=workspace, start=start, end=end)
    # A post younger than two days is still gathering engagement: too early to call it a flop.
    settled_before = timezone.now() - FLOP_MIN_AGE
    profiles = TrackedProfile.objects.filter(workspace=workspace, is_own=True)
    hours = NetworkHour.objects.filter(
        entity_network__workspace=workspace, entity_network__competitor__isnull=True, date__gte=start, date__lte=end
    )
    if platform:
        profiles = profiles.filter(platform=platform)
        hours = hours.filter(entity_network__platform=platform)
    # Whole local days before the one the settling time falls on: every post of their hours is settled.
    settled_hours = hours.filter(date__lt=timezone.localtime(settled_before, ZoneInfo(workspace.time_zone)).date())
    rows = list(
        profiles.annotate(
            top_at_least=Subquery(hours.order_by("-best_rate").values("best_rate")[limit - 1 : limit]),
            flop_at_most=Subquery(settled_hours.order_by("worst_rate").values("worst_rate")[2 * limit - 1 : 2 * limit]),
        ).values_list("pk", "top_at_least", "flop_at_most")
    )
    if not rows:
        return [], []
    ids = [row[0] for row in rows]
    top_at_least, flop_at_most = rows[0][1:]
    period = Post.objects.filter(
        profile_id__in=ids, published_at__gte=since, published_at__lt=until, engagement_rate__isnull=False
    )
    settled = period.filter(published_at__lt=settled_before)
    top_order, flop_order = ("-engagement_rate", "-published_at"), ("engagement_rate", "-published_at")

    def ranked(posts, past: Q | None, order, count) -> list[int]:
        # The ranking's ids, from the index alone (post_profile_rate carries the rate, the day and the id): ranked
        # on the rows themselves, every post past the threshold was read from the table.
        found = list(posts.filter(past or Q()).order_by(*order).values_list("pk", flat=True)[:count])
        if past is not None and len(found) < count:
            return ranked(posts, None, order, count)
        return found

    top = ranked(period, None if top_at_least is None else Q(engagement_rate__gte=top_at_least), top_order, limit)
    in_top = set(top)
    flop_past = None if flop_at_most is None else Q(engagement_rate__lte=flop_at_most)
    flop = [pk for pk in ranked(settled, flop_past, flop_order, 2 * limit) if pk not in in_top][:limit]
    fields = ["pk", "published_at", "text", "permalink", "media_type", "likes", "comments", "shares", "views"]
    fields += ["engagement_rate", "followers_at_posting"]
    # Then the rows of both rankings, in one query on their ids.
    rows = (
        Post.objects.filter(pk__in=top + flop)
        .order_by()
        .values(*fields, platform=F("profile__platform"), handle=F("profile__handle"))
    )
    by_pk = {row["pk"]: row for row in rows}
    return [by_pk[pk] for pk in top], [by_pk[pk] for pk in flop]


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
