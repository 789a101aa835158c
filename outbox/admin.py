from django.contrib import admin, messages

from common.admin import ReadOnlyAdminMixin, WorkspaceScopedAdmin

from . import services
from .models import QueuedAction


@admin.register(QueuedAction)
class QueuedActionAdmin(ReadOnlyAdminMixin, WorkspaceScopedAdmin):
    """Read-only: the outbox's services and workers write these rows; the admin shows where each action is, and
    hands an action that waits over to the task queue again (the sweep's own step, asked now)."""

    workspace_lookup = "workspace"
    list_display = ["pk", "name", "workspace", "requested_by", "created_at", "dispatched_at", "started_at",
                    "finished_at", "outcome", "attempts", "attempts_lost"]  # fmt: skip
    list_filter = ["name", "outcome", "workspace"]
    list_select_related = ["workspace", "requested_by"]
    search_fields = ["name", "last_error", "dispatch_error"]
    actions = ["hand_over_again"]

    @admin.action(description="Hand the selected waiting actions to the task queue now", permissions=["hand_over"])
    def hand_over_again(self, request, queryset):
        waiting = [action for action in queryset if action.finished_at is None]
        taken = sum(services.action_hand_over(action=action) for action in waiting)
        level = messages.SUCCESS if taken == len(waiting) else messages.WARNING
        self.message_user(request, f"{taken} of {len(waiting)} waiting action(s) are with the task queue.", level)

    def has_hand_over_permission(self, request):
        return request.user.has_perm("outbox.change_queuedaction")
