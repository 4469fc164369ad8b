"""Admin for site administrators: edit eligibility rules and cohorts, inspect applications.

Applications are shown read-only. Every change of state has to go through the
lifecycle services, which lock the cohort, keep places_taken right and write
the audit trail; an admin form editing `state` would bypass all three.

The Cohort admin, and the cohorts on the Programme page, live here rather than in
programmes/admin.py: a new capacity has to go through the places service, which
lives in this app, and programmes may not import applications.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseModelFormSet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from programmes import admin as programmes_admin
from programmes.models import Cohort, Programme

from .eligibility import rule_clean, rule_save
from .eligibility.params import EXAMPLES
from .models import (
    Application,
    ApplicationEvent,
    EligibilityRule,
    RuleKind,
    SupportingDocument,
)
from .services.places import CapacityTooLow, CohortCancelled, cohort_capacity_change


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
            _("Place"),
            {
                "fields": (
                    "offered_at",
                    "offer_expires_at",
                    "offer_reminder_sent_at",
                    "waitlisted_at",
                    "waitlist_priority",
                    "invited",
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
        "offered_at",
        "offer_expires_at",
        "offer_reminder_sent_at",
        "waitlisted_at",
        "waitlist_priority",
        "invited",
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


# --- Cohorts ---------------------------------------------------------------


class _CapacityRefused(Exception):
    """The places service refused a cohort's new capacity. Raised to roll the admin's save back."""

    def __init__(self, cohort_id: int, message: str) -> None:
        super().__init__(message)
        self.cohort_id, self.message = cohort_id, message


# While a refused form is shown again: the service's reason, by cohort id.
_capacity_refusals: ContextVar[dict[int, str] | None] = ContextVar(
    "capacity_refusals", default=None
)


class CohortForm(forms.ModelForm):
    """A cohort in the admin. Its capacity is judged by the places service, on save."""

    def clean_capacity(self) -> int:
        capacity: int = self.cleaned_data["capacity"]
        refused = (_capacity_refusals.get() or {}).get(self.instance.pk)
        if self.instance.pk is not None and refused is not None:
            raise ValidationError(refused)
        return capacity


def _showing_capacity_refusals(
    view: Callable[..., HttpResponse], request: HttpRequest, *args: Any
) -> HttpResponse:
    """Run an admin change form; if the places service refuses a capacity, show it again.

    The service is the only judge of a capacity, under its lock on the cohort, so the
    form cannot know in advance. The admin saves each POST in one transaction, and the
    refusal propagating out of it rolls back everything that attempt saved. The second
    run, with the same POST, makes that cohort's capacity field invalid, so the page
    comes back with the service's reason and nothing saved.
    """
    try:
        return view(request, *args)
    except _CapacityRefused as refusal:
        token = _capacity_refusals.set({refusal.cohort_id: refusal.message})
        try:
            return view(request, *args)
        finally:
            _capacity_refusals.reset(token)


def _cohort_save(*, cohort: Cohort, changed: list[str], by: User) -> None:
    """Save an admin edit of a cohort; a new capacity of an existing one goes through the service.

    The service locks the cohort, refuses a capacity below the places taken, and hands
    any new places to the people waiting, as it does for the staff console.
    """
    if cohort._state.adding or "capacity" not in changed:
        cohort.save()  # Cohort.save never writes places_taken over an existing row.
        return
    capacity = cohort.capacity
    cohort.save(
        update_fields=[
            field.name
            for field in Cohort._meta.concrete_fields
            if not field.primary_key and field.name not in ("capacity", "places_taken")
        ]
    )
    try:
        changed_cohort = cohort_capacity_change(cohort=cohort, capacity=capacity, by=by)
    except (CapacityTooLow, CohortCancelled) as refusal:
        raise _CapacityRefused(cohort.pk, str(refusal)) from refusal
    cohort.places_taken = changed_cohort.places_taken


class CapacityRefusalsShown(admin.ModelAdmin):
    """A change form on which a refused capacity change shows as a form error."""

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        return _showing_capacity_refusals(
            super().changeform_view, request, object_id, form_url, extra_context
        )


@admin.register(Cohort)
class CohortAdmin(CapacityRefusalsShown):
    form = CohortForm
    list_display = ("name", "programme", "starts_on", "ends_on", "capacity", "delivery_mode")
    list_filter = ("delivery_mode", "programme", "starts_on")
    search_fields = ("name", "programme__title", "venue")
    date_hierarchy = "starts_on"
    list_select_related = ("programme",)
    autocomplete_fields = ["programme"]
    readonly_fields = ("places_taken",)

    def save_model(
        self, request: HttpRequest, obj: Cohort, form: forms.ModelForm, change: bool
    ) -> None:
        _cohort_save(cohort=obj, changed=form.changed_data, by=request.user)  # type: ignore[arg-type]


class CohortInline(admin.TabularInline):
    model = Cohort
    form = CohortForm
    extra = 0
    fields = ("name", "starts_on", "ends_on", "capacity", "places_taken", "delivery_mode", "venue")
    readonly_fields = ("places_taken",)
    show_change_link = True


# Replaces the registration in programmes/admin.py (imported above, so it has run) to add
# the cohorts, whose capacity only this app can change: see the module docstring.
admin.site.unregister(Programme)


@admin.register(Programme)
class ProgrammeAdmin(CapacityRefusalsShown, programmes_admin.ProgrammeAdmin):
    inlines = [CohortInline, *programmes_admin.ProgrammeAdmin.inlines]

    def save_formset(
        self, request: HttpRequest, form: forms.ModelForm, formset: BaseModelFormSet, change: bool
    ) -> None:
        if formset.model is not Cohort:
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)
        for deleted in formset.deleted_objects:
            deleted.delete()
        for cohort, changed in formset.changed_objects:
            _cohort_save(cohort=cohort, changed=changed, by=request.user)  # type: ignore[arg-type]
        for cohort in formset.new_objects:
            cohort.save()
