from django.contrib import admin

from .models import Competitor, CompetitorProfile, SwotItem, SwotSuggestion, SwotVersion


class CompetitorProfileInline(admin.TabularInline):
    model = CompetitorProfile
    extra = 0
    raw_id_fields = ["profile"]


@admin.register(Competitor)
class CompetitorAdmin(admin.ModelAdmin):
    # Creating and archiving go through the app's pages, which hold the cap of three.
    list_display = ["name", "workspace", "slot", "archived_at"]
    list_filter = ["workspace"]
    readonly_fields = ["slot", "archived_at", "created_by"]
    inlines = [CompetitorProfileInline]

    def has_add_permission(self, request):
        return False


class SwotItemInline(admin.TabularInline):
    model = SwotItem
    extra = 0
    fields = ["quadrant", "position", "text", "evidence_url", "author"]
    raw_id_fields = ["author"]


@admin.register(SwotVersion)
class SwotVersionAdmin(admin.ModelAdmin):
    list_display = ["label", "workspace", "quarter", "created_at"]
    list_filter = ["workspace"]
    inlines = [SwotItemInline]


@admin.register(SwotSuggestion)
class SwotSuggestionAdmin(admin.ModelAdmin):
    list_display = ["text", "quadrant", "status", "workspace", "created_at"]
    list_filter = ["status", "workspace"]
