"""Queued user actions: what a person asked to run in the background, kept until it has run.

A request writes the row with its other writes, so the action cannot be lost whatever the broker does; the broker
only carries a pointer to it (the Celery task id is `outbox-<pk>`), and the worker claims the row before it runs.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Workspace


class QueuedAction(models.Model):
    """One user action (a pull, a backfill, a report e-mail): who asked, what to run, and how far it went."""

    class Outcome(models.TextChoices):
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="queued_actions")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=64, help_text="The action's name in outbox.registry.ACTIONS.")
    arguments = models.JSONField(default=dict, blank=True, help_text="The task's keyword arguments.")
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(
        null=True, blank=True, help_text="Last handed to the task queue; empty while the queue did not take it."
    )
    dispatch_error = models.TextField(blank=True, help_text="What the task queue answered the last time it refused.")
    not_before = models.DateTimeField(
        null=True, blank=True, help_text="A retry waits in the queue until then (the task asked for it)."
    )
    started_at = models.DateTimeField(null=True, blank=True, help_text="When a worker first started it.")
    running_since = models.DateTimeField(
        null=True, blank=True, help_text="When the attempt in progress started; empty when none is running."
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True)
    attempts = models.PositiveIntegerField(
        default=0, help_text="Attempts started (and not lost): the next message must carry this number."
    )
    attempts_lost = models.PositiveIntegerField(
        default=0, help_text="Attempts whose worker died before it could say how they ended."
    )
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The sweep and the pages read only the unfinished rows, a handful among all the finished ones.
            models.Index(fields=["created_at"], condition=Q(finished_at=None), name="outbox_unfinished"),
        ]

    def __str__(self):
        return f"{self.name} #{self.pk} ({self.state})"

    @property
    def task_id(self) -> str:
        return f"outbox-{self.pk}"

    @property
    def state(self) -> str:
        """waiting (for the task queue), queued, running, retrying, done or failed."""
        if self.finished_at is not None:
            return self.outcome
        if self.running_since is not None:
            return "running"
        if self.dispatched_at is None:
            return "waiting"
        return "retrying" if self.not_before is not None else "queued"
