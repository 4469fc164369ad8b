from typing import Any

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .forms import UserChangeAdminForm, UserCreationAdminForm
from .models import User
from .services.second_factor import second_factor_reset

RESET_DONE = (
    "The second factor of %(count)d person has been reset.",
    "The second factors of %(count)d people have been reset.",
)

# Apps whose rows about a person are never listed to anyone else, not even as "1 row will
# be deleted too": whether someone answered the equality questions is theirs alone.
UNLISTED_APPS = ("equality",)


def _unlisted(items: list[Any], prefixes: tuple[str, ...]) -> list[Any]:
    kept: list[Any] = []
    for item in items:
        if isinstance(item, list):
            if inner := _unlisted(item, prefixes):
                kept.append(inner)
        elif not str(item).startswith(prefixes):
            kept.append(item)
    return kept


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ("email",)
    list_display = (
        "email",
        "full_name",
        "is_active",
        "is_staff",
        "email_verified_at",
        "date_joined",
    )
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("email", "full_name")
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal details"), {"fields": ("full_name", "email_verified_at")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    actions = ("reset_second_factor",)
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        """What deleting a user takes with it, without the rows of UNLISTED_APPS.

        They are still deleted (the foreign key cascades); they are only not named.
        """
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        hidden = [
            model._meta
            for config in apps.get_app_configs()
            if config.label in UNLISTED_APPS
            for model in config.get_models()
        ]
        prefixes = tuple(f"{capfirst(opts.verbose_name)}: " for opts in hidden)
        names = {str(opts.verbose_name_plural) for opts in hidden}
        model_count = {k: v for k, v in model_count.items() if str(k) not in names}
        return _unlisted(to_delete, prefixes), model_count, perms_needed, protected

    @admin.action(description=_("Reset second factor"), permissions=("change",))
    def reset_second_factor(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> TemplateResponse | None:
        """For someone who lost their phone and recovery codes (README, docs/adr/0010).

        Asks first; on "yes" each person's devices go, their sessions end, they are
        emailed, and the audit log names the administrator and the person.
        """
        people = list(queryset.order_by("email"))
        if request.POST.get("confirmed") == "yes":
            by = request.user
            assert isinstance(by, User)  # the admin is for signed-in staff only
            for person in people:
                second_factor_reset(user=person, by=by)
            self.message_user(
                request,
                ngettext(*RESET_DONE, len(people)) % {"count": len(people)},
                messages.SUCCESS,
            )
            return None
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "title": _("Reset second factor"),
            "people": people,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action_name": "reset_second_factor",
        }
        return TemplateResponse(request, "admin/accounts/user/reset_second_factor.html", context)
