"""The `day` and `day_time` filters give what Django's date filter gives, at a fraction of the cost."""

from datetime import UTC, date, datetime

import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

from common.templatetags.numbers import day, day_time


@pytest.mark.parametrize("tz", ["UTC", "America/New_York", "Asia/Tokyo"])
@pytest.mark.parametrize("moment", [datetime(2026, 1, 1, 2, 5, tzinfo=UTC), datetime(2026, 9, 30, 23, 59, tzinfo=UTC)])
def test_day_and_time_read_as_the_date_filter_in_the_current_time_zone(settings, tz, moment):
    settings.TIME_ZONE = tz
    with timezone.override(tz):
        local = timezone.localtime(moment)
        assert day_time(moment) == date_filter(local, "j M Y, H:i")
        assert day(moment) == date_filter(local, "j M Y")


def test_a_plain_date_and_no_date_at_all():
    assert day(date(2024, 5, 3)) == "3 May 2024"
    assert day(None) == day_time(None) == ""
