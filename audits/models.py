"""The account audit: which accounts exist, who holds their keys, which tools and processes, and each audit run."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower

from accounts.models import Workspace
from metrics.models import TrackedProfile
from metrics.platforms import Platform, account_name, colour_of, label_of

from .validation import AccessInDatabase, AccountsInDatabase, check_access, check_account


def account_label(platform: str, handle: str) -> str:
    """How an account is named on every page: "@handle on Network" (metrics.platforms.account_name)."""
    return account_name(platform, handle)


def holder_key(*, member_id: int | None, person_email: str, person_name: str) -> str:
    """The same person across accounts: a member by id, anyone else by e-mail (or name)."""
    if member_id:
        return f"member:{member_id}"
    return f"person:{(person_email or person_name).strip().lower()}"


class AuditSettings(models.Model):
    """A workspace's thresholds for the audit rules."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="audit_settings")
    dormant_after_days = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text="An account with no post for this many days is reported as dormant.",
    )
    review_after_days = models.PositiveSmallIntegerField(
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text="Access not reviewed for this many days is reported.",
    )
    max_admins_per_account = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="More owners and admins than this on one account is reported.",
    )

    class Meta:
        verbose_name_plural = "audit settings"

    def __str__(self):
        return f"Audit settings of {self.workspace}"


class SocialAccount(models.Model):
    """One account the company has on a network, whether anyone still uses it or not."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        DORMANT = "dormant", "Dormant"
        TO_CLOSE = "to_close", "To close"
        CLOSED = "closed", "Closed"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="social_accounts")
    platform = models.CharField(max_length=16, choices=Platform.choices)
    handle = models.CharField(max_length=100, help_text="The username or page name, without @.")
    url = models.URLField("URL", max_length=300, blank=True, help_text="Left empty, it is built from the handle.")
    purpose = models.CharField(max_length=200, blank=True, help_text="What the account is for.")
    audience = models.CharField(max_length=120, blank=True, help_text="Who it speaks to, e.g. “customers in France”.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The team member answerable for it.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_on = models.DateField(null=True, blank=True, help_text="When the account was opened, if known.")
    last_post_on = models.DateField(
        null=True, blank=True, help_text="Used by the dormant rule when no tracked profile carries its metrics."
    )
    tracked_profile = models.ForeignKey(
        TrackedProfile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The tracked profile that carries its metrics.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["platform", "handle"]
        constraints = [
            # The friendly message comes from clean(); this is the backstop against two requests racing.
            models.UniqueConstraint(
                "workspace", "platform", Lower("handle"), name="audits_one_account_per_handle_per_platform"
            ),
        ]

    def __str__(self):
        return account_label(self.platform, self.handle)

    @property
    def colour(self) -> str:
        return colour_of(self.platform)

    @property
    def platform_label(self) -> str:
        """As get_platform_display, from a dict built once (the inventory prints one per row)."""
        return label_of(self.platform)

    @property
    def status_label(self) -> str:
        return _ACCOUNT_STATUS_LABELS.get(self.status, self.status)

    @property
    def status_badge(self) -> str:
        """The badge class of the account's status: active green, closed grey, the others to look at."""
        return {self.Status.ACTIVE: "text-bg-success", self.Status.CLOSED: "text-bg-secondary"}.get(
            self.status, "text-bg-warning"
        )

    def clean(self):
        # The rules are shared with the CSV import (audits/validation.py); one row asks the database for clashes.
        check_account(self, taken=AccountsInDatabase())


class AccessGrant(models.Model):
    """Someone who holds access to an account: a member of the team, or any named person."""

    class Level(models.TextChoices):
        OWNER = "owner", "Owner"
        ADMIN = "admin", "Admin"
        EDITOR = "editor", "Editor"
        ANALYST = "analyst", "Analyst"
        ADVERTISER = "advertiser", "Advertiser"

    class Tool(models.TextChoices):
        NATIVE = "native", "Native"
        HOOTSUITE = "hootsuite", "Hootsuite"
        BUFFER = "buffer", "Buffer"
        OTHER = "other", "Other"

    ADMIN_LEVELS = (Level.OWNER, Level.ADMIN)

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="access_grants")
    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="access_grants")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="A member of this workspace; otherwise give the person's name and e-mail.",
    )
    person_name = models.CharField("name", max_length=150, blank=True)
    person_email = models.EmailField("e-mail", blank=True)
    department = models.CharField(max_length=100, blank=True)
    level = models.CharField(max_length=12, choices=Level.choices)
    tool = models.CharField("through", max_length=12, choices=Tool.choices, default=Tool.NATIVE)
    two_factor = models.BooleanField("2-step verification on", default=False)
    granted_on = models.DateField(null=True, blank=True)
    last_reviewed_on = models.DateField(null=True, blank=True)
    last_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    still_with_company = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["account__platform", "account__handle", "level", "person_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member__isnull=False) | ~models.Q(person_name=""),
                name="audits_access_names_someone",
            ),
            models.UniqueConstraint(
                fields=["account", "member"],
                condition=models.Q(member__isnull=False),
                name="audits_one_access_per_member_per_account",
            ),
            models.UniqueConstraint(
                "account",
                Lower("person_email"),
                condition=models.Q(member__isnull=True) & ~models.Q(person_email=""),
                name="audits_one_access_per_email_per_account",
            ),
        ]

    def __str__(self):
        return f"{self.holder_name} · {self.get_level_display()} on {self.account}"

    @property
    def holder_name(self) -> str:
        return str(self.member) if self.member_id else self.person_name

    @property
    def level_label(self) -> str:
        """As get_level_display, from a dict built once (the register prints one per row)."""
        return _LEVEL_LABELS.get(self.level, self.level)

    @property
    def tool_label(self) -> str:
        return _TOOL_LABELS.get(self.tool, self.tool)

    @property
    def holder_key(self) -> str:
        return holder_key(member_id=self.member_id, person_email=self.person_email, person_name=self.person_name)

    @property
    def is_admin_level(self) -> bool:
        return self.level in self.ADMIN_LEVELS

    def clean(self):
        check_access(self, taken=AccessInDatabase())


class Tool(models.Model):
    """A tool the team uses or pays for."""

    class Purpose(models.TextChoices):
        PUBLISHING = "publishing", "Publishing"
        LISTENING = "listening", "Listening"
        ANALYTICS = "analytics", "Analytics"
        ADS = "ads", "Ads"
        DESIGN = "design", "Design"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="audit_tools")
    name = models.CharField(max_length=100)
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    monthly_cost = models.DecimalField(
        max_digits=9, decimal_places=2, default=0, validators=[MinValueValidator(0)], help_text="In euros; 0 if free."
    )
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    notes = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("workspace", Lower("name"), name="audits_one_tool_per_name"),
            models.CheckConstraint(condition=models.Q(monthly_cost__gte=0), name="audits_tool_cost_not_negative"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.name = self.name.strip()
        if Tool.objects.filter(workspace_id=self.workspace_id, name__iexact=self.name).exclude(pk=self.pk).exists():
            raise ValidationError({"name": f"{self.name} is already in the list of tools."})


class Process(models.Model):
    """How the team creates, publishes, analyses, responds, or handles a crisis."""

    class Kind(models.TextChoices):
        CREATE = "create", "Create content"
        PUBLISH = "publish", "Publish"
        ANALYSE = "analyse", "Analyse"
        RESPOND = "respond", "Respond to the community"
        CRISIS = "crisis", "Handle a crisis"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="audit_processes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    documented = models.BooleanField(default=False, help_text="Written down where the team can find it.")
    link = models.URLField(max_length=300, blank=True, help_text="Where the written process lives.")

    class Meta:
        ordering = ["kind"]
        verbose_name_plural = "processes"
        constraints = [models.UniqueConstraint(fields=["workspace", "kind"], name="audits_one_process_per_kind")]

    def __str__(self):
        return self.get_kind_display()

    def clean(self):
        if Process.objects.filter(workspace_id=self.workspace_id, kind=self.kind).exclude(pk=self.pk).exists():
            raise ValidationError({"kind": f"The “{self.get_kind_display()}” process is already described."})


class Severity(models.TextChoices):
    CRITICAL = "critical", "Critical"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


SEVERITY_ORDER = [Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW]
# Penalty points per open finding; the score is 100 * 100 / (100 + penalty), so it never hits 0 and every fix shows.
SEVERITY_WEIGHT = {Severity.CRITICAL: 15, Severity.HIGH: 8, Severity.MEDIUM: 4, Severity.LOW: 1}


class AuditRun(models.Model):
    """One "Run audit": the findings computed from the data at that moment, kept for comparison."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="audit_runs")
    ran_at = models.DateTimeField()
    ran_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    findings_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-ran_at", "-pk"]
        indexes = [models.Index(fields=["workspace", "-ran_at"], name="audits_run_ws_ran")]
        constraints = [models.CheckConstraint(condition=models.Q(score__lte=100), name="audits_score_at_most_100")]

    def __str__(self):
        return f"Audit of {self.workspace} at {self.ran_at:%Y-%m-%d %H:%M}: {self.score}/100"


class Finding(models.Model):
    """One problem a rule found in one run; `key` names the same problem across runs."""

    run = models.ForeignKey(AuditRun, on_delete=models.CASCADE, related_name="findings")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="audit_findings")
    rule = models.CharField(max_length=40)
    key = models.CharField(max_length=200)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution_note = models.TextField(blank=True)

    class Meta:
        ordering = ["run", "rule", "key"]
        constraints = [models.UniqueConstraint(fields=["run", "key"], name="audits_one_finding_per_key_per_run")]
        indexes = [models.Index(fields=["workspace", "resolved_at"], name="audits_finding_ws_resolved")]

    def __str__(self):
        return f"[{self.severity}] {self.title}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


_LEVEL_LABELS = dict(AccessGrant.Level.choices)
_TOOL_LABELS = dict(AccessGrant.Tool.choices)
_ACCOUNT_STATUS_LABELS = dict(SocialAccount.Status.choices)
