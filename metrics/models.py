"""What the metrics pipeline stores: profiles it tracks, their daily figures, their posts, and each pull."""

from django.conf import settings
from django.db import models
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Concat, Lower
from django.utils import timezone

from accounts.models import Workspace

from .connectors.base import HandleNotFound, InvalidHandle, NoLiveConnector, NotAvailable
from .platforms import NO_COMPETITOR_DATA, Platform, account_name, label_of
from .refresh import heartbeat_stale_after


class PullsStopped(models.TextChoices):
    """Why scheduled pulls of a profile stopped: a permanent answer that asking again cannot change."""

    NOT_FOUND = HandleNotFound.kind, "Handle unknown, suspended or protected"
    INVALID_HANDLE = InvalidHandle.kind, "Not a handle on this network"
    NOT_AVAILABLE = NotAvailable.kind, "Not available through the API"
    NO_CONNECTOR = NoLiveConnector.kind, "No live connector for this network"


def _pull_identity():
    return Concat("platform", Value(":"), "source", Value(":"), "handle", output_field=CharField())


def never_available() -> Q:
    """A competitor's account on a network that gives no other brand's figures (NO_COMPETITOR_DATA): never pulled,
    and nothing a person can fix."""
    return Q(is_own=False, platform__in=list(NO_COMPETITOR_DATA))


def connection_problem() -> Q:
    """A profile that needs attention, whose handle is unknown or whose network is not available, or whose pulls
    were stopped (passing errors retry on their own): the team home's "Connection health", the connections page's
    first rows. Not a competitor's account on a network that never gives its figures: that is said on its row."""
    problem = Q(needs_attention=True) | Q(last_error_kind__in=["not_found", "not_available"]) | ~Q(pulls_stopped="")
    return problem & ~never_available()


class TrackedProfileQuerySet(models.QuerySet):
    def with_pulls_running(self):
        """Profiles whose scheduled pulls are not stopped (see TrackedProfile.pulls_are_stopped)."""
        return self.alias(identity=_pull_identity()).filter(Q(pulls_stopped="") | ~Q(pulls_stopped_for=F("identity")))

    def with_connection_problems(self):
        """What the team home's "Connection health" lists: a profile that needs attention, whose handle is unknown
        or whose network is not available, or whose pulls were stopped (passing errors retry on their own)."""
        return self.filter(connection_problem())


class TrackedProfile(models.Model):
    """One account on one network whose figures we pull: the brand's own or a competitor's."""

    class Source(models.TextChoices):
        DEMO = "demo", "Demo (generated figures)"
        LIVE = "live", "Live platform API"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="tracked_profiles")
    platform = models.CharField(max_length=16, choices=Platform.choices)
    handle = models.CharField(max_length=100, help_text="The username or page name, without @.")
    external_id = models.CharField(
        max_length=64, blank=True, help_text="The platform's own id, filled by the first pull."
    )
    display_name = models.CharField(max_length=150, blank=True)
    is_own = models.BooleanField(default=True, help_text="The brand's own account (unticked: a competitor's).")
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.DEMO)
    is_active = models.BooleanField(default=True, help_text="Inactive profiles are kept but no longer pulled.")
    created_at = models.DateTimeField(auto_now_add=True)
    # Connection health, kept on the row so the connections page needs no per-profile query.
    needs_attention = models.BooleanField(
        default=False, help_text="The token expired or was revoked: no pull until someone fixes the credential."
    )
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_error_kind = models.CharField(max_length=32, blank=True)
    last_error_message = models.TextField(blank=True)
    next_pull_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # A permanent outcome (not found, not available, ...) stops the scheduled pulls of what it was said about:
    # pulls_stopped_for holds that network, source and handle. Changing any of them, however it is changed
    # (the admin, the competitors page, a script), is someone fixing the profile: the stop no longer applies.
    # "Pull now" and a backfill still run, and a success clears the stop.
    pulls_stopped = models.CharField(
        max_length=32, blank=True, choices=PullsStopped.choices, help_text="Why scheduled pulls stopped."
    )
    pulls_stopped_for = models.CharField(max_length=200, blank=True)

    objects = TrackedProfileQuerySet.as_manager()

    class Meta:
        ordering = ["platform", "handle"]
        constraints = [
            # Handles are case-insensitive on every network: @Acme and @acme are one account.
            models.UniqueConstraint(
                F("workspace"), F("platform"), Lower("handle"), name="one_tracked_profile_per_handle_any_case"
            ),
        ]

    def __str__(self):
        return account_name(self.platform, self.handle)

    @property
    def platform_label(self) -> str:
        """As get_platform_display, from a dict built once (the lists print one per row)."""
        return label_of(self.platform)

    @property
    def pull_identity(self) -> str:
        """What a permanent outcome was about; the same expression as _pull_identity, in Python."""
        return f"{self.platform}:{self.source}:{self.handle}"

    @property
    def never_available(self) -> str:
        """Why this account is never pulled (a competitor's on a network that gives no other brand's figures), or ""."""
        return "" if self.is_own else NO_COMPETITOR_DATA.get(self.platform, "")

    @property
    def pulls_are_stopped(self) -> bool:
        """True while the permanent outcome that stopped the scheduled pulls still applies to this profile."""
        return bool(self.pulls_stopped) and self.pulls_stopped_for == self.pull_identity


class DailySnapshot(models.Model):
    """A profile's figures on one day; a later pull the same day updates it."""

    profile = models.ForeignKey(TrackedProfile, on_delete=models.CASCADE, related_name="snapshots")
    date = models.DateField()
    followers = models.PositiveIntegerField()
    following = models.PositiveIntegerField(null=True, blank=True)
    posts_count = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["profile", "date"]
        constraints = [models.UniqueConstraint(fields=["profile", "date"], name="one_snapshot_per_profile_per_day")]

    def __str__(self):
        return f"{self.profile} on {self.date}: {self.followers} followers"


class ProfileDay(models.Model):
    """A profile's figures on one local day of its workspace's time zone: the daily roll-up every page reads.

    Written by the pull in the transaction of the snapshots and posts it rolls up (metrics/rollup.py), and by
    `manage.py rollup_rebuild` from the raw rows. Sums, not means, so that any period adds its days up: the
    period's engagement rate is rate_sum / rated_posts (the mean over its posts), its rate by impressions
    view_rate_sum / viewed_posts.
    """

    profile = models.ForeignKey(TrackedProfile, on_delete=models.CASCADE, related_name="days")
    date = models.DateField()
    followers = models.PositiveIntegerField(null=True, blank=True, help_text="At the day's end; empty: no snapshot.")
    follower_change = models.IntegerField(default=0, help_text="Since the previous known count (0 for the first).")
    posts = models.PositiveIntegerField(default=0)
    interactions = models.PositiveBigIntegerField(default=0)
    impressions = models.PositiveBigIntegerField(null=True, blank=True, help_text="Sum of the known views.")
    reach = models.PositiveBigIntegerField(null=True, blank=True, help_text="Where a platform gives it (none yet).")
    rated_posts = models.PositiveIntegerField(default=0, help_text="Posts with an engagement rate.")
    rate_sum = models.FloatField(default=0.0, help_text="Sum of those posts' engagement rates.")
    viewed_posts = models.PositiveIntegerField(default=0, help_text="Posts with views.")
    view_rate_sum = models.FloatField(default=0.0, help_text="Sum of those posts' interactions / views.")

    class Meta:
        ordering = ["profile", "date"]
        constraints = [models.UniqueConstraint(fields=["profile", "date"], name="one_profile_day")]
        indexes = [
            # A period's sums per profile, from the index alone (PostgreSQL; other databases skip the extras).
            models.Index(
                fields=["profile", "date"],
                include=[
                    "posts",
                    "interactions",
                    "rated_posts",
                    "rate_sum",
                    "impressions",
                    "viewed_posts",
                    "view_rate_sum",
                ],
                name="profileday_period",
            ),
            # The follower count at a period's ends: the last known day on or before a date, from the index.
            models.Index(
                fields=["profile", "-date"],
                include=["followers"],
                condition=Q(followers__isnull=False),
                name="profileday_known_followers",
            ),
        ]

    def __str__(self):
        return f"{self.profile} on {self.date}"


class EntityNetwork(models.Model):
    """An entity's profiles on one network: the brand's own (no competitor) or one competitor's, the active ones or
    the stopped ones. Its row is what the writers of its days lock (metrics/network_days.py): one lock per group,
    taken in key order, so each day's running totals are summed from the day before as the last committed writer
    left it. `entity` is the benchmark's key of it: "brand" or "c<competitor pk>"."""

    BRAND = "brand"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="entity_networks")
    competitor = models.ForeignKey(
        "competitors.Competitor", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    platform = models.CharField(max_length=16, choices=Platform.choices)
    active = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "platform", "active"],
                condition=Q(competitor__isnull=True),
                name="one_brand_network",
            ),
            models.UniqueConstraint(
                fields=["workspace", "competitor", "platform", "active"],
                condition=Q(competitor__isnull=False),
                name="one_competitor_network",
            ),
        ]

    def __str__(self):
        return f"{self.entity} on {self.platform} ({'active' if self.active else 'stopped'})"

    @property
    def entity(self) -> str:
        return entity_key(self.competitor_id)


def entity_key(competitor_id: int | None) -> str:
    """The benchmark's key of an entity: "brand" (no competitor) or "c<competitor pk>"."""
    return EntityNetwork.BRAND if competitor_id is None else f"c{competitor_id}"


def entity_competitor_id(key: str) -> int | None:
    """The competitor of an entity's key (None: the brand)."""
    return None if key == EntityNetwork.BRAND else int(key.removeprefix("c"))


class NetworkDay(models.Model):
    """An entity's figures on one network and local day, summed over its profiles' days (ProfileDay): the roll-up
    that the pages showing totals per network or entity read (metrics.figures.network_figures).

    `followers` is what the figures of the profiles add up to: each profile's last known count on or before the day
    (a profile without a snapshot that day counts with its previous one; one without any yet, not at all), summed.
    It is the running sum of the days' `followers_first + follower_change`, kept from the day before.
    """

    entity_network = models.ForeignKey(EntityNetwork, on_delete=models.CASCADE, related_name="days")
    date = models.DateField()
    followers = models.BigIntegerField(null=True, blank=True, help_text="At the day's end; empty: none counted yet.")
    profiles_counted = models.PositiveIntegerField(default=0, help_text="Profiles with a count on or before the day.")
    followers_first = models.BigIntegerField(default=0, help_text="The first counts of the profiles first counted.")
    profiles_first = models.PositiveIntegerField(default=0, help_text="Profiles counted for the first time.")
    follower_change = models.BigIntegerField(default=0, help_text="The profiles' changes since their previous count.")
    posts = models.PositiveIntegerField(default=0)
    interactions = models.PositiveBigIntegerField(default=0)
    impressions = models.PositiveBigIntegerField(null=True, blank=True)
    reach = models.PositiveBigIntegerField(null=True, blank=True)
    rated_posts = models.PositiveIntegerField(default=0)
    rate_sum = models.FloatField(default=0.0)
    viewed_posts = models.PositiveIntegerField(default=0)
    view_rate_sum = models.FloatField(default=0.0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entity_network", "date"], name="one_network_day")]

    def __str__(self):
        return f"{self.entity_network} on {self.date}"


class NetworkHour(models.Model):
    """An entity's rated posts on one network in one local hour of one local day: how many, their engagement rates
    summed, the best and the worst. The best times heatmap (metrics/best_time.py) adds up a few thousand of these
    rows instead of grouping every post of 16 weeks by hour; top and flop (metrics.selectors.top_and_flop) take its
    thresholds from the best and worst rates of the period's hours. Written with the group's days
    (metrics/network_hours.py), summed again from the posts, never adjusted by deltas; an hour without a rated post
    has no row."""

    entity_network = models.ForeignKey(EntityNetwork, on_delete=models.CASCADE, related_name="hours")
    date = models.DateField()
    hour = models.PositiveSmallIntegerField(help_text="0-23, in the workspace's time zone.")
    rated_posts = models.PositiveIntegerField(default=0)
    rate_sum = models.FloatField(default=0.0)
    best_rate = models.FloatField()
    worst_rate = models.FloatField()

    class Meta:
        # The upsert's conflict target: a plain unique constraint, since one with `include` exists on PostgreSQL only
        # (SQLite, `make run`'s database, would have no constraint for ON CONFLICT to match).
        constraints = [models.UniqueConstraint(fields=["entity_network", "date", "hour"], name="one_network_hour")]
        indexes = [
            # Carries the figures, so that both reads are index-only scans of the period's entries (PostgreSQL;
            # other databases skip the extras).
            models.Index(
                fields=["entity_network", "date", "hour"],
                include=["rated_posts", "rate_sum", "best_rate", "worst_rate"],
                name="networkhour_period",
            )
        ]

    def __str__(self):
        return f"{self.entity_network} on {self.date} at {self.hour:02d}:00"


class Post(models.Model):
    """One published post with its latest engagement figures.

    `interactions` = likes + comments + shares (reposts); `engagement_rate` = interactions divided by
    the profile's followers on the day of posting (metrics/engagement.py holds the one definition).
    """

    profile = models.ForeignKey(TrackedProfile, on_delete=models.CASCADE, related_name="posts")
    external_id = models.CharField(max_length=64)
    published_at = models.DateTimeField()
    text = models.TextField(blank=True)
    permalink = models.URLField(max_length=500, blank=True)
    media_type = models.CharField(max_length=32, blank=True)
    # Empty when the platform does not give the figure (a competitor's hidden like counts): unknown, not zero.
    likes = models.PositiveIntegerField(null=True, blank=True, default=0)
    comments = models.PositiveIntegerField(null=True, blank=True, default=0)
    shares = models.PositiveIntegerField(
        null=True, blank=True, default=0, help_text="Shares, reposts or retweets (+ quotes on X)."
    )
    views = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Views or impressions, when the platform gives them."
    )
    interactions = models.PositiveIntegerField(default=0)
    followers_at_posting = models.PositiveIntegerField(null=True, blank=True)
    engagement_rate = models.FloatField(null=True, blank=True)
    last_refreshed_at = models.DateTimeField(null=True, blank=True)
    # Figures move less as a post ages: see metrics.refresh for the schedule; null = no longer refreshed.
    next_refresh_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at"]
        constraints = [models.UniqueConstraint(fields=["profile", "external_id"], name="one_post_per_external_id")]
        # The index carries the columns that top and flop rank on; every index leads with the profile, so that
        # one workspace's reads stay as fast with a hundred workspaces in the database (metrics.selectors).
        indexes = [
            models.Index(
                fields=["profile", "-published_at"],
                include=["engagement_rate", "interactions"],
                name="post_profile_period",
            ),
            # Top and flop of a long period: per profile, read from the highest (or lowest) rate down, the scan
            # stops at the N-th post of the period instead of ranking every post of the period.
            models.Index(
                fields=["profile", "engagement_rate", "published_at"], include=["id"], name="post_profile_rate"
            ),
        ]

    def __str__(self):
        return f"{self.profile} {self.published_at:%Y-%m-%d}: {self.text[:40]}"


class PullRun(models.Model):
    """One pull of a profile, from its first attempt to its outcome, kept so the UI can show each connection's health.

    A run commits page by page and saves its cursor with each page. An attempt stopped by a rate limit, a
    failure or a dead worker leaves the run open (OPEN_STATUSES): the next pull of the profile continues
    the same run from its cursor, with the same window (`since`), instead of starting again at page 1.
    """

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        MANUAL = "manual", "Pull now"
        BACKFILL = "backfill", "Backfill"

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCESS = "success", "Success"
        FAILED = "failed", "Failed"
        RATE_LIMITED = "rate_limited", "Rate limited, retrying"
        NEEDS_ATTENTION = "needs_attention", "Needs attention"
        NOT_FOUND = "not_found", "Handle unknown, suspended or protected"
        INTERRUPTED = "interrupted", "Interrupted, resumes at the next pull"
        ABANDONED = "abandoned", "Worker stopped, resumes at the next pull"

    profile = models.ForeignKey(TrackedProfile, on_delete=models.CASCADE, related_name="pull_runs")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SCHEDULED)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error_kind = models.CharField(max_length=64, blank=True)
    error_message = models.TextField(blank=True)
    rows_written = models.PositiveIntegerField(default=0)
    # Backfill progress: posts stored so far and how many the platform lets us reach: its own count of the
    # profile's posts (posts_on_platform), capped by what it lets anyone page back through (X: 3,200).
    posts_done = models.PositiveIntegerField(default=0)
    posts_expected = models.PositiveIntegerField(null=True, blank=True)
    posts_on_platform = models.PositiveIntegerField(null=True, blank=True)
    retry_at = models.DateTimeField(null=True, blank=True, help_text="When an interrupted pull is tried again.")
    # Where the next attempt goes on: the platform's cursor for the next page ("" = from the first page) and
    # the window the pages were asked for (a cursor is only valid with the same query).
    cursor = models.TextField(blank=True)
    since = models.DateTimeField(null=True, blank=True, help_text="Posts published after this; empty: all of them.")
    pages_done = models.PositiveIntegerField(default=0)
    # Moved by the worker after each committed step; a running run whose heartbeat stops is abandoned.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # Each attempt takes the next number and writes only while the run still carries it, so that a worker
    # presumed dead that wakes up cannot write over the attempt that took its place.
    attempts = models.PositiveIntegerField(default=0)
    failures = models.PositiveSmallIntegerField(default=0, help_text="Failed attempts since the last new page.")
    # Set with the run's outcome, in the transaction that adds the run to its PullRunDay (metrics/pull_run_days.py):
    # a run is counted in its day once, whoever counts it (the pull, the migration, the prune's safety net).
    counted_in_day = models.BooleanField(default=False)

    OPEN_STATUSES = frozenset(
        {Status.RUNNING, Status.INTERRUPTED, Status.RATE_LIMITED, Status.ABANDONED, Status.NEEDS_ATTENTION}
    )

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["profile", "-started_at"], name="pullrun_profile_started"),
            # The open runs and the failures (connections page): a few rows next to a year of successful pulls.
            models.Index(
                fields=["profile", "-started_at"], condition=~Q(status="success"), name="pullrun_profile_unsuccessful"
            ),
            # The reaper's question, asked every few minutes: which running runs went quiet.
            models.Index(fields=["heartbeat_at"], condition=Q(status="running"), name="pullrun_running_heartbeat"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} pull of {self.profile} at {self.started_at:%Y-%m-%d %H:%M}: {self.status}"

    @property
    def last_sign_of_life(self):
        return self.heartbeat_at or self.started_at

    @property
    def is_live(self) -> bool:
        """Running, and its worker was heard from recently (a dead worker's run is open but not live)."""
        return self.status == self.Status.RUNNING and self.last_sign_of_life >= timezone.now() - heartbeat_stale_after()

    @property
    def is_capped(self) -> bool:
        """The platform has more posts than it lets anyone page back through."""
        return bool(
            self.posts_on_platform and self.posts_expected is not None and self.posts_expected < self.posts_on_platform
        )


class PullRunDay(models.Model):
    """One profile's finished pull runs of one day (the workspace's day of the run's start): the one source of the
    connections page's year of pull health.

    Each run adds itself here when it ends, in the transaction that saves its outcome (metrics/pull_run_days.py),
    so the nightly prune (housekeeping) only deletes old runs, and the page never reads the runs.
    """

    # Indexed by the unique constraint (profile, date), which leads with it.
    profile = models.ForeignKey(TrackedProfile, on_delete=models.CASCADE, related_name="pull_run_days", db_index=False)
    date = models.DateField()
    runs = models.PositiveIntegerField(default=0)
    succeeded = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)  # finished otherwise: failed, or the handle was not found
    # The run that tells the day's health: its latest failed run, or its latest run when none failed (its status,
    # error and start; a run added later may have started earlier, and must not take its place).
    last_status = models.CharField(max_length=20, choices=PullRun.Status.choices)
    last_error_kind = models.CharField(max_length=64, blank=True)
    last_started_at = models.DateTimeField()

    class Meta:
        ordering = ["profile", "-date"]
        constraints = [
            # Carries the counts the connections page sums over a year: an index-only scan of its profiles' days.
            models.UniqueConstraint(
                fields=["profile", "date"], include=["runs", "failed"], name="one_pull_run_day_per_profile"
            )
        ]
        indexes = [
            # The connections page's failed days, newest first: a few rows next to a year of good days.
            models.Index(fields=["profile", "-date"], condition=Q(failed__gt=0), name="pullrunday_profile_failed"),
        ]

    def __str__(self):
        return f"{self.profile} on {self.date}: {self.runs} pull(s), {self.failed} failed"


class Credential(models.Model):
    """A workspace's token for one platform, encrypted at rest (metrics.crypto) and never shown back in full."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="platform_credentials")
    platform = models.CharField(max_length=16, choices=Platform.choices)
    token_encrypted = models.TextField()
    token_hint = models.CharField(max_length=8, blank=True, help_text="The last characters, to recognise it.")
    account_id = models.CharField(
        max_length=64, blank=True, help_text="Instagram: the brand's own professional account id (business discovery)."
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the account was connected through the platform's consent screen (metrics.oauth), empty for a pasted token.
    refresh_token_encrypted = models.TextField(blank=True)
    account_name = models.CharField(max_length=128, blank=True, help_text="The account the token acts as.")
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    connected_at = models.DateTimeField(null=True, blank=True)
    scopes = models.CharField(max_length=512, blank=True, help_text="The scopes the platform granted.")
    expires_at = models.DateTimeField(null=True, blank=True, help_text="When the access token expires.")
    needs_reconnecting = models.BooleanField(default=False, help_text="The platform refused to refresh the token.")
    is_demo = models.BooleanField(
        default=False,
        help_text="Connected through the demo network's consent page (metrics.demo_connect): no real token.",
    )

    class Meta:
        ordering = ["platform"]
        constraints = [models.UniqueConstraint(fields=["workspace", "platform"], name="one_credential_per_platform")]

    def __str__(self):
        return f"{self.get_platform_display()} token {self.token_hint}"

    @property
    def token(self) -> str:
        from .crypto import decrypt

        return decrypt(self.token_encrypted)

    @property
    def refresh_token(self) -> str:
        from .crypto import decrypt

        return decrypt(self.refresh_token_encrypted) if self.refresh_token_encrypted else ""


class MastodonApp(models.Model):
    """This site's app on one Mastodon server: Mastodon registers apps per server (POST /api/v1/apps), once, on the
    first connect there. The client secret is encrypted like the tokens."""

    server = models.CharField(max_length=253, unique=True)
    client_id = models.CharField(max_length=128)
    client_secret_encrypted = models.TextField()
    redirect_uri = models.CharField(max_length=512, help_text="The callback address it was registered with.")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Mastodon app on {self.server}"

    @property
    def client_secret(self) -> str:
        from .crypto import decrypt

        return decrypt(self.client_secret_encrypted)


class ConnectedAccount(models.Model):
    """An own account chosen on the choice page after a connect flow: a Facebook Page, an Instagram professional
    account or a LinkedIn organization, tracked as `profile`.

    The Credential stays the person's token (one per workspace and network: Meta's long-lived user token,
    LinkedIn's member token). Meta acts on a Page with that Page's own token, derived from the user token and kept
    here, encrypted; an Instagram account uses the token of the Page it is linked to. LinkedIn's member token serves
    every organization its member administers, so a LinkedIn row holds no token of its own."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="connected_accounts")
    # Disconnecting (the credential removed) forgets the page tokens derived from it; the profiles and their
    # history stay.
    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="accounts")
    profile = models.OneToOneField(TrackedProfile, on_delete=models.CASCADE, related_name="connected_account")
    external_id = models.CharField(max_length=64, help_text="The Page id, Instagram user id or organization id.")
    name = models.CharField(max_length=200, blank=True)
    token_encrypted = models.TextField(blank=True, help_text="Meta: the Page's token (Instagram: its linked Page's).")
    token_hint = models.CharField(max_length=8, blank=True)
    page_id = models.CharField(max_length=64, blank=True, help_text="Instagram: the Facebook Page it is linked to.")
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    connected_at = models.DateTimeField()

    class Meta:
        ordering = ["profile__platform", "name"]

    def __str__(self):
        return f"{self.profile} connected"

    @property
    def token(self) -> str:
        from .crypto import decrypt

        return decrypt(self.token_encrypted) if self.token_encrypted else ""
