"""The library in the Django admin: for looking and small fixes. Files are added in the
console, where the upload check runs, so the admin shows them read-only."""

from django.contrib import admin

from .models import Resource


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ("title", "programme", "kind", "visibility", "status", "published_on")
    list_filter = ("status", "visibility", "kind")
    search_fields = ("title", "summary")
    filter_horizontal = ("programmes",)
    readonly_fields = ("file", "original_name", "content_type", "size", "created_at", "updated_at")
