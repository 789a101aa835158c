"""A post's first comment and its thread's parts are one kind of row, a follow-up (calendar_app/follow_ups.py): the
first comments already queued keep their rows, at position 0."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("calendar_app", "0023_publication_ws_scheduled_covering"),
    ]

    operations = [
        migrations.AddField(
            model_name="publication",
            name="thread",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="publicationtemplate",
            name="thread",
            field=models.TextField(blank=True),
        ),
        migrations.RenameModel(old_name="FirstComment", new_name="FollowUp"),
        migrations.AlterField(
            model_name="followup",
            name="publication",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="follow_ups", to="calendar_app.publication"
            ),
        ),
        migrations.AddField(
            model_name="followup",
            name="position",
            field=models.PositiveSmallIntegerField(default=0, help_text="0: the first comment; 1..n: the thread."),
        ),
        migrations.AlterField(
            model_name="followup",
            name="status",
            field=models.CharField(
                choices=[
                    ("held", "After the part before"),
                    ("waiting", "Waiting"),
                    ("sending", "Sending"),
                    ("posted", "Posted"),
                    ("failed", "Failed"),
                    ("unknown", "Outcome unknown"),
                ],
                default="waiting",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="followup",
            name="text",
            field=models.TextField(
                help_text="What is posted: the first comment or the thread's part when the post went out."
            ),
        ),
        migrations.AddConstraint(
            model_name="followup",
            constraint=models.UniqueConstraint(fields=("publication", "position"), name="one_follow_up_per_position"),
        ),
    ]
