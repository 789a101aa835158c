"""Reads of the strategy that pages, the calendar and the monthly report share."""

import difflib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from metrics.models import TrackedProfile
from metrics.selectors import profile_performance

from .models import CharterVersion, NetworkPlan, Objective, Strategy, StrategyRevision, lines


def words_to_avoid(*, workspace) -> list[str]:
    """The brand voice's banned words, as the publishing calendar's check reads them."""
    text = Strategy.objects.filter(workspace=workspace).values_list("words_to_avoid", flat=True).first()
    return lines(text or "")


def target_posts_per_week(*, workspace) -> dict[str, int]:
    """Target posts per week per network (platform value), from the network plan."""
    return dict(NetworkPlan.objects.filter(workspace=workspace).values_list("platform", "target_posts_per_week"))


def current_charter(*, workspace) -> CharterVersion | None:
    return CharterVersion.objects.filter(workspace=workspace).select_related("approved_by", "created_by").first()


def approved_charter(*, workspace) -> CharterVersion | None:
    return (
        CharterVersion.objects.filter(workspace=workspace, approved_at__isnull=False)
        .select_related("approved_by", "created_by")
        .first()
    )


@dataclass(frozen=True)
class KpiReading:
    objective: Objective
    value: float | None
    progress_pct: float | None  # share of the way from baseline to target, 0-100


@dataclass(frozen=True)
class _ProfileFigures:
    """What the KPIs need of one own profile over the period (the same figures as `profile_performance`)."""

    platform: str
    followers: int | None  # on the last day of the period (or the last known before it)
    posts: int
    posts_per_week: float
    engagement_rate: float | None  # mean over the period's posts


def _profile_figures(*, workspace, start: date, end: date) -> list[_ProfileFigures]:
    """The own profiles' figures over the period, as `profile_performance` gives them: within a request
    the team home's panels read the same 30 days, so the objectives cost no query of their own there."""
    profiles = list(TrackedProfile.objects.filter(workspace=workspace, is_own=True).values_list("pk", "platform"))
    performance = profile_performance(profiles=[pk for pk, _ in profiles], start=start, end=end)
    figures = []
    for pk, platform in profiles:
        perf = performance.get(pk)
        if perf is None:
            continue
        figures.append(_ProfileFigures(platform, perf.followers, perf.posts, perf.posts_per_week, perf.engagement_rate))
    return figures


def _measured(kpi: str, performances: list) -> float | None:
    if kpi == Objective.Kpi.FOLLOWERS:
        known = [p.followers for p in performances if p.followers is not None]
        return float(sum(known)) if known else None
    if kpi == Objective.Kpi.POSTS_PER_WEEK:
        return round(sum(p.posts_per_week for p in performances), 2) if performances else None
    if kpi == Objective.Kpi.ENGAGEMENT_RATE:
        # The period's rate is the mean over its posts: weight each profile's mean by its posts.
        rated = [p for p in performances if p.engagement_rate is not None and p.posts]
        posts = sum(p.posts for p in rated)
        return round(sum(p.engagement_rate * p.posts for p in rated) / posts * 100, 3) if posts else None
    return None


def progress_pct(*, baseline: Decimal, target: Decimal, value: float | None) -> float | None:
    if value is None or target == baseline:
        return None
    share = (Decimal(str(value)) - baseline) / (target - baseline) * 100
    return float(max(Decimal(0), min(Decimal(100), share)).quantize(Decimal("0.1")))


def kpi_readings(*, workspace, start: date, end: date) -> list[KpiReading]:
    """Each objective with its KPI's value over [start, end], in at most four queries."""
    objectives = list(Objective.objects.filter(workspace=workspace))
    measured = {o.kpi for o in objectives} - {Objective.Kpi.MANUAL}
    figures = _profile_figures(workspace=workspace, start=start, end=end) if measured else []
    readings = []
    for objective in objectives:
        if objective.kpi == Objective.Kpi.MANUAL:
            value = None if objective.manual_value is None else float(objective.manual_value)
        else:
            chosen = [f for f in figures if not objective.platform or f.platform == objective.platform]
            value = _measured(objective.kpi, chosen)
        readings.append(
            KpiReading(
                objective, value, progress_pct(baseline=objective.baseline, target=objective.target, value=value)
            )
        )
    return readings


OBJECTIVES_DAYS = 30


def objectives_progress(*, workspace, today: date) -> list[KpiReading]:
    """The objectives measured over the last 30 days (the strategy page and the team home), the period of
    every other figure on the team home, so the panels agree with each other."""
    return kpi_readings(workspace=workspace, start=today - timedelta(days=OBJECTIVES_DAYS - 1), end=today)


def _as_lines(snapshot: dict) -> dict[str, list[str]]:
    from .services import TEXT_FIELDS

    sections: dict[str, list[str]] = {}
    texts = snapshot.get("texts", {})
    for name in TEXT_FIELDS:
        sections[name.replace("_", " ").capitalize()] = (texts.get(name) or "").splitlines()
    # JSON columns may reorder keys (PostgreSQL's jsonb does): each row is written in a fixed order.
    formats = [
        (
            "objectives",
            "Objectives",
            "{title} ({kind}): {kpi} from {baseline} to {target} by {deadline}; manual value {manual_value}; goal: {goal}",
        ),
        ("segments", "Audience segments", "{name} on {networks}: {description}"),
        ("networks", "Network plan", "{network}: {target_posts_per_week} posts a week; {role}"),
        ("budget", "Budget", "{label}: {amount} {period}; {notes}"),
    ]
    for key, label, line in formats:
        rows = []
        for row in snapshot.get(key, []):
            values = {
                k: ", ".join(v) if isinstance(v, list) else ("—" if v in (None, "") else v) for k, v in row.items()
            }
            rows.append(line.format_map(values))
        sections[label] = rows
    charter = snapshot.get("charter")
    sections["Charter"] = (
        []
        if not charter
        else [
            f"version {charter['version']}",
            f"approved by {charter['approved_by'] or '—'} at {charter['approved_at'] or '—'}",
        ]
    )
    return sections


def revision_diff(*, older: StrategyRevision, newer: StrategyRevision) -> list[dict]:
    """The sections that differ between two revisions, each as lines marked added, removed or kept."""
    before, after = _as_lines(older.snapshot), _as_lines(newer.snapshot)
    changes = []
    for section, new_lines in after.items():
        old_lines = before.get(section, [])
        if old_lines == new_lines:
            continue
        marked = []
        for line in difflib.ndiff(old_lines, new_lines):
            op = line[:2]
            if op == "? ":
                continue
            kind = {"+ ": "added", "- ": "removed"}.get(op, "kept")
            marked.append({"kind": kind, "text": line[2:]})
        changes.append({"section": section, "lines": marked})
    return changes
