"""The site's one small filter library for numbers and dates: `{% load numbers %}`.

Selectors return raw values (ints, fractions, dates); templates format them here, with the rounding rule of
common/numbers.py. Written out rather than through humanize's localisation machinery: the long tables (posts,
the audit) print several figures per row, and the site is in English only.
"""

from datetime import date, datetime

from django import template

from common import dates
from common.numbers import PERCENT_DECIMALS, whole

register = template.Library()

DASH = "—"


def _number(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@register.filter
def count(value, decimals=0):
    """12345.4 -> '12,345'; with decimals, 3.25 -> '3.3' (decimals=1); None -> '—'."""
    number = _number(value)
    if number is None:
        return DASH
    if int(decimals):
        return f"{number:,.{int(decimals)}f}"
    return f"{whole(number):,}"


@register.filter
def signed(value, decimals=0):
    """+4,104 / -12 / 0; ASCII minus because the PDF fonts lack U+2212; None -> '—'."""
    number = _number(value)
    if number is None:
        return DASH
    text = count(abs(number), decimals)
    if text in ("0", f"{0:.{int(decimals)}f}"):
        return text
    return ("+" if number > 0 else "-") + text


@register.filter
def percent(rate, decimals=PERCENT_DECIMALS):
    """A fraction as a percent: 0.01234 -> '1.23 %'; None -> '—'."""
    number = _number(rate)
    return DASH if number is None else percent_value(number * 100, decimals)


@register.filter
def percent_value(value, decimals=PERCENT_DECIMALS):
    """A value already in percent (a frozen report's 1.23) -> '1.23 %'; None -> '—'."""
    number = _number(value)
    if number is None:
        return DASH
    return f"{number:.{int(decimals)}f} %"


@register.filter
def signed_percent_value(value, decimals=1):
    """A change already in percent: 2.345 -> '+2.3 %'; None -> '—'."""
    number = _number(value)
    if number is None:
        return DASH
    return f"{number:+.{int(decimals)}f} %"


@register.filter
def as_date(value):
    """An ISO date or datetime string (a frozen report's JSON) as a date or datetime; anything else unchanged."""
    if isinstance(value, date | datetime) or not value:
        return value or None
    try:
        return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


day = register.filter("day", dates.day)  # 3 May 2024 (the current time zone's day)
day_time = register.filter("day_time", dates.day_time)  # 3 May 2024, 09:05
time_of_day = register.filter("time_of_day", dates.time_of_day)  # 09:05
weekday = register.filter("weekday", dates.weekday)  # Fri 3 May
weekday_time = register.filter("weekday_time", dates.weekday_time)  # Fri 3 May, 09:05
long_weekday = register.filter("long_weekday", dates.long_weekday)  # Friday 3 May
