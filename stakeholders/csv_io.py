"""CSV import and export of contacts. The export's columns are the import's, so a file round-trips.

An import is all or nothing: every row is checked first, and if any row is wrong nothing is saved and
each error names its row (the header is row 1, so row numbers match a spreadsheet's).
"""

import csv
import io
from dataclasses import dataclass, field

from django import forms
from django.db import transaction

from accounts.models import Workspace
from common.spreadsheet import safe_cell, unsafe_cell

from . import services
from .models import Channel, Contact, Level, validate_phone

COLUMNS = [
    "name",
    "job_title",
    "email",
    "phone",
    "department",
    "expectations",
    "brings",
    "can_bring",
    "preferred_channel",
    "influence",
    "interest",
    "tags",
    "met",
]
REQUIRED_COLUMNS = {"name"}
MAX_ROWS = 5000
LIST_SEPARATOR = ";"

_LEVELS = {label.lower(): value for value, label in Level.choices} | {str(v): v for v in Level.values}
_CHANNELS = {value: value for value in Channel.values} | {label.lower(): value for value, label in Channel.choices}
_TRUE, _FALSE = {"yes", "y", "true", "1", "met", "x"}, {"no", "n", "false", "0", "", "not met"}
_BRINGS = {"content", "expertise", "events"}


class _RowForm(forms.Form):
    """One row's checks, so the import says exactly what the form would say."""

    name = forms.CharField(max_length=150)
    job_title = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False, validators=[validate_phone])
    department = forms.CharField(max_length=100, required=False)
    expectations = forms.CharField(required=False)
    brings = forms.CharField(required=False)
    can_bring = forms.CharField(required=False)
    preferred_channel = forms.CharField(required=False)
    influence = forms.CharField(required=False)
    interest = forms.CharField(required=False)
    tags = forms.CharField(required=False)
    met = forms.CharField(required=False)

    def _level(self, name):
        raw = (self.cleaned_data.get(name) or "").strip().lower()
        if not raw:
            return Level.MEDIUM
        if raw not in _LEVELS:
            raise forms.ValidationError("use low, medium or high (or 1, 2, 3).")
        return _LEVELS[raw]

    def clean_influence(self):
        return self._level("influence")

    def clean_interest(self):
        return self._level("interest")

    def clean_preferred_channel(self):
        raw = (self.cleaned_data.get("preferred_channel") or "").strip().lower()
        if not raw:
            return Channel.EMAIL
        if raw not in _CHANNELS:
            raise forms.ValidationError(f"use one of {', '.join(Channel.values)}.")
        return _CHANNELS[raw]

    def clean_met(self):
        raw = (self.cleaned_data.get("met") or "").strip().lower()
        if raw in _TRUE:
            return True
        if raw in _FALSE:
            return False
        raise forms.ValidationError("use yes or no.")

    def clean_brings(self):
        words = {w.strip().lower() for w in (self.cleaned_data.get("brings") or "").split(LIST_SEPARATOR) if w.strip()}
        unknown = words - _BRINGS
        if unknown:
            raise forms.ValidationError(f"unknown {', '.join(sorted(unknown))}: use content, expertise, events.")
        return words

    def clean_tags(self):
        tags = [t.strip() for t in (self.cleaned_data.get("tags") or "").split(LIST_SEPARATOR) if t.strip()]
        too_long = [t for t in tags if len(t) > 40]
        if too_long:
            raise forms.ValidationError(f"a tag is at most 40 characters ({too_long[0][:20]}…).")
        return tags


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _read_rows(data: bytes) -> tuple[list[str], list[dict]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("The file is not UTF-8 text: save it from your spreadsheet as “CSV UTF-8”.") from None
    # Spreadsheets in some locales save with ";" or tabs; the header row (plain column names) tells which.
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
        reader.fieldnames = header
        rows = list(reader)
    except csv.Error as error:
        raise ValueError(f"The file is not valid CSV: {error}.") from None
    return header, rows


def contacts_import(*, workspace: Workspace, data: bytes) -> ImportResult:
    """Create or update (matched by e-mail) the contacts of a CSV file; all rows or none."""
    result = ImportResult()
    try:
        header, rows = _read_rows(data)
    except ValueError as error:
        result.errors.append(str(error))
        return result
    missing = REQUIRED_COLUMNS - set(header)
    if missing:
        result.errors.append(
            f"The first row must name the columns; missing: {', '.join(sorted(missing))}. Expected: {', '.join(COLUMNS)}."
        )
        return result
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        result.errors.append(f"Unknown column(s): {', '.join(unknown)}. Expected: {', '.join(COLUMNS)}.")
        return result
    if not rows:
        result.errors.append("The file has a header but no contacts.")
        return result
    if len(rows) > MAX_ROWS:
        result.errors.append(f"The file has {len(rows)} rows; import at most {MAX_ROWS} at a time.")
        return result

    cleaned, seen_emails = [], {}
    for number, row in enumerate(rows, start=2):
        if None in row:  # more cells than columns
            result.errors.append(f"Row {number}: has more cells than the header has columns.")
            continue
        form = _RowForm({k: unsafe_cell((v or "").strip()) for k, v in row.items() if k})
        if not form.is_valid():
            for name, errors in form.errors.items():
                for error in errors:
                    result.errors.append(f"Row {number}, {name}: {error}")
            continue
        email = form.cleaned_data["email"].lower()
        if email and email in seen_emails:
            result.errors.append(f"Row {number}, email: {email} is already on row {seen_emails[email]}.")
            continue
        if email:
            seen_emails[email] = number
        cleaned.append(form.cleaned_data | {"email": email})
    if result.errors:
        return result

    existing = {c.email.lower(): c for c in Contact.objects.filter(workspace=workspace).exclude(email="") if c.email}
    with transaction.atomic():
        departments = {}
        for data_row in cleaned:
            department_name = data_row["department"]
            department = None
            if department_name:
                key = department_name.lower()
                if key not in departments:
                    departments[key] = services.department_get_or_create(workspace=workspace, name=department_name)
                department = departments[key]
            fields = {
                "full_name": data_row["name"],
                "job_title": data_row["job_title"],
                "email": data_row["email"],
                "phone": data_row["phone"],
                "department": department,
                "expectations": data_row["expectations"],
                "brings_content": "content" in data_row["brings"],
                "brings_expertise": "expertise" in data_row["brings"],
                "brings_events": "events" in data_row["brings"],
                "can_bring": data_row["can_bring"],
                "preferred_channel": data_row["preferred_channel"],
                "influence": data_row["influence"],
                "interest": data_row["interest"],
                "is_met": data_row["met"],
            }
            contact = existing.get(data_row["email"]) if data_row["email"] else None
            if contact is None:
                services.contact_create(workspace=workspace, tag_names=data_row["tags"], **fields)
                result.created += 1
            else:
                services.contact_update(contact=contact, tag_names=data_row["tags"], **fields)
                result.updated += 1
    return result


def contacts_export(*, contacts, out) -> None:
    """Write contacts (with department and tags loaded) as CSV in the import's columns."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for contact in contacts:
        writer.writerow(
            [
                safe_cell(contact.full_name),
                safe_cell(contact.job_title),
                contact.email,
                safe_cell(contact.phone),
                safe_cell(contact.department.name if contact.department else ""),
                safe_cell(contact.expectations),
                LIST_SEPARATOR.join(contact.brings),
                safe_cell(contact.can_bring),
                contact.preferred_channel,
                Level(contact.influence).label.lower(),
                Level(contact.interest).label.lower(),
                safe_cell(LIST_SEPARATOR.join(t.name for t in contact.tags.all())),
                "yes" if contact.is_met else "no",
            ]
        )
