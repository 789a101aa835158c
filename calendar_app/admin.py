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
    readonly_fields = ["status", "status_before_pause", "external_id", "permalink", "published_at"]


admin.site.register([ApprovalSettings, CrisisPause, FrequencyTarget, WordToAvoid])
