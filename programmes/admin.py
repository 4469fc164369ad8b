from django.contrib import admin

from .models import Cohort, Programme, ProgrammeTeamMember, Provider, ProviderMembership


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


class CohortInline(admin.TabularInline):
    model = Cohort
    extra = 0
    fields = ("name", "starts_on", "ends_on", "capacity", "delivery_mode", "venue")
    show_change_link = True


class TeamInline(admin.TabularInline):
    model = ProgrammeTeamMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("title", "audience", "format", "cost_type", "admission_mode", "is_published")
    list_filter = ("is_published", "admission_mode", "audience", "format", "cost_type", "providers")
    search_fields = ("title", "summary", "description")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("providers",)
    list_editable = ("is_published",)
    inlines = [CohortInline, TeamInline]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("name", "programme", "starts_on", "ends_on", "capacity", "delivery_mode")
    list_filter = ("delivery_mode", "programme", "starts_on")
    search_fields = ("name", "programme__title", "venue")
    date_hierarchy = "starts_on"
    list_select_related = ("programme",)
    autocomplete_fields = ["programme"]


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
