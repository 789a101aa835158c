from django.urls import path

from . import views

app_name = "strategy"

urlpatterns = [
    path("", views.home, name="home"),
    path("edit/<slug:section>/", views.edit_section, name="edit_section"),
    path("<slug:kind>/new/", views.item_edit, name="item_new"),
    path("<slug:kind>/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("<slug:kind>/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("charter/", views.charter, name="charter"),
    path("charter/edit/", views.charter_edit, name="charter_edit"),
    path("charter/<int:pk>/approve/", views.charter_approve, name="charter_approve"),
    path("history/", views.history, name="history"),
    path("history/compare/", views.compare, name="compare"),
]
