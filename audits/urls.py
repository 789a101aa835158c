from django.urls import path

from . import views

app_name = "audits"

urlpatterns = [
    path("", views.report, name="report"),
    path("run/", views.run, name="run"),
    path("compare/", views.compare, name="compare"),
    path("settings/", views.audit_settings, name="settings"),
    path("findings/<int:pk>/resolve/", views.finding_resolve, name="finding_resolve"),
    path("export/findings.csv", views.export_findings, name="export_findings"),
    path("export/accounts.csv", views.export_accounts, name="export_accounts"),
    path("export/access.csv", views.export_access, name="export_access"),
    path("import/", views.import_csv, name="import"),
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/add/", views.account_add, name="account_add"),
    path("accounts/<int:pk>/", views.account_edit, name="account_edit"),
    path("accounts/<int:pk>/delete/", views.account_delete, name="account_delete"),
    path("access/", views.access, name="access"),
    path("access/add/", views.access_add, name="access_add"),
    path("access/<int:pk>/", views.access_edit, name="access_edit"),
    path("access/<int:pk>/review/", views.access_review, name="access_review"),
    path("access/<int:pk>/delete/", views.access_delete, name="access_delete"),
    path("tools/", views.tools, name="tools"),
    path("tools/<int:pk>/", views.tool_edit, name="tool_edit"),
    path("tools/<int:pk>/delete/", views.tool_delete, name="tool_delete"),
    path("processes/<int:pk>/", views.process_edit, name="process_edit"),
]
