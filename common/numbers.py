"""The one rounding rule for figures people read: every page, report, e-mail, PDF and KPI rounds through here.

Rates are kept as fractions (0.0123) wherever they are computed; they are rounded only when shown or frozen
(a report's JSON, a KPI's value), always to PERCENT_DECIMALS places of a percent. Counts are whole numbers.
"""

PERCENT_DECIMALS = 2
ONE_DECIMAL = 1  # posts per week, growth in percent


def as_percent(rate: float | None, decimals: int = PERCENT_DECIMALS) -> float | None:
    """0.012345 -> 1.23 (a percent, rounded by the one rule); None stays None."""
    if rate is None:
        return None
    return round(rate * 100, decimals)


def whole(value: float | int | None) -> int | None:
    """A count as people read it: 4104.6 -> 4105; None stays None."""
    if value is None:
        return None
    return round(value)
