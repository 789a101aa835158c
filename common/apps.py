from django.contrib.admin.apps import AdminConfig


class OperatorAdminConfig(AdminConfig):
    """django.contrib.admin with common.admin.OperatorAdminSite as `admin.site` (INSTALLED_APPS names this)."""

    default_site = "common.admin.OperatorAdminSite"
