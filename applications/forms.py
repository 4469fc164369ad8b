"""Forms for the sections of an application."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DocumentKind
from .sections import ENDORSER_IS_APPLICANT, STATEMENT_WORD_LIMIT, endorser_is_applicant, word_count

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
STATEMENT_TOO_LONG = _("Your statement is %(count)s words; the limit is %(limit)s.")
STATEMENT_REQUIRED = _("Enter your supporting statement.")
ANSWER_REQUIRED = _("Answer yes or no.")
EMAIL_INVALID = _("Enter an email address in the right format, like name@example.org.")


class ConfirmForm(forms.Form):
    """A section whose content lives elsewhere (profile, career history): just confirm it."""


class DeclarationsForm(forms.Form):
    def __init__(self, *args: Any, questions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[question.key] = forms.ChoiceField(
                label=question.statement,
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": ANSWER_REQUIRED},
            )

    def declarations(self) -> dict[str, bool]:
        return {key: value == "yes" for key, value in self.cleaned_data.items()}

    @staticmethod
    def initial_from(declarations: dict[str, bool]) -> dict[str, str]:
        return {key: "yes" if value else "no" for key, value in declarations.items()}


class StatementForm(forms.Form):
    supporting_statement = forms.CharField(
        label=_("Supporting statement"),
        help_text=_(
            "Tell us why you want a place and what you would bring, in up to %(limit)s words."
        )
        % {"limit": STATEMENT_WORD_LIMIT},
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=10_000,
        error_messages={"required": STATEMENT_REQUIRED},
    )

    def clean_supporting_statement(self) -> str:
        text: str = self.cleaned_data["supporting_statement"].strip()
        count = word_count(text)
        if count > STATEMENT_WORD_LIMIT:
            raise forms.ValidationError(
                STATEMENT_TOO_LONG % {"count": count, "limit": STATEMENT_WORD_LIMIT}
            )
        return text


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type of document"),
        choices=DocumentKind.choices,
        error_messages={"required": _("Choose the type of document.")},
    )
    file = forms.FileField(
        label=_("Choose a file"),
        help_text=_("PDF or Word (.pdf, .docx, .doc), smaller than 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx"}),
        error_messages={"required": _("Choose a file to upload.")},
    )


class EndorsementForm(forms.Form):
    endorser_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        error_messages={"required": _("Enter your sponsor's full name.")},
    )
    endorser_role = forms.CharField(
        label=_("Job title"),
        max_length=150,
        error_messages={"required": _("Enter your sponsor's job title.")},
    )
    endorser_email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We may contact them to confirm they support your application."),
        error_messages={
            "required": _("Enter your sponsor's email address."),
            "invalid": EMAIL_INVALID,
        },
    )

    def __init__(self, *args: Any, applicant_email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.applicant_email = applicant_email

    def clean_endorser_email(self) -> str:
        email: str = self.cleaned_data["endorser_email"].strip()
        if endorser_is_applicant(email, self.applicant_email):
            raise forms.ValidationError(ENDORSER_IS_APPLICANT, code="own_email")
        return email


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you withdrawing? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
