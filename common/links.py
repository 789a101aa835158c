"""What tags that write many rows in one pass share: links to rows of one kind (one reverse() per page, not one per
row) and the CSRF field of a form per row."""

from collections.abc import Callable

from django.urls import reverse
from django.utils.html import escape

_MARKER = "2147483647"


def pk_url(name: str) -> Callable[[int], str]:
    """A function pk -> the URL `name` gives for that pk (the URL's only argument)."""
    before, after = reverse(name, args=[int(_MARKER)]).split(_MARKER)
    return lambda pk: f"{before}{pk}{after}"


def csrf_field(context) -> str:
    """The hidden field `{% csrf_token %}` writes, for a tag that writes a form per row: nothing where the context
    has no token (Django puts "NOTPROVIDED" there), the token escaped otherwise."""
    token = context.get("csrf_token")
    if not token or str(token) == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(token))}">'
