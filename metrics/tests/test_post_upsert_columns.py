"""The pull's hand-written post upsert (metrics/post_upsert.py) writes every column of the model, each once."""

from metrics.models import Post
from metrics.post_upsert import COLUMNS, UPDATED_COLUMNS


def test_the_upsert_writes_every_column_of_the_post_model():
    model = [f.column for f in Post._meta.concrete_fields if not f.primary_key]
    assert len(COLUMNS) == len(set(COLUMNS))
    assert set(COLUMNS) == set(model), "a Post field was added or renamed: add it to post_upsert.COLUMNS"


def test_a_refresh_updates_every_column_but_the_identity_and_the_creation_time():
    model = {f.column for f in Post._meta.concrete_fields if not f.primary_key}
    assert set(UPDATED_COLUMNS) == model - {"profile_id", "external_id", "created_at"}
