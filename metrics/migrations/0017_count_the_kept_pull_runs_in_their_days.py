"""The pull runs kept today, added to their days (PullRunDay), which until now held only the pruned runs: from here
on every run adds itself when it ends, and the connections page reads the days alone.

Not atomic: a batch per transaction (metrics.pull_run_days.pull_runs_count), so a large install is not locked for
the whole count; a migration stopped half-way counts the rest when run again (counted runs are marked)."""

from django.db import migrations


def count_the_kept_runs(apps, schema_editor):
    from metrics.pull_run_days import pull_runs_count

    pull_runs_count(
        apps.get_model("metrics", "PullRun").objects.all(), day_model=apps.get_model("metrics", "PullRunDay")
    )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("metrics", "0016_pull_runs_counted_in_their_day"),
    ]

    operations = [migrations.RunPython(count_the_kept_runs, migrations.RunPython.noop)]
