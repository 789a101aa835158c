"""The monthly report's sections from other apps, in the order the report shows them.

Each is `report_section(*, workspace, period_start, period_end) -> dict | None`, in the app's `reporting.py`,
imported here: a module that does not import fails at start-up and in the tests, not silently in a report.
reports/sections.py says which template shows each frozen section.
"""

from audits.reporting import report_section as audit_section
from calendar_app.reporting import report_section as calendar_section
from competitors.reporting import report_section as competitors_section

SECTIONS = [
    ("competitors", competitors_section),
    ("audits", audit_section),
    ("calendar_app", calendar_section),
]
