from django.apps import AppConfig
from django.core.signals import request_finished, request_started


class MetricsConfig(AppConfig):
    name = "metrics"

    def ready(self):
        from .selectors import performance_memo_end, performance_memo_start

        request_started.connect(performance_memo_start, dispatch_uid="metrics_performance_memo_start")
        request_finished.connect(performance_memo_end, dispatch_uid="metrics_performance_memo_end")
