"""The brand's social media strategy: objectives, audiences, networks, voice, budget, plans and charter.

The current state lives in ordinary rows; every change also writes a StrategyRevision holding a
snapshot of the whole strategy, so the history is kept and two revisions can be compared.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Workspace
from metrics.platforms import Platform, label_of


def lines(text: str) -> list[str]:
    """The non-empty lines (or comma-separated items) of a free-text list field."""
    items = []
    for line in (text or "").replace(",", "\n").splitlines():
        if line.strip():
            items.append(line.strip())
    return items


class Strategy(models.Model):
    """The strategy's free-text parts, one row per workspace."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="strategy")
    business_goals = models.TextField(blank=True, help_text="What the company expects from social media.")
    content_plan = models.TextField(blank=True, help_text="Content pillars, formats and the editorial line.")
    distribution_plan = models.TextField(
        blank=True, help_text="How content reaches people: paid, ambassadors, partners."
    )
    tone_words = models.TextField(blank=True, help_text="Words that describe the brand's tone, one per line.")
    words_to_avoid = models.TextField(
        blank=True, help_text="Words the brand never uses, one per line. The publishing calendar checks posts for them."
    )
    voice_examples = models.TextField(blank=True, help_text="A few sentences that sound like the brand.")
    crisis_contacts = models.TextField(blank=True, help_text="Who to call, in order, with their phone numbers.")
    crisis_escalation = models.TextField(blank=True, help_text="The escalation steps, one per line.")
    holding_statements = models.TextField(blank=True, help_text="Statements ready to post while the facts are checked.")
    exit_plan = models.TextField(blank=True, help_text="When and how the brand leaves a network.")
    evaluation_plan = models.TextField(blank=True, help_text="How and when results are measured and reviewed.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "strategies"

    def __str__(self):
        return f"Strategy of {self.workspace}"


class Objective(models.Model):
    """A measurable objective: a KPI with a baseline, a target and a deadline."""

    class Kind(models.TextChoices):
        BUSINESS = "business", "Business"
        BRAND = "brand", "Brand"

    class Kpi(models.TextChoices):
        FOLLOWERS = "followers", "Followers"
        ENGAGEMENT_RATE = "engagement_rate", "Engagement rate (%)"
        POSTS_PER_WEEK = "posts_per_week", "Posts per week"
        MANUAL = "manual", "Manual (entered by the team)"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="objectives")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.BRAND)
    title = models.CharField(max_length=200)
    goal = models.CharField(max_length=300, blank=True, help_text="The business or brand goal it serves.")
    kpi = models.CharField(max_length=20, choices=Kpi.choices, default=Kpi.FOLLOWERS)
    kpi_label = models.CharField(max_length=100, blank=True, help_text="For a manual KPI: what is counted.")
    platform = models.CharField(
        max_length=16, choices=Platform.choices, blank=True, help_text="Leave empty for all the brand's networks."
    )
    baseline = models.DecimalField(max_digits=14, decimal_places=2)
    target = models.DecimalField(max_digits=14, decimal_places=2)
    manual_value = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="For a manual KPI: the latest value."
    )
    deadline = models.DateField()
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "deadline", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "title"], name="one_objective_per_title"),
            models.CheckConstraint(condition=~Q(baseline=models.F("target")), name="objective_target_differs"),
            models.CheckConstraint(
                condition=Q(kpi="manual") | Q(manual_value__isnull=True), name="manual_value_only_for_manual_kpi"
            ),
        ]

    def __str__(self):
        return self.title

    # The labels from dicts built once, not get_FOO_display (which builds its dict on every call): the meeting, the
    # strategy page and the team home print them for every objective.
    @property
    def kind_label(self) -> str:
        return _KIND_LABELS.get(self.kind, self.kind)

    @property
    def kpi_name(self) -> str:
        if self.kpi == self.Kpi.MANUAL:
            return self.kpi_label or "Manual KPI"
        scope = label_of(self.platform) if self.platform else "all networks"
        return f"{_KPI_LABELS.get(self.kpi, self.kpi)} · {scope}"


_KIND_LABELS = dict(Objective.Kind.choices)
_KPI_LABELS = dict(Objective.Kpi.choices)


class AudienceSegment(models.Model):
    """A group of people the brand talks to, and the networks where it meets them."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="audience_segments")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    networks = models.JSONField(default=list, blank=True, help_text="Platform values, e.g. ['linkedin', 'x'].")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="one_segment_per_name")]

    def __str__(self):
        return self.name

    @property
    def network_labels(self) -> list[str]:
        return [Platform(value).label for value in self.networks if value in Platform.values]


class NetworkPlan(models.Model):
    """The role a network plays and how often the brand posts there."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="network_plans")
    platform = models.CharField(max_length=16, choices=Platform.choices)
    role = models.CharField(max_length=300, help_text="What this network is for, in one sentence.")
    target_posts_per_week = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["platform"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "platform"], name="one_plan_per_network"),
            models.CheckConstraint(condition=Q(target_posts_per_week__lte=100), name="posts_per_week_at_most_100"),
        ]

    def __str__(self):
        return f"{self.get_platform_display()}: {self.target_posts_per_week}/week"


class BudgetLine(models.Model):
    """One line of the social media budget."""

    class Period(models.TextChoices):
        MONTHLY = "monthly", "Per month"
        YEARLY = "yearly", "Per year"
        ONE_OFF = "one_off", "One-off"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="budget_lines")
    label = models.CharField(max_length=150)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    period = models.CharField(max_length=10, choices=Period.choices, default=Period.MONTHLY)
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["label"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_not_negative")]

    def __str__(self):
        return f"{self.label}: {self.amount} ({self.get_period_display()})"

    @property
    def yearly_amount(self):
        return self.amount * 12 if self.period == self.Period.MONTHLY else self.amount


class CharterVersion(models.Model):
    """One version of the social media charter for employees; management approves a version."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="charter_versions")
    version = models.PositiveIntegerField()
    body = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "version"], name="one_charter_per_version"),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(approved_by__isnull=False),
                name="charter_approval_names_approver",
            ),
        ]

    def __str__(self):
        return f"Charter v{self.version} of {self.workspace}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class StrategyRevision(models.Model):
    """A snapshot of the whole strategy after one change."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="strategy_revisions")
    number = models.PositiveIntegerField()
    summary = models.CharField(max_length=200)
    snapshot = models.JSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["workspace", "number"], name="one_revision_per_number")]

    def __str__(self):
        return f"Revision {self.number}: {self.summary}"
