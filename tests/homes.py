"""A home as its member sees it: the page, then the figure panels it fetches once it shows (dashboard:figures)."""

import re

from django.urls import reverse


def home_as_shown(client) -> str:
    """The home's HTML followed by its figures' HTML, as static/js/app.js puts them together in the browser."""
    page = client.get(reverse("dashboard:home"))
    assert page.status_code == 200
    html = page.content.decode()
    slot = re.search(r'data-fragment="([^"]+)"', html)
    if slot is None:
        return html
    assert slot.group(1) == reverse("dashboard:figures")
    figures = client.get(slot.group(1))
    assert figures.status_code == 200
    return html + figures.content.decode()
