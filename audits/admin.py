from django.contrib import admin

from .models import AccessGrant, AuditRun, AuditSettings, Finding, Process, SocialAccount, Tool


@admin.register(SocialAccount)
class SocialAccountAdmin(admin.ModelAdmin):
    list_display = ["handle", "platform", "status", "owner", "workspace"]
    list_filter = ["platform", "status", "workspace"]


@admin.register(AccessGrant)
class AccessGrantAdmin(admin.ModelAdmin):
    list_display = ["account", "member", "person_name", "level", "two_factor", "still_with_company"]
    list_filter = ["level", "two_factor", "still_with_company", "workspace"]


@admin.register(AuditRun)
class AuditRunAdmin(admin.ModelAdmin):
    list_display = ["workspace", "ran_at", "score", "findings_count"]
    list_filter = ["workspace"]


admin.site.register([AuditSettings, Finding, Process, Tool])
