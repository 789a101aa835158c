"""What a SWOT evidence link may be: an http(s) address, or a path of this app. One rule for the form and the page.

"//evil.example" and "/\\evil.example" look like paths but browsers read them as another host; "javascript:" runs
code. A value stored before this rule (or written past the form) is shown as text, never as a link.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.http import url_has_allowed_host_and_scheme

# A path of this app: one leading slash, then no second slash or backslash right after it, and no space, control
# character or backslash anywhere (browsers drop tabs and line breaks, which would turn "/\t/x" into "//x").
_APP_PATH = re.compile(r"/(?![/\\])[^\s\\\x00-\x1f\x7f]*")
_WEB_ADDRESS = URLValidator(schemes=["http", "https"])
MESSAGE = "Use a web address (https://…) or a page of this workspace (/competitors/…)."


def is_app_path(value: str) -> bool:
    return bool(_APP_PATH.fullmatch(value)) and url_has_allowed_host_and_scheme(value, allowed_hosts=None)


def is_web_address(value: str) -> bool:
    try:
        _WEB_ADDRESS(value)
    except ValidationError:
        return False
    return True


def evidence_href(value: str) -> str:
    """The link to put in href, or "" when the value must be shown as text."""
    value = (value or "").strip()
    return value if value and (is_app_path(value) or is_web_address(value)) else ""


def validate_evidence(value: str) -> None:
    if value and not evidence_href(value):
        raise ValidationError(MESSAGE, code="invalid_evidence")
