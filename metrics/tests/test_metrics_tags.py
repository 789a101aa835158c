import pytest
from django.contrib.humanize.templatetags.humanize import intcomma

from metrics.templatetags.metrics_tags import thousands


@pytest.mark.parametrize("value", [0, 7, 999, 1000, 12345, 1234567, 10**12, -4321, None])
def test_thousands_writes_counts_as_intcomma_does(value):
    assert str(thousands(value)) == str(intcomma(value))
