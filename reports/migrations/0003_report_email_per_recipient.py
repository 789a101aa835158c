"""One row per recipient of a month's e-mail (ReportEmail) instead of a list on the delivery.

A delivery row existed only once its whole sending had committed (it was one transaction), so every address
in an existing delivery's list received the report: each becomes a "sent" ReportEmail at the delivery's time.
"""

import django.db.models.deletion
from django.db import migrations, models


def emails_from_lists(apps, schema_editor):
    ReportDelivery = apps.get_model("reports", "ReportDelivery")
    ReportEmail = apps.get_model("reports", "ReportEmail")
    rows = []
    for delivery in ReportDelivery.objects.all().iterator():
        for email in dict.fromkeys(address.lower() for address in delivery.recipients or []):
            rows.append(
                ReportEmail(
                    delivery=delivery,
                    email=email,
                    status="sent",
                    attempts=1,
                    claimed_at=delivery.started_at,
                    sent_at=delivery.started_at,
                )
            )
    ReportEmail.objects.bulk_create(rows, batch_size=1000)


def lists_from_emails(apps, schema_editor):
    ReportDelivery = apps.get_model("reports", "ReportDelivery")
    for delivery in ReportDelivery.objects.all().iterator():
        delivery.recipients = sorted(delivery.emails.filter(status="sent").values_list("email", flat=True))
        delivery.save(update_fields=["recipients"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_monthly_report_schedule"),
    ]

    operations = [
        migrations.RenameField(model_name="reportdelivery", old_name="sent_at", new_name="started_at"),
        migrations.CreateModel(
            name="ReportEmail",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("email", models.EmailField(max_length=254)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Not sent yet"),
                            ("sending", "Sending"),
                            ("sent", "Received"),
                            ("failed", "Not sent"),
                        ],
                        default="pending",
                        max_length=8,
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("claimed_at", models.DateTimeField(blank=True, null=True)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                ("last_error", models.TextField(blank=True, help_text="The last failure, in plain words.")),
                ("last_error_at", models.DateTimeField(blank=True, null=True)),
                (
                    "delivery",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="emails", to="reports.reportdelivery"
                    ),
                ),
            ],
            options={
                "ordering": ["email"],
                "constraints": [
                    models.UniqueConstraint(fields=("delivery", "email"), name="one_report_email_per_person"),
                    models.CheckConstraint(
                        condition=models.Q(("status", "sent"), _negated=True) | models.Q(("sent_at__isnull", False)),
                        name="report_email_sent_has_time",
                    ),
                ],
            },
        ),
        migrations.RunPython(emails_from_lists, lists_from_emails),
        migrations.RemoveField(model_name="reportdelivery", name="recipients"),
    ]
