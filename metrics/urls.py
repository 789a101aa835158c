from django.urls import path

from . import views

app_name = "metrics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("top/", views.top, name="top"),
    path("connections/", views.connections, name="connections"),
    path("connections/<int:pk>/pull/", views.pull_now, name="pull_now"),
    path("connections/<int:pk>/backfill/", views.backfill, name="backfill"),
    path("connections/credentials/", views.credential_save, name="credential_save"),
    path("connections/credentials/<int:pk>/delete/", views.credential_delete, name="credential_delete"),
]
