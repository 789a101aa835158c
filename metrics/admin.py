"""Operators' view of the pulls: which profiles are tracked, which pulls ran and how. Read-only: the connections
page (metrics/connections/) is where a workspace adds accounts, saves tokens and asks for pulls."""

from django.contrib import admin, messages

from common.admin import ReadOnlyAdminMixin, WorkspaceScopedAdmin

from . import services
from .models import PullRun, TrackedProfile


@admin.register(TrackedProfile)
class TrackedProfileAdmin(ReadOnlyAdminMixin, WorkspaceScopedAdmin):
    workspace_lookup = "workspace"
    list_display = [
        "handle",
        "platform",
        "workspace",
        "is_own",
        "source",
        "is_active",
        "needs_attention",
        "pulls_stopped",
        "last_success_at",
    ]
    list_filter = ["platform", "is_own", "source", "is_active", "needs_attention", "pulls_stopped", "workspace"]
    list_select_related = ["workspace"]
    search_fields = ["handle", "display_name"]
    actions = ["resume_pulls"]

    @admin.action(description="Pull on schedule again (after fixing what stopped the pulls)", permissions=["resume"])
    def resume_pulls(self, request, queryset):
        # Changing the handle or the source resumes by itself; this is for a cause fixed elsewhere.
        for profile in queryset:
            services.profile_pulls_resume(profile=profile)
        self.message_user(request, f"{queryset.count()} profile(s) will be pulled at the next run.", messages.SUCCESS)

    def has_resume_permission(self, request):
        return request.user.has_perm("metrics.change_trackedprofile")


@admin.register(PullRun)
class PullRunAdmin(ReadOnlyAdminMixin, WorkspaceScopedAdmin):
    workspace_lookup = "profile__workspace"
    list_display = [
        "profile",
        "kind",
        "status",
        "started_at",
        "heartbeat_at",
        "finished_at",
        "pages_done",
        "posts_done",
        "attempts",
        "error_kind",
    ]
    list_filter = ["status", "kind", "error_kind"]
    list_select_related = ["profile"]
    autocomplete_fields = ["profile"]
