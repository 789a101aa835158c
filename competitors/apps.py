from django.apps import AppConfig


class CompetitorsConfig(AppConfig):
    name = "competitors"
