"""Forms of managers' changes to places.

Offers (one or many), turning an application down, the number of places, moving
someone on the waiting list, and recording attendance.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.lifecycle import OFFERABLE
from applications.models import Application, ApplicationState
from portal.form_fields import ID_MAX, RowChoiceField, RowIdField, RowsChoiceField
from programmes.models import Cohort

CHOOSE_PEOPLE = _("Choose at least one person to offer a place to.")
CHOOSE_OFFERABLE = _(
    "Some of the people chosen cannot be offered a place now. Reload the page and try again."
)
REJECT_REASON_REQUIRED = _("Give a reason for turning the application down.")


class RejectForm(forms.Form):
    RETURN_APPLICATION = "application"
    RETURN_WAITING_LIST = "waiting_list"

    reason = forms.CharField(
        label=_("Reason for turning the application down"),
        help_text=_("The applicant is told this reason by email."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REJECT_REASON_REQUIRED},
    )
    # Where to go back to: a choice, never a URL, so it cannot send people elsewhere.
    return_to = forms.ChoiceField(
        required=False,
        choices=[(RETURN_APPLICATION, RETURN_APPLICATION), (RETURN_WAITING_LIST, "")],
        widget=forms.HiddenInput,
    )

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(REJECT_REASON_REQUIRED)
        return reason


class BulkOfferForm(forms.Form):
    applications = RowsChoiceField(
        queryset=Application.objects.none(),
        error_messages={
            "required": CHOOSE_PEOPLE,
            "invalid_choice": CHOOSE_OFFERABLE,
            "invalid_pk_value": CHOOSE_OFFERABLE,
        },
    )

    def __init__(self, *args: Any, cohort_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["applications"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Application.objects.filter(cohort_id=cohort_id, state__in=OFFERABLE)


CHOOSE_SOMEONE = _("Choose at least one person.")
CHOOSE_IN_COHORT = _(
    "Some of the people chosen are not applicants to this cohort. Nothing was changed. "
    "Reload the page and try again."
)
CHOOSE_ACTION = _("Choose what to do with the people chosen.")
BULK_WAITLIST = "waitlist"
BULK_REJECT = "reject"
BULK_ASSIGN = "assign"


class BulkChangeForm(forms.Form):
    """Many applications of one cohort, and what to do with them: the button pressed.

    Any submitted application of the cohort may be posted, whatever its state now: a
    tab left open while a colleague acted posts people whose state has changed, and
    each of those is refused on its own by the service, with the reason. An id that
    is not one of this cohort's submitted applications (another cohort, a draft, not
    a number) refuses the whole post, as for offers.
    """

    applications = RowsChoiceField(
        queryset=Application.objects.none(),
        error_messages={
            "required": CHOOSE_SOMEONE,
            "invalid_choice": CHOOSE_IN_COHORT,
            "invalid_pk_value": CHOOSE_IN_COHORT,
        },
    )
    action = forms.ChoiceField(
        choices=[
            (BULK_WAITLIST, BULK_WAITLIST),
            (BULK_REJECT, BULK_REJECT),
            (BULK_ASSIGN, BULK_ASSIGN),
        ],
        error_messages={"required": CHOOSE_ACTION, "invalid_choice": CHOOSE_ACTION},
    )

    def __init__(self, *args: Any, cohort_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["applications"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = (
            Application.objects.filter(cohort_id=cohort_id)
            .exclude(state=ApplicationState.DRAFT)
            .select_related("applicant")
            .order_by("pk")
        )


class BulkRejectForm(RejectForm):
    """The confirmation step of turning many people down: the reason for them all.

    The page posts CONFIRMED_FIELD as well; without it the post only asks to confirm.
    """

    CONFIRMED_FIELD = "confirmed"
    CONFIRMED = "yes"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Reason for turning them down")
        self.fields["reason"].help_text = _(
            "Each person is told this reason by email, so write it to them all."
        )
        del self.fields["return_to"]


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Number of places"),
        min_value=1,
        max_value=10_000,
        error_messages={"required": _("Enter the number of places.")},
    )


POSITION_REQUIRED = _("Enter the position to move them to, as a whole number.")


class WaitingListMoveForm(forms.Form):
    """One move (up, down, or to a position), with the order the staff member was looking at."""

    application = RowIdField(widget=forms.HiddenInput)
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down"), ("to", "to")])
    position = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=100_000,
        error_messages={"invalid": POSITION_REQUIRED, "min_value": POSITION_REQUIRED},
    )
    expected = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("direction") == "to" and cleaned.get("position") is None:
            self.add_error("position", POSITION_REQUIRED)
        return cleaned

    def target_position(self) -> int:
        """Where the person should go, 1-based, from the order that was shown."""
        data = self.cleaned_data
        if data["direction"] == "to":
            return int(data["position"])
        if data["application"] not in data["expected"]:
            return 1  # the service refuses the move: the list has changed
        current = data["expected"].index(data["application"]) + 1
        return current - 1 if data["direction"] == "up" else current + 1

    def clean_expected(self) -> list[int]:
        raw: str = self.cleaned_data["expected"]
        parts = [part.strip() for part in raw.split(",") if part.strip()]
        if not all(part.isascii() and part.isdigit() and int(part) <= ID_MAX for part in parts):
            raise forms.ValidationError("bad order")
        return [int(part) for part in parts]


class AttendanceForm(forms.Form):
    application = RowIdField(widget=forms.HiddenInput)
    completed = forms.TypedChoiceField(
        choices=[("yes", "yes"), ("no", "no")], coerce=lambda value: value == "yes"
    )
    # Needed only to change a mark already recorded; the service says so if missing.
    reason = forms.CharField(required=False, max_length=500)


UNDO_REASON_REQUIRED = _("Give a reason: the person is told it by email.")
CHOOSE_COHORT = _("Choose the cohort to move them to.")


class UndoForm(forms.Form):
    """A change the team makes on someone's behalf: it always carries a reason."""

    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("The person is told this reason by email."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": UNDO_REASON_REQUIRED},
    )

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(UNDO_REASON_REQUIRED)
        return reason


class TransferForm(UndoForm):
    cohort = RowChoiceField(
        label=_("Move to"),
        queryset=Cohort.objects.none(),
        empty_label=_("Choose a cohort"),
        error_messages={"required": CHOOSE_COHORT, "invalid_choice": CHOOSE_COHORT},
    )
    field_order = ["cohort", "reason"]

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cohort"]
        assert isinstance(field, forms.ModelChoiceField)
        # Other cohorts of the same programme that have not started. Read once here, so
        # the page costs one query for them however the select is rendered.
        field.queryset = (
            Cohort.objects.filter(programme_id=application.cohort.programme_id)
            .exclude(pk=application.cohort_id)
            .filter(starts_on__gt=timezone.localdate())
            .order_by("starts_on", "pk")
        )
        self.cohorts = list(field.queryset)
        field.choices = [("", str(field.empty_label))] + [
            (cohort.pk, f"{cohort.name} (starts {cohort.starts_on:%d/%m/%Y})")
            for cohort in self.cohorts
        ]
