"""Skip markers for tests that need a real service; on a bare machine they skip with the reason."""

import pytest
from django.conf import settings

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

requires_postgres = pytest.mark.skipif(
    not ON_POSTGRES, reason="needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/smm"
)
requires_redis = pytest.mark.skipif(
    not settings.REDIS_URL, reason="needs Redis and a live Celery worker: set REDIS_URL=redis://127.0.0.1:6379/1"
)
