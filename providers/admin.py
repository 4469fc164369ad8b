"""Staff see every export (personal data leaving the system) and every API token."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import ngettext

from .models import ExportJob, ExportRecord, ProviderApiToken
from .services import token_revoke


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
    """Admins see and revoke tokens; keys are never shown, only hashes kept.

    Revoked, never deleted: exports and the audit log go on naming the token.
    """

    list_display = [
        "name",
        "prefix",
        "provider",
        "created_by",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    actions = ["revoke"]

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ProviderApiToken]) -> None:
        tokens = list(queryset)
        for token in tokens:
            token_revoke(token=token, by=request.user)
        self.message_user(
            request,
            ngettext("%(n)d token revoked.", "%(n)d tokens revoked.", len(tokens))
            % {"n": len(tokens)},
        )

    list_filter = ["provider"]
    exclude = ["key_hash"]
    list_select_related = ["provider", "created_by"]
