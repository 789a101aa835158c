"""The project's URLs plus the floor page; the benchmark serves itself through this module only."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/floor/", views.floor, name="bench_floor"),
    path("", include("smm.urls")),
]
