"""Site administrators see every data download and data-rights event; nobody edits them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import DataExport, PrivacyEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(DataExport)
class DataExportAdmin(ReadOnlyAdmin):
    # No link to the file: only its owner may download it.
    list_display = ["pk", "user", "status", "created_at", "finished_at", "expires_at", "size"]
    list_filter = ["status"]
    list_select_related = ["user"]
    exclude = ["file"]


@admin.register(PrivacyEvent)
class PrivacyEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "user", "export"]
    list_filter = ["kind"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
