"""Admin for site administrators: edit eligibility rules, inspect applications.

Applications are shown read-only. Every change of state has to go through the
lifecycle services, which lock the cohort, keep places_taken right and write
the audit trail; an admin form editing `state` would bypass all three.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from .eligibility import rule_clean, rule_save
from .eligibility.params import EXAMPLES
from .models import (
    Application,
    ApplicationEvent,
    EligibilityRule,
    RuleKind,
    SupportingDocument,
)


def _params_help() -> SafeString:
    return format_html(
        "{}<ul>{}</ul>",
        _("Depends on the kind of rule. Examples:"),
        format_html_join(
            "",
            "<li>{}: <code>{}</code></li>",
            ((RuleKind(kind).label, example) for kind, example in EXAMPLES.items()),
        ),
    )


class EligibilityRuleForm(forms.ModelForm):
    class Meta:
        model = EligibilityRule
        fields = ("programme", "kind", "params", "message", "position", "is_active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["params"].help_text = _params_help()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors.keys() & {"programme", "kind", "params", "message"}:
            return cleaned
        # A copy, not self.instance: the instance is only updated after clean().
        candidate = EligibilityRule(
            pk=self.instance.pk,
            programme=cleaned["programme"],
            kind=cleaned["kind"],
            params=cleaned["params"],
            message=cleaned["message"],
        )
        try:
            cleaned["params"] = rule_clean(rule=candidate)
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return cleaned


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(admin.ModelAdmin):
    form = EligibilityRuleForm
    list_display = ("programme", "position", "kind", "message", "version", "is_active")
    list_display_links = ("message",)
    list_filter = ("programme", "kind", "is_active")
    search_fields = ("message", "programme__title")
    list_select_related = ("programme",)
    ordering = ("programme__title", "position", "id")
    autocomplete_fields = ["programme"]
    readonly_fields = ("version", "updated_at")

    def save_model(
        self, request: HttpRequest, obj: EligibilityRule, form: forms.ModelForm, change: bool
    ) -> None:
        rule_save(rule=obj, by=request.user)  # type: ignore[arg-type]


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ApplicationEventInline(_ReadOnlyInline):
    model = ApplicationEvent
    fields = ("created_at", "from_state", "to_state", "actor", "is_override", "reason")
    readonly_fields = fields


class SupportingDocumentInline(_ReadOnlyInline):
    model = SupportingDocument
    # No `file`: documents are private, and the admin would link to a public URL
    # that does not exist. Applicants and screeners download them through views
    # that check who is asking.
    fields = ("kind", "original_name", "content_type", "size", "uploaded_at")
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("applicant", "cohort", "state", "eligibility_outcome", "submitted_at")
    list_filter = ("state", "eligibility_outcome", "cohort__programme")
    search_fields = (
        "applicant__email",
        "applicant__full_name",
        "cohort__name",
        "cohort__programme__title",
    )
    list_select_related = ("applicant", "cohort__programme")
    date_hierarchy = "submitted_at"
    inlines = [ApplicationEventInline, SupportingDocumentInline]
    fieldsets = (
        (None, {"fields": ("applicant", "cohort", "state", "created_at", "submitted_at")}),
        (
            _("Screening"),
            {
                "fields": (
                    "eligibility_outcome",
                    "screened_at",
                    "eligibility_results_display",
                    "declarations",
                )
            },
        ),
        (
            _("Answers"),
            {
                "fields": (
                    "sections_done",
                    "supporting_statement",
                    "endorser_name",
                    "endorser_role",
                    "endorser_email",
                    "snapshot",
                )
            },
        ),
    )
    readonly_fields = (
        "applicant",
        "cohort",
        "state",
        "created_at",
        "submitted_at",
        "eligibility_outcome",
        "screened_at",
        "eligibility_results_display",
        "declarations",
        "sections_done",
        "supporting_statement",
        "endorser_name",
        "endorser_role",
        "endorser_email",
        "snapshot",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Application]:
        return super().get_queryset(request).select_related("applicant", "cohort__programme")

    @admin.display(description=_("rule outcomes"))
    def eligibility_results_display(self, obj: Application) -> SafeString | str:
        if not obj.eligibility_results:
            return self.get_empty_value_display()
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><strong>{}</strong> (rule {}, version {}): {}. {}</li>",
                (
                    (
                        result.get("outcome", ""),
                        result.get("rule_id", ""),
                        result.get("version", ""),
                        result.get("message", ""),
                        result.get("reason", ""),
                    )
                    for result in obj.eligibility_results
                    if isinstance(result, dict)
                ),
            ),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting an enrolled or offered application would leave the cohort's
        # places_taken counting a place nobody holds.
        return False
