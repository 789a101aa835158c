from django.urls import path

from . import views

app_name = "competitors"

urlpatterns = [
    path("", views.benchmark, name="benchmark"),
    path("new/", views.competitor_new, name="new"),
    path("<int:pk>/edit/", views.competitor_edit, name="edit"),
    path("<int:pk>/archive/", views.competitor_archive, name="archive"),
    path("<int:pk>/restore/", views.competitor_restore, name="restore"),
    path("swot/", views.swot, name="swot"),
    path("swot/versions/<int:pk>/", views.swot, name="swot_version"),
    path("swot/versions/new/", views.swot_version_new, name="swot_version_new"),
    path("swot/versions/<int:pk>/reorder/", views.swot_reorder, name="swot_reorder"),
    path("swot/versions/<int:pk>/export.csv", views.swot_export, name="swot_export"),
    path("swot/compare/", views.swot_compare, name="swot_compare"),
    path("swot/items/add/", views.swot_item_add, name="swot_item_add"),
    path("swot/items/<int:pk>/edit/", views.swot_item_edit, name="swot_item_edit"),
    path("swot/items/<int:pk>/delete/", views.swot_item_delete, name="swot_item_delete"),
    path("swot/suggestions/refresh/", views.suggestions_refresh, name="suggestions_refresh"),
    path("swot/suggestions/<int:pk>/accept/", views.suggestion_accept, name="suggestion_accept"),
    path("swot/suggestions/<int:pk>/dismiss/", views.suggestion_dismiss, name="suggestion_dismiss"),
]
