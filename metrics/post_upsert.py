"""The pull's hot write: its posts upserted in one statement per batch, the statement written out.

Through `bulk_create(update_conflicts=True)` the ORM spent more time preparing a pull's 200 posts (a model
instance each, then every field's value prepared again) than the database spent writing them: 30 ms against
19 ms per 200 posts (`manage.py bench --ingest`). The statement is the one bulk_create emits,
INSERT ... ON CONFLICT (profile, external id) DO UPDATE, which PostgreSQL and SQLite both speak.
"""

from django.db import connection, transaction

from .models import Post

# Written on every pull; created_at only when the post is new.
UPDATED_COLUMNS = (
    "published_at",
    "text",
    "permalink",
    "media_type",
    "likes",
    "comments",
    "shares",
    "views",
    "interactions",
    "followers_at_posting",
    "engagement_rate",
    "last_refreshed_at",
    "next_refresh_at",
)
COLUMNS = ("profile_id", "external_id", "created_at", *UPDATED_COLUMNS)
DATETIME_COLUMNS = frozenset({"created_at", "published_at", "last_refreshed_at", "next_refresh_at"})


def upsert_post_rows(rows: list[tuple]) -> None:
    """Insert or update posts; each row holds the values of COLUMNS in order (datetimes aware)."""
    if not rows:
        return
    adapt = connection.ops.adapt_datetimefield_value  # SQLite stores text; PostgreSQL takes them as they are
    datetimes = [i for i, column in enumerate(COLUMNS) if column in DATETIME_COLUMNS]
    batch = max(1, min(500, connection.ops.bulk_batch_size([Post._meta.get_field(c) for c in COLUMNS], rows)))
    # All batches or none, as bulk_create; inside the caller's transaction (a pull's page) without a savepoint.
    with transaction.atomic(savepoint=False):
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            params = []
            for row in chunk:
                values = list(row)
                for i in datetimes:
                    values[i] = adapt(values[i])
                params += values
            with connection.cursor() as cursor:
                cursor.execute(_statement(len(chunk)), params)


def _statement(rows: int) -> str:
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    # Identifiers come from the model, quoted; every value goes as a parameter.
    return (
        f"INSERT INTO {quote(Post._meta.db_table)} ({', '.join(quote(c) for c in COLUMNS)}) "  # noqa: S608
        f"VALUES {', '.join([row] * rows)} "
        f"ON CONFLICT ({quote('profile_id')}, {quote('external_id')}) DO UPDATE SET "
        + ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in UPDATED_COLUMNS)
    )
