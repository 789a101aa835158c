"""Monthly executive reports: figures frozen as JSON when generated, versions kept, one delivery per month."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Workspace


class MonthlyReport(models.Model):
    """One generated version of a workspace's report for one month; its figures never change."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="monthly_reports")
    month = models.DateField(help_text="The first day of the month reported on.")
    version = models.PositiveIntegerField(default=1)
    data = models.JSONField(help_text="The figures, frozen when the report was generated.")
    highlights = models.TextField(blank=True, help_text="The manager's words: what went well, what comes next.")
    generated_at = models.DateTimeField(auto_now_add=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-month", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "month", "version"], name="one_report_per_month_version"),
            models.CheckConstraint(condition=Q(month__day=1), name="report_month_starts_on_the_first"),
        ]

    def __str__(self):
        return f"{self.workspace} · {self.month:%B %Y} (v{self.version})"

    @property
    def slug(self) -> str:
        return f"{self.month:%Y-%m}"


class ReportRecipient(models.Model):
    """Someone outside the workspace's executives who also receives the monthly report."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="report_recipients")
    email = models.EmailField()
    name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["email"]
        constraints = [models.UniqueConstraint(fields=["workspace", "email"], name="one_recipient_per_email")]

    def __str__(self):
        return self.name or self.email


class ReportDelivery(models.Model):
    """A month's e-mailing of the report: one per workspace and month, with one `ReportEmail` per person."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="report_deliveries")
    month = models.DateField()
    report = models.ForeignKey(MonthlyReport, on_delete=models.SET_NULL, null=True, related_name="deliveries")
    started_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["workspace", "month"], name="one_delivery_per_month")]

    def __str__(self):
        return f"{self.workspace} · {self.month:%B %Y}"


# A claimed e-mail whose outcome was not recorded after this long belongs to a process that died during the
# SMTP call (an e-mail takes seconds; the SMTP connection gives up after reports.services.SMTP_TIMEOUT).
SENDING_TIMEOUT = timedelta(minutes=10)


class ReportEmail(models.Model):
    """One person's e-mail of a month's report: claimed before the mail server gets it, then sent or failed.

    The row is what makes "never twice": an e-mail is only handed to the mail server by the one process whose
    claim (pending or failed -> sending) committed, and "sent" is never claimed again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Not sent yet"
        SENDING = "sending", "Sending"
        SENT = "sent", "Received"
        FAILED = "failed", "Not sent"

    delivery = models.ForeignKey(ReportDelivery, on_delete=models.CASCADE, related_name="emails")
    email = models.EmailField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, help_text="The last failure, in plain words.")
    last_error_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "email"], name="one_report_email_per_person"),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="report_email_sent_has_time"
            ),
        ]

    def __str__(self):
        return f"{self.email}: {self.get_status_display()}"

    @property
    def outcome_unknown(self) -> bool:
        """Claimed long ago and never finished: the process died while the mail server had the e-mail."""
        return (
            self.status == self.Status.SENDING
            and self.claimed_at is not None
            and self.claimed_at < timezone.now() - SENDING_TIMEOUT
        )
