"""Quarters as the SWOT names them ("2026-Q4", shown "Q4 2026"): the services and the suggestions both use them."""

from datetime import date


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_label(quarter: str) -> str:
    year, q = quarter.split("-")
    return f"{q} {year}"
