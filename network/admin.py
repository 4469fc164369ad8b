"""Peer network profiles in the Django admin: read only. What a participant shares is
theirs to change (or delete, by leaving); an administrator may only look or delete."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import NetworkProfile


@admin.register(NetworkProfile)
class NetworkProfileAdmin(admin.ModelAdmin):
    list_display = ("name", "programme", "created_at")
    list_filter = ("programme",)
    search_fields = ("name",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
