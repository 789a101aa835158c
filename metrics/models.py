"""What the metrics pipeline stores: profiles it tracks, their daily figures, their posts, and each pull."""

from django.db import models

from accounts.models import Workspace

from .platforms import Platform


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

    class Meta:
        ordering = ["platform", "handle"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "platform", "handle"], name="one_tracked_profile_per_handle"),
        ]

    def __str__(self):
        return f"@{self.handle} on {self.get_platform_display()}"


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
    likes = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    shares = models.PositiveIntegerField(default=0, help_text="Shares, reposts or retweets (+ quotes on X).")
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
        # Both indexes carry the columns the pages aggregate and rank on, so that PostgreSQL answers a
        # period's totals (metrics.selectors.period_post_totals) and its top and flop posts from the index
        # alone, without visiting a table page per post (other databases build them without the extras).
        indexes = [
            models.Index(
                fields=["profile", "-published_at"],
                include=["engagement_rate", "interactions"],
                name="post_profile_period",
            ),
            # Top and flop posts of a period across all profiles start from the date, not the profile.
            models.Index(
                fields=["published_at"], include=["profile", "engagement_rate", "id"], name="post_period_ranking"
            ),
            # The best (or worst) posts of a long period: read from the highest (or lowest) rate down, the scan
            # stops at the twentieth post of the period, instead of ranking every post of the period (measured
            # at 90 days and 500,000 posts: 0.6 ms against 5 ms; for a few days the planner keeps the one above).
            models.Index(
                fields=["engagement_rate", "published_at"], include=["profile", "id"], name="post_rate_ranking"
            ),
        ]

    def __str__(self):
        return f"{self.profile} {self.published_at:%Y-%m-%d}: {self.text[:40]}"


class PullRun(models.Model):
    """One attempt to pull a profile's figures, kept so the UI can show each connection's health."""

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

    profile = models.ForeignKey(TrackedProfile, on_delete=models.CASCADE, related_name="pull_runs")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SCHEDULED)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error_kind = models.CharField(max_length=64, blank=True)
    error_message = models.TextField(blank=True)
    rows_written = models.PositiveIntegerField(default=0)
    # Backfill progress: posts stored so far and the platform's own count of the profile's posts, when known.
    posts_done = models.PositiveIntegerField(default=0)
    posts_expected = models.PositiveIntegerField(null=True, blank=True)
    retry_at = models.DateTimeField(null=True, blank=True, help_text="When a rate-limited pull is tried again.")

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["profile", "-started_at"], name="pullrun_profile_started")]

    def __str__(self):
        return f"{self.get_kind_display()} pull of {self.profile} at {self.started_at:%Y-%m-%d %H:%M}: {self.status}"


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

    class Meta:
        ordering = ["platform"]
        constraints = [models.UniqueConstraint(fields=["workspace", "platform"], name="one_credential_per_platform")]

    def __str__(self):
        return f"{self.get_platform_display()} token {self.token_hint}"

    @property
    def token(self) -> str:
        from .crypto import decrypt

        return decrypt(self.token_encrypted)
