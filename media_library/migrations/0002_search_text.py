"""The library's search column, filled for the files already there, and on PostgreSQL its trigram index (pg_trgm, a
trusted extension since PostgreSQL 13: the database's owner may create it), so `LIKE '%word%'` reads the index
instead of every file of the workspace. SQLite (development) searches the column without an index."""

from django.db import migrations, models

INDEX = "media_search_trgm"


def _fill(apps, schema_editor):
    MediaFile = apps.get_model("media_library", "MediaFile")
    for media in MediaFile.objects.prefetch_related("tags").iterator(chunk_size=2000):
        parts = [media.original_name, media.alt_text, *(tag.name for tag in media.tags.all())]
        MediaFile.objects.filter(pk=media.pk).update(search_text=" ".join(parts).lower())


def _trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON media_library_mediafile USING gin (search_text gin_trgm_ops)"
        )


def _drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("media_library", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="mediafile",
            name="search_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(_fill, migrations.RunPython.noop),
        migrations.RunPython(_trigram_index, _drop_trigram_index),
    ]
