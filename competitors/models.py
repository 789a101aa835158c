"""Competitors the brand follows (at most three at a time), their profiles, and the brand's SWOT."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from accounts.models import Workspace
from metrics.models import TrackedProfile

from .evidence import validate_evidence

# The seeds' advice: follow no more than three competitors. The database holds the cap
# through the `slot` column: each active competitor takes one of slots 1..MAX_ACTIVE.
MAX_ACTIVE_COMPETITORS = 3


class Competitor(models.Model):
    """A brand the workspace benchmarks itself against."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="competitors")
    name = models.CharField(max_length=120)
    website = models.URLField(blank=True)
    notes = models.TextField(blank=True, help_text="What they do, who they speak to, why we follow them.")
    # 1..3 while active, empty once archived: the unique (workspace, slot) index makes a fourth
    # active competitor impossible even when two requests race.
    slot = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slot", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(slot__isnull=True) | Q(slot__gte=1, slot__lte=MAX_ACTIVE_COMPETITORS),
                name="competitor_slot_in_range",
            ),
            # Active means holding a slot; archived means having given it back.
            models.CheckConstraint(
                condition=Q(archived_at__isnull=True, slot__isnull=False)
                | Q(archived_at__isnull=False, slot__isnull=True),
                name="competitor_active_holds_slot",
            ),
            models.UniqueConstraint(
                fields=["workspace", "slot"], condition=Q(archived_at__isnull=True), name="one_competitor_per_slot"
            ),
            models.UniqueConstraint(
                Lower("name"), "workspace", condition=Q(archived_at__isnull=True), name="one_active_competitor_per_name"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.archived_at is None


class CompetitorProfile(models.Model):
    """Links a competitor to one of its accounts, which metrics tracks like any other profile."""

    competitor = models.ForeignKey(Competitor, on_delete=models.CASCADE, related_name="profile_links")
    profile = models.OneToOneField(TrackedProfile, on_delete=models.CASCADE, related_name="competitor_link")

    class Meta:
        ordering = ["profile__platform"]

    def __str__(self):
        return f"{self.competitor}: {self.profile}"


class SwotVersion(models.Model):
    """One edition of the brand's SWOT; the newest is edited, older ones are kept as they were."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="swot_versions")
    label = models.CharField(max_length=80)
    # "2026-Q4" for the quarter's edition, empty for a version taken on demand.
    quarter = models.CharField(max_length=7, blank=True)
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "quarter"], condition=~Q(quarter=""), name="one_swot_version_per_quarter"
            ),
        ]

    def __str__(self):
        return self.label


class Quadrant(models.TextChoices):
    STRENGTH = "S", "Strengths"
    WEAKNESS = "W", "Weaknesses"
    OPPORTUNITY = "O", "Opportunities"
    THREAT = "T", "Threats"


class SwotItem(models.Model):
    """One line of a SWOT quadrant."""

    version = models.ForeignKey(SwotVersion, on_delete=models.CASCADE, related_name="items")
    quadrant = models.CharField(max_length=1, choices=Quadrant.choices)
    text = models.CharField(max_length=300)
    # A web address, or a path inside the workspace (an accepted suggestion links to the benchmark).
    evidence_url = models.CharField(
        max_length=500, blank=True, help_text="A link that backs the point up.", validators=[validate_evidence]
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)
    # Copies of an item in later versions share its lineage, so two versions can be compared item by item.
    lineage = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["quadrant", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "lineage"], name="one_swot_item_per_lineage_per_version"),
        ]
        indexes = [models.Index(fields=["version", "quadrant", "position"], name="swotitem_version_order")]

    def __str__(self):
        return f"{self.get_quadrant_display()}: {self.text[:50]}"


class SwotSuggestion(models.Model):
    """A point the benchmark suggests for the SWOT; a person accepts it into the SWOT or dismisses it."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted"
        DISMISSED = "dismissed", "Dismissed"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="swot_suggestions")
    # Which rule, network, competitor and quarter it comes from: the same finding is never suggested twice.
    key = models.CharField(max_length=120)
    quadrant = models.CharField(max_length=1, choices=Quadrant.choices)
    text = models.CharField(max_length=300)
    evidence_url = models.CharField(max_length=500, blank=True, validators=[validate_evidence])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    item = models.ForeignKey(SwotItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["quadrant", "created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["workspace", "key"], name="one_swot_suggestion_per_key")]

    def __str__(self):
        return self.text
