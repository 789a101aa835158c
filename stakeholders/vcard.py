"""A contact as a vCard 4.0 (RFC 6350), for address books."""

import re
from datetime import UTC

from .models import Contact


def _escape(value: str) -> str:
    """Text value escaping (RFC 6350 §3.4): backslash, comma, semicolon and newlines."""
    return (
        value.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _tel_uri(phone: str) -> str:
    """The phone as a tel: URI (RFC 3966): its digits and a leading +, then the extension's digits.

    Built from the characters a URI allows, never copied: a stored value that bypassed the form's check (a line
    break, a ";") cannot add a property or a parameter to the card.
    """
    marker = re.search(r"ext\.?|x|#", phone, flags=re.IGNORECASE)
    number, extension = (phone[: marker.start()], phone[marker.end() :]) if marker else (phone, "")
    digits = re.sub(r"[^0-9]", "", number)
    uri = f"tel:{'+' if number.strip().startswith('+') else ''}{digits}"
    extension_digits = re.sub(r"[^0-9]", "", extension)
    return f"{uri};ext={extension_digits}" if extension_digits else uri


def _fold(line: str) -> str:
    """Fold lines longer than 75 octets (RFC 6350 §3.2), never inside a UTF-8 character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        limit = 75 if not out else 74  # continuation lines start with one space
        if len(current) + len(encoded) > limit:
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _name_parts(full_name: str) -> tuple[str, str]:
    parts = full_name.strip().rsplit(" ", 1)
    return (parts[1], parts[0]) if len(parts) == 2 else (parts[0], "")


def contact_vcard(contact: Contact, *, organisation: str) -> str:
    """The vCard text of a contact, with CRLF line ends as the RFC asks."""
    family, given = _name_parts(contact.full_name)
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"FN:{_escape(contact.full_name)}",
        f"N:{_escape(family)};{_escape(given)};;;",
        "KIND:individual",
    ]
    org = [_escape(organisation)]
    if contact.department_id:
        org.append(_escape(contact.department.name))
    lines.append("ORG:" + ";".join(org))
    if contact.job_title:
        lines.append(f"TITLE:{_escape(contact.job_title)}")
    if contact.email:
        lines.append(f"EMAIL;TYPE=work:{_escape(contact.email)}")
    if contact.phone and re.search(r"[0-9]", contact.phone):
        lines.append(f"TEL;VALUE=uri;TYPE=work,voice:{_tel_uri(contact.phone)}")
    tags = [t.name for t in contact.tags.all()]
    if tags:
        lines.append("CATEGORIES:" + ",".join(_escape(t) for t in tags))
    notes = []
    if contact.expectations:
        notes.append(f"Expects from social media: {contact.expectations}")
    if contact.can_bring or contact.brings:
        notes.append(
            f"Can bring: {', '.join(contact.brings)}{' — ' if contact.brings and contact.can_bring else ''}{contact.can_bring}"
        )
    notes.append(f"Preferred channel: {contact.get_preferred_channel_display()}")
    lines.append(f"NOTE:{_escape(chr(10).join(notes))}")
    lines.append(f"REV:{contact.updated_at.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}")
    lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)
