"""The audit's section of the monthly report: open findings by severity, frozen as plain figures."""

from datetime import UTC, date, datetime, time, timedelta

from .selectors import open_findings_summary


def report_section(*, workspace, period_start: date, period_end: date) -> dict | None:
    """The last audit run up to the end of the period, with its open findings; None when there was none."""
    until = datetime.combine(period_end + timedelta(days=1), time.min, tzinfo=UTC)
    summary = open_findings_summary(workspace=workspace, until=until)
    if summary is None:
        return None
    run = summary["run"]
    return {
        "run_at": run.ran_at.isoformat(),
        "run_date": run.ran_at.date().isoformat(),
        "score": run.score,
        "open_total": summary["open_total"],
        "by_severity": summary["by_severity"],
        "top_findings": [
            {"severity": f.severity, "severity_label": f.get_severity_display(), "title": f.title}
            for f in summary["open"][:5]
        ],
    }
