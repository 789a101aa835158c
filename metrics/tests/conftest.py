import pytest

LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "metrics-tests"}}


@pytest.fixture(autouse=True)
def _fresh_rate_budgets(settings):
    """Rate budgets live in the cache; each test starts with none spent.

    A private in-process cache, never the shared Redis: clearing Redis would also flush the Celery broker
    that a live-worker test in another process is using at the same moment.
    """
    from django.core.cache import cache

    settings.CACHES = LOCAL_CACHE
    cache.clear()
    yield
    cache.clear()
