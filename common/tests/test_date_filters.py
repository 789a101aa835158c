"""The meeting's date filters give what Django's date filter gives, at a fraction of the cost."""

from datetime import UTC, date, datetime

import pytest
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import time as time_filter
from django.utils import timezone

from common.templatetags.numbers import long_weekday, time_of_day, weekday, weekday_time


@pytest.mark.parametrize("tz", ["UTC", "Europe/Paris", "Asia/Tokyo"])
@pytest.mark.parametrize("moment", [datetime(2026, 1, 4, 23, 5, tzinfo=UTC), datetime(2026, 9, 30, 8, 59, tzinfo=UTC)])
def test_the_weekday_filters_read_as_the_date_filter_in_the_current_time_zone(tz, moment):
    with timezone.override(tz):
        local = timezone.localtime(moment)
        assert time_of_day(moment) == time_filter(local, "H:i")
        assert weekday(moment) == date_filter(local, "D j M")
        assert weekday_time(moment) == date_filter(local, "D j M, H:i")
        assert long_weekday(moment) == date_filter(local, "l j F")


def test_plain_dates_and_no_date_at_all():
    assert weekday(date(2026, 12, 7)) == "Mon 7 Dec" == date_filter(date(2026, 12, 7), "D j M")
    assert long_weekday(date(2026, 12, 13)) == "Sunday 13 December"
    assert time_of_day(None) == weekday(None) == weekday_time(None) == long_weekday(None) == ""


@pytest.mark.parametrize("tz", ["UTC", "Europe/Paris", "Asia/Tokyo"])
def test_day_times_for_long_tables_reads_as_day_time(tz):
    from common.dates import day_time, day_times

    moments = [datetime(2026, 1, 4, 23, 5, tzinfo=UTC), datetime(2026, 9, 30, 8, 59, tzinfo=UTC), None]
    with timezone.override(tz):
        each = day_times()
        assert [each(m) for m in moments] == [day_time(m) for m in moments]
        assert each(moments[0]) == date_filter(timezone.localtime(moments[0]), "j M Y, H:i")
