"""CSV import and export of the inventory and the access register: the export's columns are the import's.

An import validates every row first; if any row is wrong nothing is written and every error is reported by row.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Membership
from common.spreadsheet import safe_cell
from metrics.models import TrackedProfile

from . import services
from .models import AccessGrant, SocialAccount

ACCOUNT_COLUMNS = [
    "platform",
    "handle",
    "url",
    "purpose",
    "audience",
    "owner_email",
    "status",
    "created_on",
    "last_post_on",
]
ACCESS_COLUMNS = [
    "platform",
    "handle",
    "member_email",
    "person_name",
    "person_email",
    "department",
    "level",
    "tool",
    "two_factor",
    "granted_on",
    "last_reviewed_on",
    "still_with_company",
]
YES = {"yes", "y", "true", "1", "on"}
NO = {"no", "n", "false", "0", "off", ""}


class RowError(Exception):
    pass


@dataclass
class ImportResult:
    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)

    @property
    def ok(self) -> bool:
        return not self.errors


def _choice(value: str, choices, what: str) -> str:
    wanted = value.strip().lower()
    for key, label in choices:
        if wanted in (key, label.lower()):
            return key
    allowed = ", ".join(key for key, _ in choices)
    raise RowError(f"{what} “{value}” is unknown: use one of {allowed}.")


def _date(value: str, what: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RowError(f"{what} “{value}” is not a date: write it as YYYY-MM-DD.") from None


def _yes_no(value: str, what: str, default: bool) -> bool:
    value = value.strip().lower()
    if value == "":
        return default
    if value in YES:
        return True
    if value in NO:
        return False
    raise RowError(f"{what} “{value}” should be yes or no.")


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(m for messages in error.message_dict.values() for m in messages)
    return " ".join(error.messages)


def _rows(uploaded, columns: list[str]):
    try:
        text = uploaded.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RowError("The file is not UTF-8 text: save it from your spreadsheet as “CSV UTF-8”.") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("platform", "handle") if c not in header]
    if missing:
        raise RowError(
            f"The first line must name the columns; missing: {', '.join(missing)}. Expected: {', '.join(columns)}."
        )
    reader.fieldnames = header
    for line, row in enumerate(reader, start=2):
        yield line, {k: (v or "").strip() for k, v in row.items() if k}


def _import(uploaded, columns, build) -> ImportResult:
    result = ImportResult()
    try:
        with transaction.atomic():
            for line, row in _rows(uploaded, columns):
                try:
                    with transaction.atomic():
                        build(row)
                    result.created += 1
                except RowError as error:
                    result.errors.append((line, str(error)))
                except ValidationError as error:
                    result.errors.append((line, _messages(error)))
            if result.errors or not result.created:
                raise _Rollback
    except _Rollback:
        result.created = 0
        if not result.errors:
            result.errors.append((1, "The file has no rows under its header."))
    except RowError as error:
        result.created = 0
        result.errors = [(1, str(error))]
    except csv.Error as error:
        result.created = 0
        result.errors = [
            (1, f"The file cannot be read as CSV ({error}): save it from your spreadsheet as “CSV UTF-8”.")
        ]
    return result


class _Rollback(Exception):
    """Undo every row of an import that has at least one wrong row."""


def _members_by_email(workspace) -> dict:
    return {m.user.email.lower(): m.user for m in Membership.objects.filter(workspace=workspace).select_related("user")}


def import_accounts(*, workspace, uploaded) -> ImportResult:
    """Add accounts from a CSV file: all rows or none."""
    members = _members_by_email(workspace)
    profiles = {
        (p.platform, p.handle.lower()): p for p in TrackedProfile.objects.filter(workspace=workspace, is_own=True)
    }

    def build(row):
        platform = _choice(row.get("platform", ""), SocialAccount._meta.get_field("platform").choices, "Platform")
        owner_email = row.get("owner_email", "").lower()
        if owner_email and owner_email not in members:
            raise RowError(f"Owner {owner_email} is not a member of this workspace.")
        handle = row.get("handle", "").lstrip("@")
        services.account_save(
            workspace=workspace,
            platform=platform,
            handle=handle,
            url=row.get("url", ""),
            purpose=row.get("purpose", ""),
            audience=row.get("audience", ""),
            owner=members.get(owner_email),
            status=_choice(row.get("status") or "active", SocialAccount.Status.choices, "Status"),
            created_on=_date(row.get("created_on", ""), "Created on"),
            last_post_on=_date(row.get("last_post_on", ""), "Last post on"),
            tracked_profile=profiles.get((platform, handle.lower())),
        )

    return _import(uploaded, ACCOUNT_COLUMNS, build)


def import_access(*, workspace, uploaded) -> ImportResult:
    """Add access rows from a CSV file, each naming its account by platform and handle: all rows or none."""
    members = _members_by_email(workspace)
    accounts = {(a.platform, a.handle.lower()): a for a in SocialAccount.objects.filter(workspace=workspace)}

    def build(row):
        platform = _choice(row.get("platform", ""), SocialAccount._meta.get_field("platform").choices, "Platform")
        handle = row.get("handle", "").lstrip("@")
        account = accounts.get((platform, handle.lower()))
        if account is None:
            raise RowError(f"No account @{handle} on {platform} in the inventory: add or import it first.")
        member_email = row.get("member_email", "").lower()
        if member_email and member_email not in members:
            raise RowError(f"{member_email} is not a member of this workspace: use person_name and person_email.")
        services.access_save(
            workspace=workspace,
            account=account,
            member=members.get(member_email),
            person_name=row.get("person_name", ""),
            person_email=row.get("person_email", ""),
            department=row.get("department", ""),
            level=_choice(row.get("level", ""), AccessGrant.Level.choices, "Level"),
            tool=_choice(row.get("tool") or "native", AccessGrant.Tool.choices, "Tool"),
            two_factor=_yes_no(row.get("two_factor", ""), "2-step verification", False),
            granted_on=_date(row.get("granted_on", ""), "Granted on"),
            last_reviewed_on=_date(row.get("last_reviewed_on", ""), "Last reviewed on"),
            still_with_company=_yes_no(row.get("still_with_company", ""), "Still with the company", True),
        )

    return _import(uploaded, ACCESS_COLUMNS, build)


def _yn(flag: bool) -> str:
    return "yes" if flag else "no"


def export_accounts(rows, out) -> None:
    writer = csv.writer(out)
    writer.writerow(ACCOUNT_COLUMNS)
    for a in rows:
        writer.writerow(
            safe_cell(v)
            for v in [
                a.platform,
                a.handle,
                a.url,
                a.purpose,
                a.audience,
                a.owner.email if a.owner_id else "",
                a.status,
                a.created_on or "",
                a.last_post_on or "",
            ]
        )


def export_access(rows, out) -> None:
    writer = csv.writer(out)
    writer.writerow(ACCESS_COLUMNS)
    for g in rows:
        writer.writerow(
            safe_cell(v)
            for v in [
                g.account.platform,
                g.account.handle,
                g.member.email if g.member_id else "",
                g.person_name,
                g.person_email,
                g.department,
                g.level,
                g.tool,
                _yn(g.two_factor),
                g.granted_on or "",
                g.last_reviewed_on or "",
                _yn(g.still_with_company),
            ]
        )


def export_findings(run, findings, out) -> None:
    writer = csv.writer(out)
    writer.writerow(
        ["run_at", "score", "severity", "rule", "title", "detail", "status", "resolved_at", "resolution_note"]
    )
    for f in findings:
        writer.writerow(
            safe_cell(v)
            for v in [
                run.ran_at.isoformat(timespec="minutes"),
                run.score,
                f.severity,
                f.rule,
                f.title,
                f.detail,
                "resolved" if f.is_resolved else "open",
                f.resolved_at.isoformat(timespec="minutes") if f.resolved_at else "",
                f.resolution_note,
            ]
        )
