"""Only the crisis switch, for operators to see which workspace has publishing paused. Content (ideas, items,
publications, settings) is the app's: nothing of it is registered here."""

from django.contrib import admin

from common.admin import ReadOnlyAdminMixin, WorkspaceScopedAdmin

from .models import CrisisPause


@admin.register(CrisisPause)
class CrisisPauseAdmin(ReadOnlyAdminMixin, WorkspaceScopedAdmin):
    workspace_lookup = "workspace"
    list_display = ["workspace", "started_at", "started_by", "ended_at", "ended_by"]
    list_filter = ["workspace"]
    list_select_related = ["workspace", "started_by", "ended_by"]
