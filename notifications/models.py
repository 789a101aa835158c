"""A notification per recipient membership, and each member's e-mail choice per kind (notifications/kinds.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Membership, Workspace

from .kinds import Email
from .kinds import label as kind_label


class Notification(models.Model):
    """Something one member is told about, in the app and, as they chose, by e-mail.

    `kind` has no choices in the database: a kind added to kinds.KINDS needs no migration (notify checks it).
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40, help_text="A name in notifications.kinds.KINDS.")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True, help_text="A path of this site: where the object is.")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The one event this is about, so the same event never notifies a member twice ("publication:42:approved:…").
    dedupe_key = models.CharField(max_length=200)
    # How it is e-mailed: the member's choice for its kind when it was made, updated while it waits if they change it.
    email = models.CharField(max_length=16, choices=Email.choices, default=Email.OFF)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set by the sender's claim, before the mail goes out: a second run finds it taken and sends nothing.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="notification_once_per_event"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list"),
            # The bell's count reads the unread ones only.
            models.Index(fields=["recipient"], condition=Q(read_at=None), name="notification_unread"),
            # The digest reads the few waiting for it, never the e-mailed or unmailed others.
            models.Index(
                fields=["created_at"], condition=Q(email="digest", emailed_at=None), name="notification_digest"
            ),
        ]

    def __str__(self):
        return f"{self.title} → {self.recipient}"

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Preference(models.Model):
    """A member's e-mail choice for one kind; a kind without a row takes its default (kinds.KINDS)."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(max_length=40, help_text="A name in notifications.kinds.KINDS.")
    email = models.CharField(max_length=16, choices=Email.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["membership", "kind"], name="one_preference_per_kind")]

    def __str__(self):
        return f"{self.membership}: {self.kind} → {self.email}"
