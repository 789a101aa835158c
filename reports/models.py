"""Monthly executive reports: figures frozen as JSON when generated, versions kept, one delivery per month."""

from django.conf import settings
from django.db import models
from django.db.models import Q

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
    """The record that a month's report was e-mailed: the unique constraint makes the e-mail go once."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="report_deliveries")
    month = models.DateField()
    report = models.ForeignKey(MonthlyReport, on_delete=models.SET_NULL, null=True, related_name="deliveries")
    recipients = models.JSONField(default=list)
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["workspace", "month"], name="one_delivery_per_month")]

    def __str__(self):
        return f"{self.workspace} · {self.month:%B %Y} sent to {len(self.recipients)}"
