from django.contrib import admin, messages

from . import services
from .models import Credential, DailySnapshot, Post, PullRun, TrackedProfile


@admin.register(TrackedProfile)
class TrackedProfileAdmin(admin.ModelAdmin):
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
    search_fields = ["handle", "display_name"]
    readonly_fields = [
        "external_id",
        "last_success_at",
        "last_error_at",
        "last_error_kind",
        "last_error_message",
        "pulls_stopped",
        "pulls_stopped_for",
    ]
    actions = ["resume_pulls"]

    @admin.action(description="Pull on schedule again (after fixing what stopped the pulls)")
    def resume_pulls(self, request, queryset):
        # Changing the handle or the source resumes by itself; this is for a cause fixed elsewhere.
        for profile in queryset:
            services.profile_pulls_resume(profile=profile)
        self.message_user(request, f"{queryset.count()} profile(s) will be pulled at the next run.", messages.SUCCESS)


@admin.register(PullRun)
class PullRunAdmin(admin.ModelAdmin):
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
    raw_id_fields = ["profile"]


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    # The encrypted token is never shown; tokens are set on the connections page.
    list_display = ["workspace", "platform", "token_hint", "account_id", "updated_at"]
    fields = ["workspace", "platform", "token_hint", "account_id", "updated_at"]
    readonly_fields = ["workspace", "platform", "token_hint", "updated_at"]

    def has_add_permission(self, request):
        return False


admin.site.register(DailySnapshot, list_display=["profile", "date", "followers"], list_select_related=["profile"])
admin.site.register(
    Post,
    list_display=["profile", "published_at", "interactions", "engagement_rate"],
    list_select_related=["profile"],
    raw_id_fields=["profile"],
)
