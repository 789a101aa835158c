"""Reading a CSV file that people saved from a spreadsheet, for the imports (the audit's inventory and access register,
the publishing calendar's posts): the checks on the file as a whole (size, not text, not CSV, no header), its rows
as {column: cell} numbered as the spreadsheet numbers them, the cells that no text holds, and the problems as the
import pages list them ("Line 12, handle: ...").

Each import builds and checks its rows with this, then writes all of them or none (audits/csv_io.py,
calendar_app/csv_import.py).
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from common.spreadsheet import unsafe_cell

YES = {"yes", "y", "true", "1", "on"}
NO = {"no", "n", "false", "0", "off", ""}

# The biggest file one request reads (each import sets the most rows it takes).
MAX_UPLOAD_MB = 32
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
SHOWN_ERRORS = 100  # the page lists this many errors and says how many there are in all

# Characters that no cell of a spreadsheet's text holds: C0 controls but tab and line breaks, DEL, C1 controls.
# PostgreSQL refuses NUL in text outright; the others would be stored and printed as garbage.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What a spreadsheet saves when asked for the wrong format, by the file's first bytes.
NOT_CSV = [
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


class Choice:
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


def parse_date(value: str, column: str, what: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RowError(column, f"{what} “{value}” is not a date: write it as YYYY-MM-DD.") from None


def parse_yes_no(value: str, column: str, what: str, default: bool) -> bool:
    value = value.strip().lower()
    if value == "":
        return default
    if value in YES:
        return True
    if value in NO:
        return False
    raise RowError(column, f"{what} “{value}” should be yes or no.")


def with_scheme(url: str) -> str:
    """An address typed without its scheme is read as https, as the form's URL field reads it."""
    return f"https://{url}" if url and "://" not in url else url


def read_text(uploaded) -> str:
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise FileError(
            f"It is {uploaded.size / 1024 / 1024:.1f} MB; import at most {MAX_UPLOAD_MB} MB at a time "
            "(about 200,000 rows): split it into several files."
        )
    data = uploaded.read()
    for magic, kind in NOT_CSV:
        if data.startswith(magic):
            raise FileError(f"It is {kind}, not CSV text: {SAVE_AS_CSV}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileError(f"It is not UTF-8 text (or not text at all): {SAVE_AS_CSV}") from None
    header = text.split("\n", 1)[0]
    if CONTROL.search(header):
        raise FileError(f"Its first line holds characters that no text holds, so it is not a CSV file: {SAVE_AS_CSV}")
    return text


def read_rows(uploaded, columns: list[str], required=("platform", "handle")):
    """(line, {column: cell}) for each row; the header's names are matched without case or spaces, and the
    `required` columns must be among them."""
    text = read_text(uploaded)
    first_line = text.split("\n", 1)[0]
    # Spreadsheets in some locales save with ";" or tabs; the header's plain column names tell which.
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader, [])]
    except csv.Error as error:
        raise FileError(f"It cannot be read as CSV ({error}): {SAVE_AS_CSV}") from None
    missing = [c for c in required if c not in header]
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


def control_problems(line: int, row: dict) -> list[Problem]:
    problems = []
    for column, cell in row.items():
        if found := CONTROL.search(cell):
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


def problems_of(line: int, error: ValidationError, columns: dict[str, str]) -> list[Problem]:
    if not hasattr(error, "error_dict"):
        return [Problem(line, "", message) for message in error.messages]
    return [
        Problem(line, "" if name == NON_FIELD_ERRORS else columns.get(name, name), message)
        for name, messages in error.message_dict.items()
        for message in messages
    ]
