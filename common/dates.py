"""Dates as the site prints them in long tables, without the date filter's general format parser.

`day` gives what `{{ value|date:"j M Y" }}` gives, `day_time` what "j M Y, H:i" gives, `time_of_day` "H:i",
`weekday` "D j M", `weekday_time` "D j M, H:i" and `long_weekday` "l j F" (same names of days and months, same
time zone), at a fraction of the cost: the audit report, the top posts and the meeting print one on every row.
"""

from collections.abc import Callable
from datetime import date, datetime
from functools import cache

from django.utils import timezone, translation
from django.utils.dates import MONTHS, MONTHS_3, WEEKDAYS, WEEKDAYS_ABBR


def _local(value: date | datetime) -> date | datetime:
    return timezone.localtime(value) if isinstance(value, datetime) and timezone.is_aware(value) else value


def day(value: date | datetime | None) -> str:
    """3 May 2024; nothing for no date."""
    return days()(value)


def days() -> Callable[[date | datetime | None], str]:
    """`day` for the rows of a long table: the language is asked once (each asking costs more than the rest)."""
    language = translation.get_language()

    def day(value: date | datetime | None) -> str:
        if not value:
            return ""
        value = _local(value)
        return f"{value.day} {_month(language, value.month)} {value.year}"

    return day


@cache
def _month(language: str | None, month: int) -> str:
    with translation.override(language):
        return str(MONTHS_3[month]).title()


def day_time(value: datetime | None, *, separator: str = ", ") -> str:
    """3 May 2024, 09:05 in the current time zone; nothing for no time."""
    if not value:
        return ""
    value = _local(value)
    return f"{day(value)}{separator}{value:%H:%M}"


def day_times(*, separator: str = ", ") -> Callable[[datetime | None], str]:
    """`day_time` for the rows of a long table (the publishing list's 50): `days`, the language asked once."""
    day = days()
    return lambda value: f"{day(value)}{separator}{_local(value):%H:%M}" if value else ""


def time_of_day(value: datetime | None) -> str:
    """09:05 in the current time zone; nothing for no time."""
    return f"{_local(value):%H:%M}" if value else ""


def weekday(value: date | datetime | None) -> str:
    """Mon 3 May; nothing for no date."""
    if not value:
        return ""
    value = _local(value)
    language = translation.get_language()
    return f"{_weekday_abbr(language, value.weekday())} {value.day} {_month(language, value.month)}"


@cache
def _weekday_abbr(language: str | None, index: int) -> str:
    """The day's short name in that language, worked out once (a lazy translation costs more than the rest of a
    date: the meeting prints 70 of them)."""
    with translation.override(language):
        return str(WEEKDAYS_ABBR[index])


def weekday_time(value: datetime | None) -> str:
    """Mon 3 May, 09:05 in the current time zone; nothing for no time."""
    if not value:
        return ""
    value = _local(value)
    return f"{weekday(value)}, {value:%H:%M}"


def long_weekday(value: date | datetime | None) -> str:
    """Monday 3 May; nothing for no date."""
    if not value:
        return ""
    value = _local(value)
    return f"{WEEKDAYS[value.weekday()]} {value.day} {MONTHS[value.month]}"
