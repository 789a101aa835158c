"""Post indexes lead with the profile: a workspace's top and flop reads only its own profiles' index entries,
however many workspaces share the database (the global date and rate indexes grew with all of them)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0010_daily_rollup"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="post",
            name="post_period_ranking",
        ),
        migrations.RemoveIndex(
            model_name="post",
            name="post_rate_ranking",
        ),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                fields=["profile", "engagement_rate", "published_at"], include=("id",), name="post_profile_rate"
            ),
        ),
    ]
