from django.urls import path

from . import attachments, queue_views, views

app_name = "calendar_app"

urlpatterns = [
    path("ideas/", views.idea_list, name="idea_list"),
    path("ideas/new/", views.idea_new, name="idea_new"),
    path("ideas/<int:pk>/", views.idea_detail, name="idea_detail"),
    path("ideas/<int:pk>/attachment/", attachments.idea_attachment, name="idea_attachment"),
    path("ideas/<int:pk>/triage/", views.idea_triage, name="idea_triage"),
    path("ideas/<int:pk>/comment/", views.idea_comment, name="idea_comment"),
    path("ideas/<int:pk>/vote/", views.idea_vote, name="idea_vote"),
    path("calendar/editorial/", views.editorial, name="editorial"),
    path("calendar/editorial/events.json", views.editorial_events, name="editorial_events"),
    path("calendar/editorial/export.csv", views.editorial_csv, name="editorial_csv"),
    path("calendar/editorial/new/", views.content_item_form, name="content_item_new"),
    path("calendar/editorial/<int:pk>/", views.content_item_form, name="content_item_edit"),
    path("calendar/editorial/<int:pk>/move/", views.content_item_move, name="content_item_move"),
    path("calendar/publishing/", views.publishing, name="publishing"),
    path("calendar/publishing/events.json", views.publishing_events, name="publishing_events"),
    path("calendar/publishing/export.csv", views.publishing_csv, name="publishing_csv"),
    path("calendar/publishing/new/", views.publication_form, name="publication_new"),
    path("calendar/publishing/bulk/", views.publications_bulk, name="publications_bulk"),
    path("calendar/publishing/import/", views.publications_import, name="publications_import"),
    path(
        "calendar/publishing/import/template.csv",
        views.publications_import_template,
        name="publications_import_template",
    ),
    path("calendar/publishing/<int:pk>/duplicate/", views.publication_duplicate, name="publication_duplicate"),
    path("calendar/publishing/<int:pk>/comment/", views.publication_comment, name="publication_comment"),
    path("calendar/publishing/<int:pk>/", views.publication_detail, name="publication_detail"),
    path("calendar/publishing/<int:pk>/edit/", views.publication_form, name="publication_edit"),
    path("calendar/publishing/<int:pk>/move/", views.publication_move, name="publication_move"),
    path("calendar/publishing/<int:pk>/<str:action>/", views.publication_action, name="publication_action"),
    path("calendar/queue/", queue_views.queue_page, name="queue"),
    path("calendar/queue/best-times/", queue_views.best_times_fragment, name="best_times"),
    path("calendar/queue/slots/", queue_views.slot_add, name="slot_add"),
    path("calendar/queue/slots/<int:pk>/remove/", queue_views.slot_remove, name="slot_remove"),
    path("calendar/settings/", views.calendar_settings, name="settings"),
    path("calendar/crisis/", views.crisis, name="crisis"),
    path("calendar/meeting/", views.meeting, name="meeting"),
    path("calendar/feeds/<str:kind>/new/", views.feed_create, name="feed_create"),
    path("calendar/feeds/<int:pk>/revoke/", views.feed_revoke, name="feed_revoke"),
    path("calendar/ical/<str:token>.ics", views.ical_feed, name="ical_feed"),
]
