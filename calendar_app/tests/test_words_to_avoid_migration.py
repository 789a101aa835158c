"""The calendar's own list of words to avoid joined the strategy's brand voice (migration 0016): nothing is lost."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("calendar_app", "0015_publication_groups"), ("strategy", "0001_initial")]
AFTER = [("calendar_app", "0016_words_to_avoid_in_strategy")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def back_to_the_latest():
    """Whatever the test leaves applied, the database ends at every app's latest migration (the tests after it on
    this worker need the whole schema)."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_calendars_words_are_appended_to_the_brand_voice_once_each(workspace, other_workspace):
    apps = _migrate(BEFORE)
    WordToAvoid = apps.get_model("calendar_app", "WordToAvoid")
    Strategy = apps.get_model("strategy", "Strategy")
    Strategy.objects.create(workspace_id=workspace.pk, words_to_avoid="Cheap\nguaranteed")
    for word in ("cheap", "synergy", "guys"):
        WordToAvoid.objects.create(workspace_id=workspace.pk, word=word)
    WordToAvoid.objects.create(workspace_id=other_workspace.pk, word="spring")  # a workspace without a strategy

    apps = _migrate(AFTER)
    Strategy = apps.get_model("strategy", "Strategy")
    assert Strategy.objects.get(workspace_id=workspace.pk).words_to_avoid == "Cheap\nguaranteed\nguys\nsynergy"
    assert Strategy.objects.get(workspace_id=other_workspace.pk).words_to_avoid == "spring"
