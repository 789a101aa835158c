from django.urls import path

from . import views

app_name = "reports"

# A report's address is its month, /reports/YYYY-MM/; the views answer 404 to anything else.
urlpatterns = [
    path("", views.report_list, name="list"),
    path("generate/", views.generate, name="generate"),
    path("recipients/", views.recipients, name="recipients"),
    path("recipients/<int:pk>/remove/", views.recipient_remove, name="recipient_remove"),
    path("<str:slug>/", views.detail, name="detail"),
    path("<str:slug>/pdf/", views.pdf, name="pdf"),
    path("<str:slug>/highlights/", views.highlights, name="highlights"),
    path("<str:slug>/send/", views.send, name="send"),
    path("<str:slug>/send/email/", views.send_preview_html, name="send_preview_html"),
    path("<str:slug>/emails/<int:pk>/send-again/", views.send_again, name="send_again"),
]
