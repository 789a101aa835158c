from django.contrib import admin

from .models import Ambassador, AmbassadorNetwork, Contact, Department, ExampleText, FollowUp, Meeting, Relay, Tag


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace"]
    list_filter = ["workspace"]
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace"]
    list_filter = ["workspace"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["full_name", "job_title", "department", "influence", "interest", "is_met", "workspace"]
    list_filter = ["workspace", "is_met", "influence", "interest"]
    search_fields = ["full_name", "email", "job_title"]
    list_select_related = ["department", "workspace"]


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    fields = ["description", "owner", "due_on", "done_at"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["contact", "date", "workspace"]
    list_filter = ["workspace"]
    inlines = [FollowUpInline]
    list_select_related = ["contact", "workspace"]


class AmbassadorNetworkInline(admin.TabularInline):
    model = AmbassadorNetwork
    extra = 0


@admin.register(Ambassador)
class AmbassadorAdmin(admin.ModelAdmin):
    list_display = ["full_name", "department", "is_active", "workspace"]
    list_filter = ["workspace", "is_active"]
    inlines = [AmbassadorNetworkInline]


@admin.register(ExampleText)
class ExampleTextAdmin(admin.ModelAdmin):
    list_display = ["title", "month", "platform", "workspace"]
    list_filter = ["workspace", "month"]


@admin.register(Relay)
class RelayAdmin(admin.ModelAdmin):
    list_display = ["ambassador", "example_text", "relayed_at"]
    list_select_related = ["ambassador", "example_text"]
