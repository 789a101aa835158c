from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = "Queued user actions"

    def ready(self):
        from celery.signals import worker_ready

        from .signals import hand_over_on_worker_start

        # A worker that starts (after a deploy, or after the broker came back) hands over what waited meanwhile,
        # without waiting for the next beat tick.
        worker_ready.connect(hand_over_on_worker_start, dispatch_uid="outbox_hand_over_on_worker_start")
