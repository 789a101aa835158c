"""Addresses outside a request (feeds, e-mails, tasks) are built from SITE_URL, the site's public address."""

from django.conf import settings


def site_url(path: str) -> str:
    """`/calendar/…` -> `https://social.example.com/calendar/…`, whatever slash SITE_URL ends with."""
    return settings.SITE_URL.rstrip("/") + path
