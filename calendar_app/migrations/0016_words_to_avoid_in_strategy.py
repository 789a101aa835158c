"""One list of words to avoid: the calendar's own list goes, its words join the strategy's brand voice.

Each workspace's calendar words that its strategy does not list yet (compared without case) are appended to the
strategy's `words_to_avoid`, one per line; a workspace without a strategy row gets one. Going back recreates the
table empty: the words stay in the strategy, which is where the checks read them.
"""

from django.db import migrations


def move_words(apps, schema_editor):
    WordToAvoid = apps.get_model("calendar_app", "WordToAvoid")
    Strategy = apps.get_model("strategy", "Strategy")
    by_workspace: dict[int, list[str]] = {}
    for workspace_id, word in WordToAvoid.objects.order_by("workspace_id", "word").values_list("workspace_id", "word"):
        by_workspace.setdefault(workspace_id, []).append(word)
    for workspace_id, words in by_workspace.items():
        strategy, _ = Strategy.objects.get_or_create(workspace_id=workspace_id)
        listed = [line.strip() for line in (strategy.words_to_avoid or "").replace(",", "\n").splitlines() if line.strip()]
        known = {w.casefold() for w in listed}
        new = [w for w in words if w.casefold() not in known]
        if new:
            strategy.words_to_avoid = "\n".join([*listed, *new])
            strategy.save(update_fields=["words_to_avoid"])


class Migration(migrations.Migration):
    dependencies = [
        ("calendar_app", "0015_publication_groups"),
        ("strategy", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(move_words, migrations.RunPython.noop),
        migrations.DeleteModel(name="WordToAvoid"),
    ]
