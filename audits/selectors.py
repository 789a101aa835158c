"""Reads the audit pages, the home panel and the monthly report share; each in a fixed number of queries."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, F, Prefetch, Subquery
from django.db.models.functions import Lower

from accounts.models import User
from accounts.two_factor.services import memberships_with_two_factor
from metrics.figures import profile_figures, standard_period

from .models import (
    SEVERITY_ORDER,
    AccessGrant,
    AuditRun,
    AuditSettings,
    Finding,
    Process,
    Severity,
    SocialAccount,
    Tool,
    account_label,
    holder_key,
)
from .rules import Facts


def audit_settings(*, workspace) -> AuditSettings:
    """The workspace's settings, or unsaved defaults when it never changed them."""
    return AuditSettings.objects.filter(workspace=workspace).first() or AuditSettings(workspace=workspace)


def inventory(*, workspace):
    return (
        SocialAccount.objects.filter(workspace=workspace)
        .select_related("owner", "tracked_profile")
        .order_by("platform", "handle", "pk")
    )


def inventory_page(*, workspace):
    """The inventory as its page lists it: the columns it prints, as the report's preview reads them (a window of
    it is read; no tracked profile's row, only its id for the figures)."""
    return (
        SocialAccount.objects.filter(workspace=workspace)
        .select_related("owner")
        .only(*_PREVIEW_ACCOUNT_FIELDS)
        .order_by("platform", "handle", "pk")
    )


def performance_by_account(*, accounts, today: date) -> dict:
    """account id -> the metrics Figures of its tracked profile over the standard period, the last 30 days of
    every page (absent: no data yet)."""
    linked = {a.pk: a.tracked_profile_id for a in accounts if a.tracked_profile_id}
    start, end = standard_period(today=today)
    figures = profile_figures(profiles=list(set(linked.values())), start=start, end=end)
    return {account_id: figures[pid] for account_id, pid in linked.items() if pid in figures}


def with_performance(accounts, *, today: date) -> list[SocialAccount]:
    """The accounts, each with `.perf` (its Figures, or None: "no data yet")."""
    accounts = list(accounts)
    performance = performance_by_account(accounts=accounts, today=today)
    for account in accounts:
        account.perf = performance.get(account.pk)
    return accounts


def last_post_dates(*, accounts, performance: dict) -> dict:
    """account id -> last post date: from the metrics when they know one, else the inventory's own field."""
    dates = {}
    for account in accounts:
        figures = performance.get(account.pk)
        if figures is not None and figures.last_post_on is not None:
            dates[account.pk] = figures.last_post_on
        else:
            dates[account.pk] = account.last_post_on
    return dates


def access_register(*, workspace):
    return (
        AccessGrant.objects.filter(workspace=workspace)
        .select_related("account", "member")
        .order_by("account__platform", "account__handle", "level", "person_name", "pk")
    )


# What the access register's page prints of a grant and its account.
_REGISTER_PAGE_FIELDS = (
    *("account_id", "member_id", "person_name", "person_email", "department", "level", "tool", "two_factor"),
    *("granted_on", "last_reviewed_on", "still_with_company", "account__platform", "account__handle"),
)


def access_register_page(*, workspace):
    """The register as its page lists it, a window of it: the columns it prints, the accounts read through the
    workspace's index, and the members' names by the window's ids in a second query. With 100 workspaces in the
    database a join read every brand's accounts (3,000) and hashed every user (10,700) for 120 grants."""
    members = Prefetch("member", queryset=User.objects.only("full_name", "email"))
    return (
        AccessGrant.objects.filter(workspace=workspace, account__workspace=workspace)
        .select_related("account")
        .only(*_REGISTER_PAGE_FIELDS)
        .prefetch_related(members)
        .order_by("account__platform", "account__handle", "level", "person_name", "pk")
    )


def _held(*, workspace):
    """The workspace's accounts that someone holds access to, in the access matrix's order."""
    return SocialAccount.objects.filter(workspace=workspace, pk__in=AccessGrant.objects.values("account_id")).order_by(
        "platform", Lower("handle"), "pk"
    )


# The report's previews print a few fields of each row: they read just those, so that building the rows
# costs little next to the query itself.
_PREVIEW_ACCOUNT_FIELDS = (
    "platform",
    "handle",
    "url",
    "purpose",
    "audience",
    "status",
    "created_on",
    "last_post_on",
    "tracked_profile_id",
    "owner__full_name",
    "owner__email",
)


def report_previews(*, workspace, limit: int | None) -> dict:
    """The report's inventory and access matrix, each cut to its first `limit` accounts (None: all).

    `more_accounts` and `more_access` say whether rows were left out: one row more than shown is read to know.
    """
    grants = AccessGrant.objects.filter(workspace=workspace)
    accounts = SocialAccount.objects.filter(workspace=workspace).select_related("owner").only(*_PREVIEW_ACCOUNT_FIELDS)
    if limit is None:
        columns, matrix = access_matrix(grants=held_access(grants))
        return {
            "accounts": list(accounts),
            "more_accounts": False,
            "columns": columns,
            "matrix": matrix,
            "more_access": False,
        }
    accounts = list(accounts[: limit + 1])
    held = held_access(grants.filter(account_id__in=_held(workspace=workspace).values("pk")[: limit + 1]))
    columns, matrix = access_matrix(grants=held)
    more_access = len(matrix) > limit
    if more_access:  # the people columns are those of the rows shown
        shown = {row["account_id"] for row in matrix[:limit]}
        columns, matrix = access_matrix(grants=[h for h in held if h.account_id in shown])
    return {
        "accounts": accounts[:limit],
        "more_accounts": len(accounts) > limit,
        "columns": columns,
        "matrix": matrix,
        "more_access": more_access,
    }


def tools(*, workspace):
    return (
        Tool.objects.filter(workspace=workspace)
        .annotate(user_count=Count("users"))
        .prefetch_related(Prefetch("users"))
        .order_by("name")
    )


def processes(*, workspace):
    return Process.objects.filter(workspace=workspace).select_related("owner")


def audit_facts(*, workspace, today: date) -> Facts:
    settings = audit_settings(workspace=workspace)
    accounts = list(inventory(workspace=workspace))
    performance = performance_by_account(accounts=accounts, today=today)
    return Facts(
        today=today,
        dormant_after_days=settings.dormant_after_days,
        review_after_days=settings.review_after_days,
        max_admins_per_account=settings.max_admins_per_account,
        accounts=accounts,
        grants=list(access_register(workspace=workspace)),
        tools=list(Tool.objects.filter(workspace=workspace).annotate(user_count=Count("users"))),
        processes=list(Process.objects.filter(workspace=workspace)),
        last_post_on=last_post_dates(accounts=accounts, performance=performance),
        members=list(memberships_with_two_factor(workspace=workspace)),
        two_factor_policy=workspace.two_factor_policy,
    )


@dataclass(frozen=True, slots=True)
class HeldAccess:
    """What the access matrix needs of one grant: its account, its holder and its cell."""

    account_id: int
    platform: str
    handle: str
    holder_key: str
    holder_name: str
    holder_detail: str  # the column's tooltip: department, else e-mail
    level: str  # the level's label
    two_factor: bool
    still_with_company: bool

    @classmethod
    def of(cls, grant: AccessGrant) -> "HeldAccess":
        """From a grant loaded with its account and member (the access register's rows)."""
        return cls(
            grant.account_id,
            grant.account.platform,
            grant.account.handle,
            grant.holder_key,
            grant.holder_name,
            grant.department or (grant.member.email if grant.member_id else grant.person_email),
            grant.get_level_display(),
            grant.two_factor,
            grant.still_with_company,
        )


_LEVEL_LABELS = dict(AccessGrant.Level.choices)


def held_access(grants) -> list[HeldAccess]:
    """The matrix's view of a queryset of grants (in the register's order), in one query of the columns it shows."""
    rows = grants.values_list(
        "account_id",
        "account__platform",
        "account__handle",
        "member_id",
        "member__full_name",
        "member__email",
        "person_name",
        "person_email",
        "department",
        "level",
        "two_factor",
        "still_with_company",
    )
    return [
        HeldAccess(
            account_id,
            platform,
            handle,
            holder_key(member_id=member_id, person_email=person_email, person_name=person_name),
            (member_name or member_email) if member_id else person_name,
            department or (member_email if member_id else person_email),
            _LEVEL_LABELS.get(level, level),
            two_factor,
            still_with_company,
        )
        for (
            account_id,
            platform,
            handle,
            member_id,
            member_name,
            member_email,
            person_name,
            person_email,
            department,
            level,
            two_factor,
            still_with_company,
        ) in rows
    ]


@dataclass
class MatrixColumn:
    key: str
    name: str
    detail: str
    left: bool


def access_matrix(*, grants: list[HeldAccess]) -> tuple[list[MatrixColumn], list[dict]]:
    """Accounts as rows ("@handle on Network"), people as columns, each cell a HeldAccess (or None)."""
    columns: dict[str, MatrixColumn] = {}
    rows: dict[int, dict] = {}
    for grant in grants:
        column = columns.setdefault(
            grant.holder_key, MatrixColumn(grant.holder_key, grant.holder_name, grant.holder_detail, False)
        )
        column.left = column.left or not grant.still_with_company
        row = rows.setdefault(grant.account_id, {"grant": grant, "cells": {}})
        row["cells"][grant.holder_key] = grant
    ordered = sorted(columns.values(), key=lambda c: (c.left, c.name.lower()))
    table = []
    for row in sorted(rows.values(), key=lambda r: (r["grant"].platform, r["grant"].handle.lower())):
        grant = row["grant"]
        table.append(
            {
                "account_id": grant.account_id,
                "account": account_label(grant.platform, grant.handle),
                "cells": [row["cells"].get(c.key) for c in ordered],
            }
        )
    return ordered, table


@dataclass(frozen=True, slots=True)
class RunSummary:
    """An audit run as the report lists it: when, by whom, its score and how many findings."""

    pk: int
    ran_at: datetime
    score: int
    findings_count: int
    ran_by: str  # the member's name, "" when nobody (a scheduled run or a deleted member)


def recent_runs(*, workspace, limit: int = 24) -> list[RunSummary]:
    """The latest runs, newest first, with who ran them: the report's history, chart and comparison in one query."""
    rows = (
        AuditRun.objects.filter(workspace=workspace)
        .order_by("-ran_at", "-pk")
        .values_list("pk", "ran_at", "score", "findings_count", "ran_by__full_name", "ran_by__email")[:limit]
    )
    return [
        RunSummary(pk, ran_at, score, findings_count, name or email or "")
        for pk, ran_at, score, findings_count, name, email in rows
    ]


def history_points(runs) -> list[dict]:
    """Chart points, oldest first, from runs listed newest first."""
    return [{"date": r.ran_at.date().isoformat(), "score": r.score} for r in reversed(runs)]


def run_findings(*, run) -> list[Finding]:
    findings = list(run.findings.select_related("resolved_by"))
    rank = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    return sorted(findings, key=lambda f: (f.is_resolved, rank[f.severity], f.title))


def severity_counts(findings) -> list[dict]:
    return _by_severity(Counter(finding.severity for finding in findings if not finding.is_resolved))


def _by_severity(counts: Counter) -> list[dict]:
    """Open findings per severity, most severe first, every severity listed (0 included)."""
    return [{"severity": s.value, "label": s.label, "count": counts[s]} for s in SEVERITY_ORDER]


@dataclass(frozen=True, slots=True)
class FindingRow:
    """A finding as the report and the comparison show it (read in one query with who resolved it)."""

    pk: int
    run_id: int
    key: str
    severity: str
    title: str
    detail: str
    resolved_at: datetime | None
    resolved_by: str  # the member's name, "" when nobody is recorded
    resolution_note: str

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def severity_label(self) -> str:
        return _SEVERITY_LABELS.get(self.severity, self.severity)


_SEVERITY_LABELS = dict(Severity.choices)


def _verdict(before: FindingRow | None, after: FindingRow | None) -> str:
    if after is None or after.is_resolved:
        return "resolved"
    if before is None:
        return "new"
    return "reopened" if before.is_resolved else "still open"


@dataclass
class ComparedFinding:
    finding: FindingRow  # from the later run when it is there, else from the earlier one
    before: FindingRow | None
    after: FindingRow | None
    verdict: str = field(init=False)  # new, reopened, still open or resolved: sorted on, then shown

    def __post_init__(self):
        self.verdict = _verdict(self.before, self.after)


def compare_runs(*, earlier: AuditRun | RunSummary | None, later: AuditRun | RunSummary) -> list[ComparedFinding]:
    """Line up two runs' findings by key: new, still open, reopened, resolved."""
    runs = [later.pk, earlier.pk] if earlier else [later.pk]
    # Sorted below: no ORDER BY, which would join the runs for their own ordering.
    both = (
        Finding.objects.filter(run_id__in=runs)
        .order_by()
        .values_list(
            "pk",
            "run_id",
            "key",
            "severity",
            "title",
            "detail",
            "resolved_at",
            "resolved_by__full_name",
            "resolved_by__email",
            "resolution_note",
        )
    )
    after, before = {}, {}
    for pk, run_id, key, severity, title, detail, resolved_at, name, email, note in both:
        finding = FindingRow(pk, run_id, key, severity, title, detail, resolved_at, name or email or "", note)
        (after if run_id == later.pk else before)[key] = finding
    rank = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    order = {"new": 0, "reopened": 1, "still open": 2, "resolved": 3}
    rows = [
        ComparedFinding(after.get(k) or before[k], before.get(k), after.get(k)) for k in after.keys() | before.keys()
    ]
    return sorted(rows, key=lambda r: (order[r.verdict], rank[r.finding.severity], r.finding.title))


def open_findings_glance(*, workspace, shown: int = 3) -> dict | None:
    """The home's glance at the latest run: its score and day, its open findings by severity and the titles of the
    `shown` most severe, as plain values in one query (two when nothing is open); None before any run."""
    latest = AuditRun.objects.filter(workspace=workspace).order_by("-ran_at", "-pk")
    rows = list(
        Finding.objects.filter(run_id=Subquery(latest.values("pk")[:1]), resolved_at__isnull=True).values_list(
            "severity", "title", "run__score", "run__ran_at"
        )
    )
    run = {"score": rows[0][2], "ran_at": rows[0][3]} if rows else latest.values("score", "ran_at").first()
    if run is None:
        return None
    rank = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    most_severe = sorted(rows, key=lambda row: (rank[row[0]], row[1]))[:shown]
    return {
        "run": run,
        "by_severity": _by_severity(Counter(severity for severity, *_ in rows)),
        "titles": [title for _, title, *_ in most_severe],
    }


def latest_open_findings(*, workspace, severities) -> dict | None:
    """The latest run's time and its open findings of those severities (`pk`, `title`, `severity`), the most
    severe first, then by title: one query, and one more for the run's time only when none is open; None
    before any run."""
    runs = AuditRun.objects.filter(workspace=workspace).order_by("-ran_at", "-pk")
    findings = list(
        Finding.objects.filter(
            run_id=Subquery(runs.values("pk")[:1]), resolved_at__isnull=True, severity__in=severities
        )
        .order_by()
        .values("pk", "title", "severity", ran_at=F("run__ran_at"))
    )
    ran_at = findings[0]["ran_at"] if findings else runs.values_list("ran_at", flat=True).first()
    if ran_at is None:
        return None
    rank = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    findings.sort(key=lambda f: (rank[f["severity"]], f["title"]))
    return {"ran_at": ran_at, "findings": findings}


def open_findings_summary(*, workspace, until=None) -> dict | None:
    """The latest run (up to `until`) with its score and its open findings by severity; None before any run."""
    runs = AuditRun.objects.filter(workspace=workspace)
    if until is not None:
        runs = runs.filter(ran_at__lte=until)
    latest = runs.order_by("-ran_at", "-pk").values("pk")[:1]
    # One query for the run and its open findings; the run alone only when nothing is open.
    open_findings = list(
        Finding.objects.filter(run_id=Subquery(latest), resolved_at__isnull=True).select_related("run").defer("detail")
    )
    run = open_findings[0].run if open_findings else runs.order_by("-ran_at", "-pk").first()
    if run is None:
        return None
    rank = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    open_findings.sort(key=lambda f: (rank[f.severity], f.title))
    return {
        "run": run,
        "by_severity": severity_counts(open_findings),
        "open": open_findings,
        "open_total": len(open_findings),
        "critical_or_high": sum(1 for f in open_findings if f.severity in (Severity.CRITICAL, Severity.HIGH)),
    }
