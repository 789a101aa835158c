"""Reads of the strategy that pages, the calendar and the monthly report share."""

import difflib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from common.numbers import ONE_DECIMAL, as_percent
from metrics.figures import STANDARD_DAYS, Figures, combine, network_figures, standard_period
from metrics.models import EntityNetwork, TrackedProfile

from .models import CharterVersion, NetworkPlan, Objective, Strategy, StrategyRevision, lines

BRAND = EntityNetwork.BRAND


def words_to_avoid(*, workspace) -> list[str]:
    """The brand voice's banned words, as the publishing calendar's check reads them."""
    text = Strategy.objects.filter(workspace=workspace).values_list("words_to_avoid", flat=True).first()
    return lines(text or "")


def network_plans(*, workspace) -> QuerySet[NetworkPlan]:
    """The workspace's network plan, one row per network."""
    return NetworkPlan.objects.filter(workspace=workspace)


def target_posts_per_week(*, workspace) -> dict[str, int]:
    """Target posts per week per network (platform value), from the network plan."""
    return dict(network_plans(workspace=workspace).values_list("platform", "target_posts_per_week"))


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


def own_network_figures(*, workspace, start: date, end: date, parts=None, platforms=None) -> list[tuple[str, Figures]]:
    """(platform, figures) of the brand's own profiles on each network they are on (active or stopped: an objective
    counts them all), over the period: metrics.figures.network_figures, the one source, from the roll-up per
    network (`parts` and the own profiles' `platforms` when the caller has read them). A network whose accounts have
    no figures yet is there, empty."""
    own = network_figures(workspace=workspace, start=start, end=end, entities=[BRAND], parts=parts)
    days = (end - start).days + 1
    if platforms is None:  # each network once, not each profile (300 own profiles at scale 10 on 3 networks)
        platforms = (
            TrackedProfile.objects.filter(workspace=workspace, is_own=True)
            .order_by()
            .values_list("platform", flat=True)
            .distinct()
        )
    return [(platform, own.get((BRAND, platform)) or Figures(days=days)) for platform in sorted(set(platforms))]


def _measured(kpi: str, chosen: list[Figures], *, days: int) -> float | None:
    """The KPI's value over the chosen networks together (metrics.figures.combine), rounded by the one rule."""
    if not chosen:
        return None
    total = combine(chosen, days=days)
    if kpi == Objective.Kpi.FOLLOWERS:
        return None if total.followers is None else float(total.followers)
    if kpi == Objective.Kpi.POSTS_PER_WEEK:
        return round(total.posts_per_week, ONE_DECIMAL)
    if kpi == Objective.Kpi.ENGAGEMENT_RATE:
        return as_percent(total.engagement_rate)  # objectives are set in percent
    return None


def progress_pct(*, baseline: Decimal, target: Decimal, value: float | None) -> float | None:
    if value is None or target == baseline:
        return None
    share = (Decimal(str(value)) - baseline) / (target - baseline) * 100
    return float(max(Decimal(0), min(Decimal(100), share)).quantize(Decimal("0.1")))


def kpi_readings(*, workspace, start: date, end: date, own_figures=None) -> list[KpiReading]:
    """Each objective with its KPI's value over [start, end], in at most four queries (one when the caller
    passes `own_figures`: a callable giving `own_network_figures`' list, from the parts the homes read once)."""
    objectives = list(Objective.objects.filter(workspace=workspace))
    measured = {o.kpi for o in objectives} - {Objective.Kpi.MANUAL}
    if not measured:
        figures = []
    elif own_figures is not None:
        figures = own_figures()
    else:
        figures = own_network_figures(workspace=workspace, start=start, end=end)
    days = (end - start).days + 1
    readings = []
    for objective in objectives:
        if objective.kpi == Objective.Kpi.MANUAL:
            value = None if objective.manual_value is None else float(objective.manual_value)
        else:
            chosen = [f for platform, f in figures if not objective.platform or platform == objective.platform]
            value = _measured(objective.kpi, chosen, days=days)
        readings.append(
            KpiReading(
                objective, value, progress_pct(baseline=objective.baseline, target=objective.target, value=value)
            )
        )
    return readings


OBJECTIVES_DAYS = STANDARD_DAYS


def objectives_progress(*, workspace, today: date) -> list[KpiReading]:
    """The objectives measured over the last 30 days (the strategy page and the team home), the period of
    every other figure on the team home, so the panels agree with each other."""
    start, end = standard_period(days=OBJECTIVES_DAYS, today=today)
    return kpi_readings(workspace=workspace, start=start, end=end)


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
