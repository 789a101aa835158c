import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_budgets():
    """Rate budgets live in the shared cache; each test starts with none spent."""
    cache.clear()
    yield
    cache.clear()
