from django.urls import path, re_path

from . import views

app_name = "reports"

MONTH = r"(?P<slug>\d{4}-\d{2})"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("generate/", views.generate, name="generate"),
    path("recipients/", views.recipients, name="recipients"),
    path("recipients/<int:pk>/remove/", views.recipient_remove, name="recipient_remove"),
    re_path(rf"^{MONTH}/$", views.detail, name="detail"),
    re_path(rf"^{MONTH}/pdf/$", views.pdf, name="pdf"),
    re_path(rf"^{MONTH}/highlights/$", views.highlights, name="highlights"),
    re_path(rf"^{MONTH}/send/$", views.send, name="send"),
]
