from django.urls import path

from . import views

app_name = "metrics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("top/", views.top, name="top"),
    path("connections/", views.connections, name="connections"),
    path("connections/connect/", views.connect, name="connect"),
    path("connections/<int:pk>/pull/", views.pull_now, name="pull_now"),
    path("connections/<int:pk>/backfill/", views.backfill, name="backfill"),
    path("connections/pulls/<int:pk>/status/", views.pull_status, name="pull_status"),
    path("connections/<int:pk>/failed-days/", views.failed_days, name="failed_days"),
    path("connections/accounts/add/", views.own_profile_add, name="own_profile_add"),
    path("connections/<int:pk>/edit/", views.own_profile_edit, name="own_profile_edit"),
    path("connections/<int:pk>/resume/", views.profile_resume, name="profile_resume"),
    path("connections/credentials/", views.credential_save, name="credential_save"),
    path("connections/connect/<slug:platform>/", views.oauth_connect, name="oauth_connect"),
    path("connections/callback/<slug:platform>/", views.oauth_callback, name="oauth_callback"),
    path("connections/choose/<slug:platform>/", views.oauth_choose, name="oauth_choose"),
    path("connections/demo-consent/<slug:platform>/", views.demo_consent, name="demo_consent"),
    path("connections/credentials/<int:pk>/delete/", views.credential_delete, name="credential_delete"),
]
