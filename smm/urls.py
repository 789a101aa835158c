from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("dashboard.urls")),
    path("accounts/", include("accounts.urls")),
    path("audit/", include("audits.urls")),
    path("stakeholders/", include("stakeholders.urls")),
    path("", include("calendar_app.urls")),  # /ideas/ and /calendar/
    path("competitors/", include("competitors.urls")),
    path("metrics/", include("metrics.urls")),
    path("strategy/", include("strategy.urls")),
    path("reports/", include("reports.urls")),
    path("notifications/", include("notifications.urls")),
    path("library/", include("media_library.urls")),  # the media library (shared/ARCHITECTURE.md's address map)
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Social media workspace — admin"
admin.site.site_title = "SMM admin"
