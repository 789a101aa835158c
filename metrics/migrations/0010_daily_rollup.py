"""The daily roll-up table (metrics.ProfileDay). It is filled by `manage.py rollup_rebuild`, which must run once
after this migration (then the pulls keep it up to date)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0009_handles_any_case_unknown_figures"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProfileDay",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("date", models.DateField()),
                (
                    "followers",
                    models.PositiveIntegerField(
                        blank=True, help_text="At the day's end; empty: no snapshot.", null=True
                    ),
                ),
                (
                    "follower_change",
                    models.IntegerField(default=0, help_text="Since the previous known count (0 for the first)."),
                ),
                ("posts", models.PositiveIntegerField(default=0)),
                ("interactions", models.PositiveBigIntegerField(default=0)),
                (
                    "impressions",
                    models.PositiveBigIntegerField(blank=True, help_text="Sum of the known views.", null=True),
                ),
                (
                    "reach",
                    models.PositiveBigIntegerField(
                        blank=True, help_text="Where a platform gives it (none yet).", null=True
                    ),
                ),
                ("rated_posts", models.PositiveIntegerField(default=0, help_text="Posts with an engagement rate.")),
                ("rate_sum", models.FloatField(default=0.0, help_text="Sum of those posts' engagement rates.")),
                ("viewed_posts", models.PositiveIntegerField(default=0, help_text="Posts with views.")),
                (
                    "view_rate_sum",
                    models.FloatField(default=0.0, help_text="Sum of those posts' interactions / views."),
                ),
            ],
            options={
                "ordering": ["profile", "date"],
            },
        ),
        migrations.AddField(
            model_name="profileday",
            name="profile",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="days", to="metrics.trackedprofile"
            ),
        ),
        migrations.AddIndex(
            model_name="profileday",
            index=models.Index(
                fields=["profile", "date"],
                include=(
                    "posts",
                    "interactions",
                    "rated_posts",
                    "rate_sum",
                    "impressions",
                    "viewed_posts",
                    "view_rate_sum",
                ),
                name="profileday_period",
            ),
        ),
        migrations.AddIndex(
            model_name="profileday",
            index=models.Index(
                condition=models.Q(("followers__isnull", False)),
                fields=["profile", "-date"],
                include=("followers",),
                name="profileday_known_followers",
            ),
        ),
        migrations.AddConstraint(
            model_name="profileday",
            constraint=models.UniqueConstraint(fields=("profile", "date"), name="one_profile_day"),
        ),
    ]
