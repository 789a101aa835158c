"""CSV import and export of the inventory and the access register: the export's columns are the import's.

An import checks every row first, against the same rules as the forms (audits/validation.py), then writes
all of them in one transaction with bulk inserts: if any row is wrong nothing is written and every error is
reported with its line and column. The rows already in the workspace are read once, not once per row, so a
file of 100,000 rows costs a handful of queries.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import attrgetter

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from accounts.models import Membership
from common.spreadsheet import safe_cell, unsafe_cell
from metrics.models import TrackedProfile

from .models import AccessGrant, SocialAccount
from .validation import AccessInFile, AccountsInFile, check_access, check_account

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

# The biggest file one request reads and the most rows it imports: 100,000 rows check and write in well under
# the 30 s a web worker is given; a bigger register is imported in several files.
MAX_UPLOAD_MB = 32
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_ROWS = 100_000
BATCH_SIZE = 2_000  # rows per INSERT where there is no COPY (SQLite)
SHOWN_ERRORS = 100  # the page lists this many errors and says how many there are in all

# Characters that no cell of a spreadsheet's text holds: C0 controls but tab and line breaks, DEL, C1 controls.
# PostgreSQL refuses NUL in text outright; the others would be stored and printed as garbage.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What a spreadsheet saves when asked for the wrong format, by the file's first bytes.
_NOT_CSV = [
    (b"PK\x03\x04", "an Excel workbook or another zip file"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) workbook"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xfe", "UTF-16 text"),
    (b"\xfe\xff", "UTF-16 text"),
]
SAVE_AS_CSV = "save it from your spreadsheet as “CSV UTF-8” and upload that file."


class RowError(Exception):
    """A cell that cannot be read (an unknown choice, a date written otherwise); names its column."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column


class FileError(Exception):
    """The file as a whole cannot be imported: not text, no header, too big."""


@dataclass(frozen=True)
class Problem:
    line: int | None  # None: the file as a whole
    column: str  # "" when the message is about the row
    message: str

    def __str__(self):
        where = "The file" if self.line is None else f"Line {self.line}"
        return f"{where}{', ' + self.column if self.column else ''}: {self.message}"


@dataclass
class ImportResult:
    created: int = 0
    errors: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def shown_errors(self) -> list[Problem]:
        return self.errors[:SHOWN_ERRORS]

    @property
    def hidden_errors(self) -> int:
        return max(len(self.errors) - SHOWN_ERRORS, 0)


class _Choice:
    """A column whose cell is one of a field's choices, by key or by label, in any case."""

    def __init__(self, choices, column: str, what: str):
        self.keys = {key: key for key, _ in choices} | {label.lower(): key for key, label in choices}
        self.column, self.what = column, what
        self.allowed = ", ".join(key for key, _ in choices)

    def __call__(self, value: str) -> str:
        try:
            return self.keys[value.strip().lower()]
        except KeyError:
            raise RowError(self.column, f"{self.what} “{value}” is unknown: use one of {self.allowed}.") from None


def _date(value: str, column: str, what: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RowError(column, f"{what} “{value}” is not a date: write it as YYYY-MM-DD.") from None


def _yes_no(value: str, column: str, what: str, default: bool) -> bool:
    value = value.strip().lower()
    if value == "":
        return default
    if value in YES:
        return True
    if value in NO:
        return False
    raise RowError(column, f"{what} “{value}” should be yes or no.")


def _https(url: str) -> str:
    """An address typed without its scheme is read as https, as the form's URL field reads it."""
    return f"https://{url}" if url and "://" not in url else url


def _text(uploaded) -> str:
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise FileError(
            f"It is {uploaded.size / 1024 / 1024:.1f} MB; import at most {MAX_UPLOAD_MB} MB at a time "
            "(about 200,000 rows): split it into several files."
        )
    data = uploaded.read()
    for magic, kind in _NOT_CSV:
        if data.startswith(magic):
            raise FileError(f"It is {kind}, not CSV text: {SAVE_AS_CSV}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileError(f"It is not UTF-8 text (or not text at all): {SAVE_AS_CSV}") from None
    header = text.split("\n", 1)[0]
    if _CONTROL.search(header):
        raise FileError(f"Its first line holds characters that no text holds, so it is not a CSV file: {SAVE_AS_CSV}")
    return text


def _rows(uploaded, columns: list[str]):
    """(line, {column: cell}) for each row; the header's names are matched without case or spaces."""
    text = _text(uploaded)
    first_line = text.split("\n", 1)[0]
    # Spreadsheets in some locales save with ";" or tabs; the header's plain column names tell which.
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader, [])]
    except csv.Error as error:
        raise FileError(f"It cannot be read as CSV ({error}): {SAVE_AS_CSV}") from None
    missing = [c for c in ("platform", "handle") if c not in header]
    if missing:
        raise FileError(
            f"Its first line must name the columns; missing: {', '.join(missing)}. Expected: {', '.join(columns)}."
        )
    known = [(i, name) for i, name in enumerate(header) if name in columns]
    line = 1
    try:
        # Numbered as a spreadsheet numbers its rows: the header is line 1, a blank line counts.
        for line, cells in enumerate(reader, start=2):
            if not any(cells):
                continue  # a blank line
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                yield line, None  # more cells than the header names: the columns are shifted
                continue
            # unsafe_cell: a cell the export kept from running as a formula ('=...) imports back as it was.
            yield line, {name: unsafe_cell(cells[i].strip()) if i < len(cells) else "" for i, name in known}
    except csv.Error as error:
        raise FileError(f"Line {line + 1} cannot be read as CSV ({error}): {SAVE_AS_CSV}") from None


def _control_problems(line: int, row: dict) -> list[Problem]:
    problems = []
    for column, cell in row.items():
        if found := _CONTROL.search(cell):
            code = ord(found.group())
            name = "a NUL byte" if code == 0 else f"the control character U+{code:04X}"
            problems.append(
                Problem(
                    line,
                    column,
                    f"holds {name}, which text cannot hold (pasted from another program?): retype the cell.",
                )
            )
    return problems


def _problems(line: int, error: ValidationError, columns: dict[str, str]) -> list[Problem]:
    if not hasattr(error, "error_dict"):
        return [Problem(line, "", message) for message in error.messages]
    return [
        Problem(line, "" if name == NON_FIELD_ERRORS else columns.get(name, name), message)
        for name, messages in error.message_dict.items()
        for message in messages
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
    platform = _Choice(SocialAccount._meta.get_field("platform").choices, "platform", "Platform")
    status = _Choice(SocialAccount.Status.choices, "status", "Status")

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
            url=_https(row.get("url", "")),
            purpose=row.get("purpose", ""),
            audience=row.get("audience", ""),
            owner=self.member(row, "owner_email", ""),
            status=self.status(row.get("status") or "active"),
            created_on=_date(row.get("created_on", ""), "created_on", "Created on"),
            last_post_on=_date(row.get("last_post_on", ""), "last_post_on", "Last post on"),
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
    level = _Choice(AccessGrant.Level.choices, "level", "Level")
    tool = _Choice(AccessGrant.Tool.choices, "tool", "Tool")

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
            two_factor=_yes_no(row.get("two_factor", ""), "two_factor", "2-step verification", False),
            granted_on=_date(row.get("granted_on", ""), "granted_on", "Granted on"),
            last_reviewed_on=_date(row.get("last_reviewed_on", ""), "last_reviewed_on", "Last reviewed on"),
            still_with_company=_yes_no(
                row.get("still_with_company", ""), "still_with_company", "Still with the company", True
            ),
        )

    def check(self, grant, taken) -> None:
        check_access(grant, taken=taken)


def _checked_rows(uploaded, importer: _Importer, result: ImportResult) -> list:
    """Every row built and checked; the wrong ones leave their problems on `result`."""
    accepted, taken = [], importer.taken()
    for count, (line, row) in enumerate(_rows(uploaded, importer.columns), start=1):
        if count > MAX_ROWS:
            raise FileError(f"It has more than {MAX_ROWS:,} rows; import at most {MAX_ROWS:,} at a time.")
        if row is None:
            result.errors.append(Problem(line, "", "has more cells than the first line names columns."))
            continue
        if problems := _control_problems(line, row):
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
            result.errors.extend(_problems(line, ValidationError(errors), importer.field_columns))
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


def _copy_text(value) -> str:
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
        stream.write("\t".join(_copy_text(get(instance)) for get in getters) + "\n")
    stream.seek(0)
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
    with connection.cursor() as cursor:
        cursor.copy_expert(sql, stream)  # Django's query log records it, as any statement


def _import(uploaded, importer: _Importer) -> ImportResult:
    result = ImportResult()
    try:
        accepted = _checked_rows(uploaded, importer, result)
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
