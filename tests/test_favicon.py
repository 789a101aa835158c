"""Every page names the app's icons, and the browser's own request for /favicon.ico finds one."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static

from accounts.roles import Role

ICONS = {
    'rel="icon" href="{}" type="image/svg+xml"': "icons/favicon.svg",
    'rel="icon" href="{}" type="image/png" sizes="32x32"': "icons/favicon-32.png",
    'rel="apple-touch-icon" href="{}"': "icons/apple-touch-icon.png",
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_pages_link_the_icons_and_the_files_exist(client, client_as, who):
    if who == "member":
        client = client_as(Role.CONTENT_LEAD)
    page = client.get("/accounts/login/" if who == "anonymous" else "/", follow=True).content.decode()
    for link, name in ICONS.items():
        assert link.format(static(name)) in page
        assert finders.find(name), f"{name} is linked but not in static/"


def test_the_svg_icon_is_an_svg():
    assert Path(finders.find("icons/favicon.svg")).read_text(encoding="utf-8").lstrip().startswith("<svg")


@pytest.mark.django_db
def test_the_browsers_favicon_request_is_answered_without_login(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body[:4] == b"\x00\x00\x01\x00"  # the ICO header
    assert not re.search(r"/accounts/login", response.get("Location", ""))
