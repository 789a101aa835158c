"""Ideas, the editorial calendar (content to produce), the publishing calendar (posts to send) and their controls."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from accounts.models import Workspace
from accounts.roles import Role
from metrics.models import TrackedProfile
from metrics.platforms import Platform, colour_of, label_of


class Idea(models.Model):
    """A content idea sent by any member through the suggestion box."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        ACCEPTED = "accepted", "Accepted"
        PARKED = "parked", "Parked"
        DECLINED = "declined", "Declined"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="ideas")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="ideas")
    title = models.CharField(max_length=160)
    description = models.TextField()
    networks = models.JSONField(default=list, blank=True, help_text="Suggested networks (Platform values).")
    link = models.URLField(max_length=500, blank=True)
    attachment = models.FileField(upload_to="ideas/%Y/%m/", blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    decline_reason = models.TextField(blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    content_item = models.OneToOneField(
        "ContentItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="idea"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["workspace", "status", "-created_at"], name="idea_ws_status_created"),
            # The ideas page, newest first, one page at a time: read in index order, stopped after 50 rows.
            models.Index(fields=["workspace", "-created_at", "-id"], name="idea_ws_created"),
        ]
        constraints = [
            # The submitter must always learn why an idea was declined.
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="declined_idea_has_reason"
            ),
        ]

    def __str__(self):
        return self.title

    def network_labels(self) -> list[str]:
        return [Platform(value).label for value in self.networks if value in Platform.values]


class IdeaComment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.author}: {self.body[:40]}"


class IdeaVote(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "voter"], name="one_vote_per_member_per_idea")]

    def __str__(self):
        return f"{self.voter} for {self.idea}"


class ContentItem(models.Model):
    """A piece of content to produce: the editorial calendar's row."""

    class Format(models.TextChoices):
        POST = "post", "Post"
        CAROUSEL = "carousel", "Carousel"
        VIDEO = "video", "Video"
        REEL = "reel", "Reel / short video"
        STORY = "story", "Story"
        ARTICLE = "article", "Article"
        LIVE = "live", "Live"
        OTHER = "other", "Other"

    class Stage(models.TextChoices):
        DRAFTING = "drafting", "Drafting"
        IN_REVIEW = "in_review", "In review"
        APPROVED = "approved", "Approved"
        READY = "ready", "Ready"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="content_items")
    title = models.CharField(max_length=160)
    brief = models.TextField(blank=True)
    pillar = models.CharField("pillar or theme", max_length=80, blank=True)
    format = models.CharField(max_length=16, choices=Format.choices, default=Format.POST)
    audience_segment = models.CharField(max_length=120, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="owned_content"
    )
    contributors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="contributed_content")
    due_date = models.DateField()
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.DRAFTING)
    seo_keywords = models.CharField("SEO keywords", max_length=300, blank=True, help_text="Comma-separated.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["workspace", "due_date"], name="content_ws_due"),
            # "Content due this week" on the team home skips the years of finished (ready) items.
            models.Index(fields=["workspace", "due_date"], condition=~Q(stage="ready"), name="content_ws_due_open"),
        ]

    def __str__(self):
        return self.title

    # Labels from dicts built once: get_FOO_display rebuilds its choices on each call, and the list prints
    # two per row.
    @property
    def format_label(self) -> str:
        return _FORMAT_LABELS.get(self.format, self.format)

    @property
    def stage_label(self) -> str:
        return _STAGE_LABELS.get(self.stage, self.stage)


def badge_of(status: str) -> str:
    """The badge class a publication status wears (STATUS_BADGES), light for one no longer known."""
    return STATUS_BADGES.get(status, "text-bg-light")


# The badge each publication status wears, on the publishing list and the publication's page.
STATUS_BADGES = {
    "published": "text-bg-success",
    "failed": "text-bg-danger",
    "unknown": "text-bg-danger",
    "paused": "text-bg-dark",
    "held": "text-bg-warning",
    "sending": "text-bg-info",
    "scheduled": "text-bg-primary",
    "approved": "text-bg-primary",
    "in_review": "text-bg-warning",
}


_FORMAT_LABELS = dict(ContentItem.Format.choices)
_STAGE_LABELS = dict(ContentItem.Stage.choices)


class PublicationTag(models.Model):
    """A free label the team puts on its posts ("launch", "hiring", "event"), the workspace's own: the publishing
    calendar filters by it. Names are unique in a workspace whatever their case (calendar_app/tags.py makes them)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="publication_tags")
    name = models.CharField(max_length=40)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint("workspace", Lower("name"), name="publication_tag_unique_name")]

    def __str__(self):
        return self.name


class Publication(models.Model):
    """One post of a content item on one of the brand's own accounts, at a scheduled time (stored in UTC)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        APPROVED = "approved", "Approved"
        SCHEDULED = "scheduled", "Scheduled"
        # Claimed by a publishing worker and committed before the platform call (calendar_app/publisher.py).
        SENDING = "sending", "Sending"
        PUBLISHED = "published", "Published"
        FAILED = "failed", "Failed"
        # The platform may have the post but never said so, and cannot be asked: a person checks and decides.
        UNKNOWN = "unknown", "Outcome unknown"
        PAUSED = "paused", "Paused"
        # It fell due during a crisis pause: it waits for a person to send, reschedule or review it.
        HELD = "held", "Held after the pause"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="publications")
    # One post written once for several accounts (the composer): each account's publication has its own copy,
    # status and history; the group only ties them together.
    group = models.ForeignKey(
        "PublicationGroup", on_delete=models.SET_NULL, null=True, blank=True, related_name="publications"
    )
    content_item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="publications")
    profile = models.ForeignKey(TrackedProfile, on_delete=models.PROTECT, related_name="publications")
    copy = models.TextField()
    # Posted under the post once it is out (a link, hashtags, a question): calendar_app/follow_ups.py.
    first_comment = models.TextField(blank=True)
    # The posts that follow it on X, Bluesky or Mastodon, each a reply to the one before, separated by a line "---"
    # (calendar_app/threads.py); posted after it the way its first comment is.
    thread = models.TextField(blank=True)
    media_urls = models.JSONField(default=list, blank=True)
    # Set through calendar_app/tags.py (the workspace's own tags only); not part of what a review approves.
    tags = models.ManyToManyField(PublicationTag, blank=True, related_name="publications")
    scheduled_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    # The state a crisis pause interrupted, so resuming puts each publication back where it was.
    status_before_pause = models.CharField(max_length=16, choices=Status.choices, blank=True)
    # Paused by a member on its own (services.publication_pause), not by a crisis pause: the crisis's end leaves it.
    paused_alone = models.BooleanField(default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="publications"
    )
    # With a final approver required, the first approval is kept here until the final one.
    first_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    failure_reason = models.TextField(blank=True)
    # Sends so far (each claim is one); after a rate limit or a passing fault the next one waits until
    # next_attempt_at. While it is sending, next_attempt_at is when to look it up on the platform instead: the
    # platform did not answer, or the worker that sent it died.
    publish_attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # The current send: its id (given to the platform where it keeps one, to look the post up by) and start.
    attempt_id = models.CharField(max_length=36, blank=True)
    sending_started_at = models.DateTimeField(null=True, blank=True)
    lookups = models.PositiveSmallIntegerField(default=0, help_text="Look-ups of the current send on the platform.")
    external_id = models.CharField(max_length=128, blank=True)
    permalink = models.URLField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["scheduled_at", "pk"]
        indexes = [
            # The weeks below target count a month and a half of posts by status and account, and the publishing
            # calendar's feed reads its window's events (id, status, account, content item), from this index alone:
            # an index-only scan (at scale 10 the feed's 1,700 rows read 950 heap pages without the columns, 4.5 ms
            # against 1.7).
            models.Index(
                fields=["workspace", "scheduled_at"],
                include=["status", "profile", "content_item", "id"],
                name="publication_ws_scheduled",
            ),
            models.Index(fields=["status", "scheduled_at"], name="publication_status_due"),
            # The meeting's "failed, unknown or held since": the few that need a person, by when they changed.
            models.Index(
                fields=["workspace", "updated_at"],
                condition=Q(status__in=["failed", "unknown", "held"]),
                name="publication_ws_needs_review",
            ),
            models.Index(fields=["next_attempt_at"], condition=Q(status="sending"), name="publication_sending_lookup"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="paused", status_before_pause__in=["approved", "scheduled"])
                | (~Q(status="paused") & Q(status_before_pause="")),
                name="paused_publication_remembers_its_state",
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(failure_reason=""), name="failed_publication_has_reason"
            ),
            models.CheckConstraint(condition=Q(paused_alone=False) | Q(status="paused"), name="paused_alone_is_paused"),
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(scheduled_at__isnull=False), name="scheduled_publication_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status="sending")
                | (~Q(attempt_id="") & Q(sending_started_at__isnull=False) & Q(next_attempt_at__isnull=False)),
                name="sending_publication_has_attempt",
            ),
            models.CheckConstraint(
                condition=~Q(status="unknown") | ~Q(failure_reason=""), name="unknown_publication_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.content_item} on {self.profile}"

    @classmethod
    def status_label(cls, value: str) -> str:
        """The human name of a stored status ("in_review" -> "In review"), for histories; unknown ones as stored.

        From a dict built once: Status.values builds its list anew on each call (the feeds ask once per event).
        """
        return _STATUS_LABELS.get(value, value)

    @property
    def platform(self) -> str:
        return self.profile.platform

    @property
    def colour(self) -> str:
        return colour_of(self.profile.platform)

    @property
    def status_display(self) -> str:
        """As get_status_display, from a dict built once (the lists print one per row)."""
        return _STATUS_LABELS.get(self.status, self.status)

    @property
    def platform_label(self) -> str:
        return label_of(self.profile.platform)

    @property
    def badge(self) -> str:
        return badge_of(self.status)

    @property
    def is_editable(self) -> bool:
        return self.status not in UNEDITABLE_STATUSES


# Published, paused, on their way to the platform or waiting for a person's answer: not edited, not moved.
UNEDITABLE_STATUSES = frozenset(
    {Publication.Status.PUBLISHED, Publication.Status.PAUSED, Publication.Status.SENDING, Publication.Status.UNKNOWN}
)


_STATUS_LABELS = dict(Publication.Status.choices)


class FollowUp(models.Model):
    """What goes out under a published post once it is out, each on its own claim and retries (follow_ups.py):
    its first comment (position 0, a reply to the post) and the parts of its thread (positions 1..n, each a reply to
    the one before, released when the one before is posted). A follow-up that fails never sends its post again, and
    the post never waits for it."""

    class Status(models.TextChoices):
        # A thread's part whose part before is not posted yet: it has nothing to reply to.
        HELD = "held", "After the part before"
        WAITING = "waiting", "Waiting"
        SENDING = "sending", "Sending"
        POSTED = "posted", "Posted"
        FAILED = "failed", "Failed"
        # The platform never answered and cannot be asked: a person checks, then posts it again or marks it posted.
        UNKNOWN = "unknown", "Outcome unknown"

    FIRST_COMMENT = 0

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="follow_ups")
    position = models.PositiveSmallIntegerField(
        default=FIRST_COMMENT, help_text="0: the first comment; 1..n: the thread."
    )
    text = models.TextField(help_text="What is posted: the first comment or the thread's part when the post went out.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Waiting: when to try (a retry waits); sending: when the worker is presumed dead and a person is asked.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    attempt_id = models.CharField(max_length=36, blank=True)
    external_id = models.CharField(max_length=128, blank=True)
    failure_reason = models.TextField(blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"], condition=Q(status__in=["waiting", "sending"]), name="first_comment_due"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["waiting", "sending"]) | Q(next_attempt_at__isnull=False),
                name="first_comment_due_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["failed", "unknown"]) | ~Q(failure_reason=""),
                name="first_comment_stopped_has_reason",
            ),
            models.UniqueConstraint(fields=["publication", "position"], name="one_follow_up_per_position"),
        ]

    def __str__(self):
        what = "First comment" if self.is_first_comment else f"Part {self.position + 1} of the thread"
        return f"{what} on {self.publication}"

    @property
    def is_first_comment(self) -> bool:
        return self.position == self.FIRST_COMMENT


class PublicationEvent(models.Model):
    """One line of a publication's history: who changed what, and when."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.action} by {self.actor} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def label(self) -> str:
        # An approval at an approval step says which: "Approved step 2 of 3: Content lead".
        step = self.changes.get("step") if self.action in ("approved", "step_approved") else None
        if step:
            return f"Approved step {step[0]} of {step[1]}: {step[2]}"
        return self.action.replace("_", " ").capitalize()

    @property
    def from_status_label(self) -> str:
        return Publication.status_label(self.from_status)

    @property
    def to_status_label(self) -> str:
        return Publication.status_label(self.to_status)


APPROVER_ROLE_CHOICES = [
    (r.value, r.label) for r in (Role.ADMIN, Role.STRATEGY_LEAD, Role.CONTENT_LEAD, Role.COMMUNITY_MANAGER)
]
# A final approval, when required, comes from one of these roles.
FINAL_APPROVER_ROLES = frozenset({Role.ADMIN, Role.STRATEGY_LEAD})


def _default_approver_roles():
    return [Role.ADMIN.value, Role.STRATEGY_LEAD.value]


class ApprovalSettings(models.Model):
    """How a workspace approves publications."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="approval_settings")
    approver_roles = models.JSONField(default=_default_approver_roles)
    final_approval_required = models.BooleanField(
        default=False,
        help_text="An approval by the content lead is only a first approval; an admin or strategy lead gives the final one.",
    )
    # Four eyes: whoever wrote or sent a publication for review does not approve it (services.approval_refusal says
    # who counts as its author). On for every workspace unless its admins switch it off.
    four_eyes = models.BooleanField("The author of a publication may not approve it", default=True)
    # A review nobody answers does not wait for ever (calendar_app/review_expiry.py); empty: it waits.
    review_expires_after_days = models.PositiveSmallIntegerField(
        "A review nobody answers expires after (days)",
        null=True,
        blank=True,
        help_text="The post goes back to draft and its authors are told. Empty: a review waits until someone answers.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Approval settings of {self.workspace}"


# A step's roles: those the matrix lets approve (accounts/permissions.py: "approve" or "approve_if_allowed").
MAX_APPROVAL_STEPS = 3


class ApprovalStep(models.Model):
    """One step of a workspace's approval, as Kapost and Hootsuite have them (community manager, content lead, final
    approver): a post in review is approved step by step, each by a member of the step's roles, a different person
    at each step. A network with steps of its own uses them; otherwise the workspace's (network ""). With no step at
    all, ApprovalSettings.approver_roles and final_approval_required decide, as before steps existed."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="approval_steps")
    network = models.CharField(max_length=16, choices=Platform.choices, blank=True, help_text="Empty: every network.")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=60)
    roles = models.JSONField(default=list, help_text="The Role values that may approve this step.")

    class Meta:
        ordering = ["network", "position"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "network", "position"], name="one_approval_step_per_position"),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=MAX_APPROVAL_STEPS), name="approval_step_position_1_to_3"
            ),
        ]

    def __str__(self):
        return f"Step {self.position}: {self.name}"

    @property
    def role_labels(self) -> list[str]:
        return [_ROLE_LABELS.get(r, r) for r in self.roles]


_ROLE_LABELS = dict(Role.choices)


class PublicationApproval(models.Model):
    """One step approved in a publication's current (or last) round of review. A new round (sent for review again,
    edited, sent back) deletes them; one member approves at most one step of a round."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="step_approvals")
    position = models.PositiveSmallIntegerField()
    step_name = models.CharField(max_length=60)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    approved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "position"], name="one_approval_per_step"),
            models.UniqueConstraint(fields=["publication", "approved_by"], name="one_step_per_approver"),
        ]

    def __str__(self):
        return f"Step {self.position} of {self.publication_id} by {self.approved_by_id}"


class CrisisSwitch(models.Model):
    """The workspace's crisis switch, one committed row. Every publishing claim locks it and reads it before it
    may send (calendar_app/publisher.py); switching it on locks it too, so once that has committed no claim
    succeeds. CrisisPause is its log."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, primary_key=True, related_name="+")
    is_on = models.BooleanField(default=False)
    changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Crisis switch of {self.workspace_id}: {'on' if self.is_on else 'off'}"


class CrisisPause(models.Model):
    """A crisis pause: while one is open (ended_at empty), nothing goes out for the workspace."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="crisis_pauses")
    reason = models.TextField()
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    started_at = models.DateTimeField()
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    paused_count = models.PositiveIntegerField(default=0)
    # Already claimed by a worker when the switch went on: they may go out, and the pause says so.
    sending_count = models.PositiveIntegerField(default=0)
    resumed_count = models.PositiveIntegerField(default=0)
    # Fell due during the pause: held for a person's review on resume.
    held_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace"], condition=Q(ended_at__isnull=True), name="one_open_crisis_pause_per_workspace"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="crisis_pause_has_reason"),
        ]

    def __str__(self):
        return f"Crisis pause of {self.workspace} from {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class FrequencyTarget(models.Model):
    """Target posts per week on one network (until strategy's network plan owns it)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="frequency_targets")
    platform = models.CharField(max_length=16, choices=Platform.choices)
    posts_per_week = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["platform"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "platform"], name="one_frequency_target_per_network")
        ]

    def __str__(self):
        return f"{self.get_platform_display()}: {self.posts_per_week}/week"


def _feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A private iCal address for one calendar; revoking it makes the address answer 404."""

    class Kind(models.TextChoices):
        EDITORIAL = "editorial", "Editorial calendar"
        PUBLISHING = "publishing", "Publishing calendar"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="calendar_feeds")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    token = models.CharField(max_length=64, unique=True, default=_feed_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} feed of {self.user}"


class PostingSlot(models.Model):
    """A time of the week when one of the brand's accounts posts: its queue (Buffer's and Hootsuite's "posting
    schedule"). "Add to queue" gives a publication the account's next slot that no publication takes yet
    (calendar_app/queue.py). The time is the workspace's wall-clock time, so a slot stays at 09:00 across a change
    of summer time."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="posting_slots")
    profile = models.ForeignKey(TrackedProfile, on_delete=models.CASCADE, related_name="posting_slots")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    time = models.TimeField(help_text="In the workspace's time zone.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["profile", "weekday", "time"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "weekday", "time"], name="one_slot_per_account_and_time"),
        ]

    def __str__(self):
        return f"{self.profile} {self.get_weekday_display()} {self.time:%H:%M}"


class PublicationComment(models.Model):
    """A comment on a publication, in threads one level deep (a reply answers the thread's first comment). Internal
    ones are the team's; "for the client" ones are meant for an approver outside the workspace (the external
    approval links, to come), and are marked as such on the page."""

    class Visibility(models.TextChoices):
        INTERNAL = "internal", "Internal (the team)"
        CLIENT = "client", "For the client"

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # A reviewer from outside the workspace, through a review link (ExternalReview): the name they gave.
    external_author = models.CharField(max_length=120, blank=True)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    body = models.TextField(max_length=5000)
    visibility = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.INTERNAL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.author}: {self.body[:40]}"


class PublicationTemplate(models.Model):
    """A post the team writes often (a weekly tip, an event reminder), saved from a publication and started from on
    the publication form ("Start from a template"): its copy, media and tags, and the account it was written for."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="publication_templates")
    name = models.CharField(max_length=80)
    copy = models.TextField()
    first_comment = models.TextField(blank=True)
    thread = models.TextField(blank=True)
    media_urls = models.JSONField(default=list, blank=True)
    tags = models.ManyToManyField(PublicationTag, blank=True, related_name="templates")
    profile = models.ForeignKey(TrackedProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="one_template_name_per_workspace")]

    def __str__(self):
        return self.name


def _review_token() -> str:
    return secrets.token_urlsafe(24)


class ExternalReview(models.Model):
    """A link for a client or a manager without an account to review one publication or a batch: they see each post
    and approve it, ask for changes or comment, under the name they give (calendar_app/external_review.py). Signed by
    its unguessable token, valid until it expires or is withdrawn, and every answer is in the posts' history. The
    link shows its publications and nothing else."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="external_reviews")
    token = models.CharField(max_length=64, unique=True, default=_review_token)
    reviewer = models.CharField("reviewer's name", max_length=120)
    publications = models.ManyToManyField(Publication, related_name="external_reviews")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Review by {self.reviewer}"


class PublicationGroup(models.Model):
    """One post composed for several accounts at once (calendar_app/composer.py): the text they share, and who wrote
    it. Each account gets its own Publication (a variant of the text if its network needs one)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="publication_groups")
    shared_copy = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Post for {self.publications.count()} accounts"


class LinkCard(models.Model):
    """The card a shared link shows on the networks, as the composer's preview read it (calendar_app/link_cards.py);
    kept a day per workspace and address. `error` says why there is none (a private address, not a page)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    url = models.CharField(max_length=2000)
    final_url = models.CharField(max_length=2000, blank=True)
    title = models.CharField(max_length=300, blank=True)
    description = models.CharField(max_length=500, blank=True)
    site_name = models.CharField(max_length=120, blank=True)
    error = models.CharField(max_length=200, blank=True)
    fetched_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "url"], name="one_link_card_per_address")]

    def __str__(self):
        return self.title or self.url
