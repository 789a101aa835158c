from django.urls import path

from . import views

app_name = "media_library"

urlpatterns = [
    path("", views.library, name="library"),
    path("upload/", views.upload, name="upload"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.update, name="update"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/file/", views.file, name="file"),
    path("<int:pk>/thumbnail/", views.thumbnail, name="thumbnail"),
    path("signed/<str:token>/", views.signed_file, name="signed_file"),
]
