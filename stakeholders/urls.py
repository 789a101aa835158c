from django.urls import path

from . import views

app_name = "stakeholders"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("map/", views.stakeholder_map, name="map"),
    path("export.csv", views.export_csv, name="export"),
    path("import/", views.import_csv, name="import"),
    path("departments/new/", views.department_create, name="department_create"),
    path("contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
    path("contacts/<int:pk>/vcard/", views.contact_vcard_download, name="contact_vcard"),
    path("contacts/<int:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("follow-ups/<int:pk>/reopen/", views.follow_up_reopen, name="follow_up_reopen"),
    path("ambassadors/", views.ambassadors, name="ambassadors"),
    path("ambassadors/me/", views.ambassador_me, name="ambassador_me"),
    path("ambassadors/me/leave/", views.ambassador_me_leave, name="ambassador_me_leave"),
    path("ambassadors/new/", views.ambassador_create, name="ambassador_create"),
    path("ambassadors/<int:pk>/edit/", views.ambassador_edit, name="ambassador_edit"),
    path("ambassadors/texts/new/", views.example_text_create, name="example_text_create"),
    path("ambassadors/texts/<int:pk>/delete/", views.example_text_delete, name="example_text_delete"),
    path("ambassadors/texts/<int:pk>/relayed/", views.example_text_relayed, name="example_text_relayed"),
]
