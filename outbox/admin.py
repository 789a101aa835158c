from django.contrib import admin

from .models import QueuedAction


@admin.register(QueuedAction)
class QueuedActionAdmin(admin.ModelAdmin):
    """Read-only: the outbox's services and workers write these rows; the admin shows where each action is."""

    list_display = ["pk", "name", "workspace", "requested_by", "created_at", "dispatched_at", "started_at",
                    "finished_at", "outcome", "attempts", "attempts_lost"]  # fmt: skip
    list_filter = ["name", "outcome", "workspace"]
    list_select_related = ["workspace", "requested_by"]
    search_fields = ["name", "last_error", "dispatch_error"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
