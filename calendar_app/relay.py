"""PLACEHOLDER from the stakeholders branch: the calendar engineer's real version replaces it at merge.

The contract: publications_to_relay(*, workspace, month_start) -> list[dict] with the keys
network, network_label, scheduled_at, title, copy, permalink.
"""

from datetime import date


def publications_to_relay(*, workspace, month_start: date) -> list[dict]:
    return []
