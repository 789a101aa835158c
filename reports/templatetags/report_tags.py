"""The report's own small filters, none of them a number's or a date's format (those are `{% load numbers %}`)."""

from django import template

from strategy.models import Objective

register = template.Library()


@register.filter
def objective_kind(kind: str) -> str:
    """An objective's kind as people read it: 'business' -> 'Business objective' (a frozen report may hold the code
    or, before, the label)."""
    labels = dict(Objective.Kind.choices)
    label = labels.get(kind) or (kind if kind in labels.values() else "")
    return f"{label} objective" if label else (kind or "")


@register.filter
def share_of(value, total):
    """A bar's width in percent of the largest value (at least 1 so the bar shows)."""
    if not value or not total:
        return 1
    return max(1, min(100, round(float(value) / float(total) * 100)))


@register.filter
def max_of(rows, key):
    values = [row.get(key) for row in rows or [] if row.get(key) is not None]
    return max(values) if values else 0
