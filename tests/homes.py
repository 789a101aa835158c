"""A page as its member sees it: the page, then the fragments it fetches once it shows (data-fragment: the home's
figure panels, dashboard:figures; the meeting's objectives, calendar_app:meeting_objectives)."""

import re
from html import unescape

from django.urls import reverse


def as_shown(client, url: str, data=None) -> str:
    """The page's HTML followed by each fragment's HTML, as static/js/app.js puts them together in the browser."""
    page = client.get(url, data)
    assert page.status_code == 200
    html = page.content.decode()
    for fragment in re.findall(r'data-fragment="([^"]+)"', html):
        answer = client.get(unescape(fragment))
        assert answer.status_code == 200, fragment
        html += answer.content.decode()
    return html


def home_as_shown(client) -> str:
    html = as_shown(client, reverse("dashboard:home"))
    slots = re.findall(r'data-fragment="([^"]+)"', html)
    assert slots in ([], [reverse("dashboard:figures")])
    return html
