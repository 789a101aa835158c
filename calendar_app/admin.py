from django.contrib import admin

from .models import ApprovalSettings, ContentItem, CrisisPause, FrequencyTarget, Idea, Publication, WordToAvoid


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ["title", "workspace", "author", "status", "created_at"]
    list_filter = ["status", "workspace"]


@admin.register(ContentItem)
class ContentItemAdmin(admin.ModelAdmin):
    list_display = ["title", "workspace", "due_date", "stage", "owner"]
    list_filter = ["stage", "workspace"]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["content_item", "profile", "scheduled_at", "status"]
    list_filter = ["status", "workspace"]

    # Changes go through the calendar's pages, which keep the history and the workflow's rules.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register([ApprovalSettings, CrisisPause, FrequencyTarget, WordToAvoid])
