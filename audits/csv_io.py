"""CSV import and export of the inventory and the access register: the export's columns are the import's.

An import checks every row first, against the same rules as the forms (audits/validation.py), then writes
all of them in one transaction with bulk inserts: if any row is wrong nothing is written and every error is
reported with its line and column. The rows already in the workspace are read once, not once per row, so a
file of 100,000 rows costs a handful of queries.
"""

import csv
import io
from datetime import date, datetime
from operator import attrgetter

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from accounts.models import Membership
from common.csv_import import (
    Choice,
    FileError,
    ImportResult,
    Problem,
    RowError,
    control_problems,
    parse_date,
    parse_yes_no,
    problems_of,
    read_rows,
    with_scheme,
)
from common.spreadsheet import safe_cell
from metrics.models import TrackedProfile

from .models import AccessGrant, SocialAccount
from .validation import AccessInFile, AccountsInFile, check_access, check_account

# The most rows one import takes: 100,000 rows check and write in well under the 30 s a web worker is given; a
# bigger register is imported in several files.
MAX_ROWS = 100_000
BATCH_SIZE = 2_000  # rows per INSERT where there is no COPY (SQLite)

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


class _Importer:
    """One kind of row: how its cells become a model instance, and the shared rules that check it."""

    model = None
    columns: list[str] = []
    # Fields the model's own checks skip: foreign keys resolved from rows loaded here (checking them again would
    # ask the database once per row whether they exist), and fields whose parser only yields valid values.
    resolved = ["workspace"]
    field_columns: dict[str, str] = {}  # model field -> the column that fills it, where the names differ

    def __init__(self, workspace):
        self.workspace = workspace
        self.members = {
            m.user.email.lower(): m.user for m in Membership.objects.filter(workspace=workspace).select_related("user")
        }

    def build(self, row: dict):
        raise NotImplementedError

    def check(self, instance, taken) -> None:
        raise NotImplementedError

    def taken(self):
        raise NotImplementedError

    def member(self, row: dict, column: str, hint: str):
        email = row.get(column, "").lower()
        if email and email not in self.members:
            raise RowError(column, f"{email} is not a member of this workspace{hint}.")
        return self.members.get(email)


class _Accounts(_Importer):
    model = SocialAccount
    columns = ACCOUNT_COLUMNS
    # Filled from rows loaded here, or read from a closed set of values by the columns' parsers below.
    resolved = ["workspace", "owner", "tracked_profile", "platform", "status", "created_on", "last_post_on"]
    field_columns = {"owner": "owner_email", "tracked_profile": "handle"}
    platform = Choice(SocialAccount._meta.get_field("platform").choices, "platform", "Platform")
    status = Choice(SocialAccount.Status.choices, "status", "Status")

    def __init__(self, workspace):
        super().__init__(workspace)
        self.profiles = {
            (p.platform, p.handle.lower()): p for p in TrackedProfile.objects.filter(workspace=workspace, is_own=True)
        }

    def taken(self):
        return AccountsInFile(self.workspace)

    def build(self, row: dict) -> SocialAccount:
        platform = self.platform(row.get("platform", ""))
        handle = row.get("handle", "").lstrip("@")
        return SocialAccount(
            workspace=self.workspace,
            platform=platform,
            handle=handle,
            url=with_scheme(row.get("url", "")),
            purpose=row.get("purpose", ""),
            audience=row.get("audience", ""),
            owner=self.member(row, "owner_email", ""),
            status=self.status(row.get("status") or "active"),
            created_on=parse_date(row.get("created_on", ""), "created_on", "Created on"),
            last_post_on=parse_date(row.get("last_post_on", ""), "last_post_on", "Last post on"),
            tracked_profile=self.profiles.get((platform, handle.lower())),
        )

    def check(self, account, taken) -> None:
        check_account(account, taken=taken)


class _Access(_Importer):
    model = AccessGrant
    columns = ACCESS_COLUMNS
    resolved = [
        *("workspace", "account", "member", "last_reviewed_by"),
        *("level", "tool", "two_factor", "granted_on", "last_reviewed_on", "still_with_company"),
    ]
    field_columns = {"member": "member_email", "account": "handle"}
    level = Choice(AccessGrant.Level.choices, "level", "Level")
    tool = Choice(AccessGrant.Tool.choices, "tool", "Tool")

    def __init__(self, workspace):
        super().__init__(workspace)
        accounts = SocialAccount.objects.filter(workspace=workspace).only("workspace_id", "platform", "handle")
        self.accounts = {(a.platform, a.handle.lower()): a for a in accounts}

    def taken(self):
        return AccessInFile(self.workspace)

    def build(self, row: dict) -> AccessGrant:
        platform = _Accounts.platform(row.get("platform", ""))
        handle = row.get("handle", "").lstrip("@")
        account = self.accounts.get((platform, handle.lower()))
        if account is None:
            raise RowError("handle", f"No account @{handle} on {platform} in the inventory: add or import it first.")
        return AccessGrant(
            workspace=self.workspace,
            account=account,
            member=self.member(row, "member_email", ": use person_name and person_email"),
            person_name=row.get("person_name", ""),
            person_email=row.get("person_email", ""),
            department=row.get("department", ""),
            level=self.level(row.get("level", "")),
            tool=self.tool(row.get("tool") or "native"),
            two_factor=parse_yes_no(row.get("two_factor", ""), "two_factor", "2-step verification", False),
            granted_on=parse_date(row.get("granted_on", ""), "granted_on", "Granted on"),
            last_reviewed_on=parse_date(row.get("last_reviewed_on", ""), "last_reviewed_on", "Last reviewed on"),
            still_with_company=parse_yes_no(
                row.get("still_with_company", ""), "still_with_company", "Still with the company", True
            ),
        )

    def check(self, grant, taken) -> None:
        check_access(grant, taken=taken)


def _checkedread_rows(uploaded, importer: _Importer, result: ImportResult) -> list:
    """Every row built and checked; the wrong ones leave their problems on `result`."""
    accepted, taken = [], importer.taken()
    for count, (line, row) in enumerate(read_rows(uploaded, importer.columns), start=1):
        if count > MAX_ROWS:
            raise FileError(f"It has more than {MAX_ROWS:,} rows; import at most {MAX_ROWS:,} at a time.")
        if row is None:
            result.errors.append(Problem(line, "", "has more cells than the first line names columns."))
            continue
        if problems := control_problems(line, row):
            result.errors.extend(problems)
            continue
        try:
            instance = importer.build(row)
        except RowError as error:
            result.errors.append(Problem(line, error.column, str(error)))
            continue
        # The model's field checks (lengths, choices, e-mail and URL shapes), then the rules the forms apply.
        errors = {}
        try:
            instance.clean_fields(exclude=importer.resolved)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not errors:
            try:
                importer.check(instance, taken)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            result.errors.extend(problems_of(line, ValidationError(errors), importer.field_columns))
            continue
        taken.add(instance, line)
        accepted.append(instance)
    return accepted


_AS_IS = (models.CharField, models.TextField, models.DateField, models.BooleanField, models.ForeignKey)


def _value_getter(field, *, now):
    """How to read a field's database value off an instance, as bulk_create would, but cheaply."""
    if getattr(field, "auto_now_add", False):
        return lambda instance: now  # one time for the whole import
    if isinstance(field, _AS_IS):
        return attrgetter(field.attname)  # their get_db_prep_save returns the value unchanged
    return lambda instance: field.get_db_prep_save(field.pre_save(instance, add=True), connection)


def _copyread_text(value) -> str:
    """One value in COPY's text format: NULL as \\N, booleans as t/f, backslash and line breaks escaped."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _insert(model, instances: list) -> None:
    """Insert checked rows, in the caller's transaction: COPY on PostgreSQL, bulk_create elsewhere.

    bulk_create prepares its INSERTs in Python at about 150 µs a row of twelve columns (7.6 s for 50,000 access
    rows, of which the database took a quarter); COPY takes the same values, prepared by each field as
    bulk_create prepares them (`pre_save`, `get_db_prep_save`), as one stream of text: 100,000 rows in a few
    seconds.
    """
    if connection.vendor != "postgresql":
        model.objects.bulk_create(instances, batch_size=BATCH_SIZE)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    getters = [_value_getter(f, now=timezone.now()) for f in fields]
    stream = io.StringIO()
    for instance in instances:
        stream.write("\t".join(_copyread_text(get(instance)) for get in getters) + "\n")
    stream.seek(0)
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
    with connection.cursor() as cursor:
        cursor.copy_expert(sql, stream)  # Django's query log records it, as any statement


def _import(uploaded, importer: _Importer) -> ImportResult:
    result = ImportResult()
    try:
        accepted = _checkedread_rows(uploaded, importer, result)
    except FileError as error:
        return ImportResult(errors=[Problem(None, "", str(error))])
    if result.errors:
        return result
    if not accepted:
        return ImportResult(errors=[Problem(None, "", "It has no rows under its first line.")])
    try:
        with transaction.atomic():
            _insert(importer.model, accepted)
    except IntegrityError:
        # The rows were checked against the database a moment ago; someone saved a clashing row meanwhile.
        return ImportResult(
            errors=[
                Problem(
                    None,
                    "",
                    "While it was being checked, someone added a row that one of its rows duplicates, "
                    "so nothing was imported: upload it again to see which.",
                )
            ]
        )
    result.created = len(accepted)
    return result


def import_accounts(*, workspace, uploaded) -> ImportResult:
    """Add accounts from a CSV file: every row checked, then all of them written, or none."""
    return _import(uploaded, _Accounts(workspace))


def import_access(*, workspace, uploaded) -> ImportResult:
    """Add access rows from a CSV file, each naming its account by platform and handle: all rows or none."""
    return _import(uploaded, _Access(workspace))


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
