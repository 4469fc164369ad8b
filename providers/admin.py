"""Staff see every export (personal data leaving the system) and every API token."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import ExportJob, ExportRecord, ProviderApiToken


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(ExportRecord)
class ExportRecordAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "provider",
        "user",
        "token",
        "cohort",
        "programme",
        "format",
        "via",
        "row_count",
    ]
    list_filter = ["provider", "via", "format"]
    date_hierarchy = "created_at"
    list_select_related = ["provider", "user", "token", "cohort__programme", "programme"]

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "created_at",
        "provider",
        "requested_by",
        "format",
        "status",
        "row_count",
        "expires_at",
    ]
    list_filter = ["status", "provider"]
    list_select_related = ["provider", "requested_by"]
    # Private files have no URL, so the admin's file link would fail: show the name only.
    exclude = ["file"]
    readonly_fields = ["file_name"]

    @admin.display(description="file")
    def file_name(self, obj: ExportJob) -> str:
        return obj.file.name or "-"


@admin.register(ProviderApiToken)
class ProviderApiTokenAdmin(ReadOnlyAdmin):
    """Admins can see and revoke (delete) tokens; keys are never shown, only hashes kept."""

    list_display = [
        "name",
        "prefix",
        "provider",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["provider"]
    exclude = ["key_hash"]
    list_select_related = ["provider", "created_by"]
