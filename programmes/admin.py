from django.contrib import admin

from .models import Programme, ProgrammeTeamMember, Provider, ProviderMembership


class ProviderMembershipInline(admin.TabularInline):
    model = ProviderMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "website")
    list_filter = ("kind",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ProviderMembershipInline]


class TeamInline(admin.TabularInline):
    model = ProgrammeTeamMember
    extra = 0
    autocomplete_fields = ["user"]


# Cohorts are edited in applications/admin.py, which also adds them to this page: a change
# of capacity goes through the places service, and programmes may not import applications.
@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("title", "audience", "format", "cost_type", "admission_mode", "is_published")
    list_filter = ("is_published", "admission_mode", "audience", "format", "cost_type", "providers")
    search_fields = ("title", "summary", "description")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("providers",)
    list_editable = ("is_published",)
    inlines = [TeamInline]


@admin.register(ProgrammeTeamMember)
class ProgrammeTeamMemberAdmin(admin.ModelAdmin):
    list_display = ("user", "programme", "role")
    list_filter = ("role", "programme")
    search_fields = ("user__email", "programme__title")
    list_select_related = ("user", "programme")
    autocomplete_fields = ["user", "programme"]


@admin.register(ProviderMembership)
class ProviderMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "provider")
    list_filter = ("provider",)
    search_fields = ("user__email", "provider__name")
    list_select_related = ("user", "provider")
    autocomplete_fields = ["user", "provider"]
