from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class OperatorAdminConfig(AdminConfig):
    """django.contrib.admin with common.admin.OperatorAdminSite as `admin.site` (INSTALLED_APPS names this)."""

    default_site = "common.admin.OperatorAdminSite"


class CommonConfig(AppConfig):
    """What every app shares: the filter library (templatetags/numbers.py), dates, redirects, the site's address."""

    name = "common"
