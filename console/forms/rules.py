"""Forms of a programme's eligibility rules: choosing a kind, then that kind's fields.

Staff never type JSON here. Each kind asks for what it takes, and RuleForm
builds the params dict that applications/eligibility/params.py validates. Its
errors come back through rule_clean with the params' own names; `add_rule_errors`
puts each beside the field it is about.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import CurrentRole, EmployerType, Nation, Sector
from applications.eligibility import params as p
from applications.eligibility.forms import Checkboxes, Radios
from applications.eligibility.services import ERROR_DUPLICATE_DECLARATION_KEY
from applications.models import DocumentKind, EligibilityRule, RuleKind
from programmes.models import Programme

# What each kind checks, beside its radio button, for the person choosing one.
KIND_DESCRIPTIONS: dict[str, Promise] = {
    RuleKind.MIN_SENIOR_YEARS: _(
        "A number of years of senior strategic leadership, counted from the applicant's "
        "career history, in any sector or only in the sectors you choose."
    ),
    RuleKind.CURRENT_ROLE: _(
        "The applicant's current role is one you choose, for example director of children's "
        "services, and if you like they started it within a number of months."
    ),
    RuleKind.NATION: _("The applicant works in one of the nations you choose, such as Wales."),
    RuleKind.EMPLOYER_TYPE: _(
        "The applicant works for one of the types of organisation you choose, such as a "
        "local authority."
    ),
    RuleKind.SELF_DECLARATION: _(
        "The applicant answers yes to a statement you write, for example that they are "
        "ready to move into a director's role within three years."
    ),
    RuleKind.REQUIRED_DOCUMENT: _("The applicant uploads a document with their application."),
    RuleKind.ENDORSEMENT: _(
        "The applicant gives the name and email address of a sponsor or line manager who "
        "supports their application."
    ),
}

CHOOSE_KIND = _("Choose the kind of rule.")
MESSAGE_REQUIRED = _("Enter the summary applicants see, for example “Work in Wales”.")
YEARS_REQUIRED = _("Enter the number of years, for example 3 or 2.5.")
YEARS_INVALID = _("Enter the years as a number greater than 0, for example 3 or 2.5.")
YEARS_PRECISION = _("Enter the years with no more than one decimal place, for example 2.5.")
ROLES_REQUIRED = _("Choose at least one role.")
MONTHS_INVALID = _("Enter the months as a whole number from 1 to 600, or leave it blank.")
NATIONS_REQUIRED = _("Choose at least one nation.")
TYPES_REQUIRED = _("Choose at least one type of employer.")
STATEMENT_REQUIRED = _("Enter the statement applicants are asked to confirm.")
DOCUMENT_REQUIRED = _("Choose the document applicants must upload.")
NOT_AN_OPTION = _("Choose one of the options shown.")
FORM_OUT_OF_DATE = _(
    "This page is out of date. Open the rule again from the list of rules, then make your changes."
)
POSITION_INVALID = _("Enter the position to move the rule to, as a whole number.")
KEY_SUGGESTED = _("We made the short name “%(key)s” from the statement. You can change it.")

MAX_YEARS = 60
MAX_MONTHS = 600
MAX_STATEMENT = 1000
KEY_MAX_LENGTH = 50
# A suggested key stops at a word, well inside the limit, so a number can follow it.
SUGGESTED_KEY_LENGTH = 40

# The params each kind takes, by form field (the same names: see params.EXAMPLES).
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    RuleKind.MIN_SENIOR_YEARS: ("years", "sectors"),
    RuleKind.CURRENT_ROLE: ("roles", "within_months"),
    RuleKind.NATION: ("nations",),
    RuleKind.EMPLOYER_TYPE: ("types",),
    RuleKind.SELF_DECLARATION: ("statement", "key"),
    RuleKind.REQUIRED_DOCUMENT: ("document_kind",),
    RuleKind.ENDORSEMENT: (),
}

# params.py errors that are about one field whatever their wording.
_FIELD_OF_ERROR = {
    id(p.ERROR_YEARS): "years",
    id(p.ERROR_WITHIN_MONTHS): "within_months",
    id(p.ERROR_KEY_SLUG): "key",
    id(p.ERROR_STATEMENT): "statement",
    id(p.ERROR_DOCUMENT_KIND): "document_kind",
    id(ERROR_DUPLICATE_DECLARATION_KEY): "key",
}
# params.py errors that name their field as the "key" parameter.
_ERRORS_NAMING_A_FIELD = {
    id(p.ERROR_MISSING_KEY),
    id(p.ERROR_NOT_A_LIST),
    id(p.ERROR_EMPTY_LIST),
    id(p.ERROR_UNKNOWN_VALUES),
}


def suggest_key(statement: str, *, taken: set[str]) -> str:
    """A short name for a declaration's answer from its statement, not among `taken`."""
    words = slugify(statement).split("-")
    key = ""
    for word in words:
        longer = f"{key}_{word}" if key else word
        if len(longer) > SUGGESTED_KEY_LENGTH:
            break
        key = longer
    key = key or "declaration"
    candidate, number = key, 2
    while candidate in taken:
        candidate, number = f"{key}_{number}", number + 1
    return candidate


class RuleKindForm(forms.Form):
    """Step one, sent by GET: the kind of rule, so the form can ask for its fields."""

    kind = forms.ChoiceField(
        label=_("What should applicants meet?"),
        choices=RuleKind.choices,
        widget=Radios,
        error_messages={"required": CHOOSE_KIND, "invalid_choice": CHOOSE_KIND},
    )

    def options(self) -> list[tuple[Any, Promise]]:
        """Each radio button with the description shown under it."""
        return [(option, KIND_DESCRIPTIONS[option.data["value"]]) for option in self["kind"]]


def _multiple(label: Any, choices: Any, required: Any, **kwargs: Any) -> forms.Field:
    """Checkboxes; `required` is the message when none is ticked, or None if none may be."""
    messages: dict[str, Any] = {"invalid_choice": NOT_AN_OPTION}
    if required is not None:
        messages["required"] = required
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        widget=Checkboxes,
        required=required is not None,
        error_messages=messages,
        **kwargs,
    )


def _kind_field(name: str) -> forms.Field:
    if name == "years":
        return forms.DecimalField(
            label=_("Years of senior strategic leadership"),
            help_text=_(
                "The least an applicant needs, counted from the roles in their career "
                "history. You can use a decimal, such as 2.5."
            ),
            min_value=Decimal("0.1"),
            max_value=MAX_YEARS,
            max_digits=3,
            decimal_places=1,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5}),
            error_messages={
                "required": YEARS_REQUIRED,
                "invalid": YEARS_INVALID,
                "min_value": YEARS_INVALID,
                "max_value": YEARS_INVALID,
                "max_digits": YEARS_INVALID,
                "max_whole_digits": YEARS_INVALID,
                "max_decimal_places": YEARS_PRECISION,
            },
        )
    if name == "sectors":
        return _multiple(
            _("Count experience only in these sectors"),
            Sector.choices,
            None,
            help_text=_("Leave them all unticked to count experience in any sector."),
        )
    if name == "roles":
        return _multiple(_("Current roles that can apply"), CurrentRole.choices, ROLES_REQUIRED)
    if name == "within_months":
        return forms.IntegerField(
            label=_("Started in that role within this many months"),
            help_text=_(
                "For example 12, for people appointed in the last year. Leave it blank if it "
                "does not matter when they started."
            ),
            required=False,
            min_value=1,
            max_value=MAX_MONTHS,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 5}),
            error_messages={
                "invalid": MONTHS_INVALID,
                "min_value": MONTHS_INVALID,
                "max_value": MONTHS_INVALID,
            },
        )
    if name == "nations":
        return _multiple(_("Nations applicants must work in"), Nation.choices, NATIONS_REQUIRED)
    if name == "types":
        return _multiple(
            _("Types of employer applicants must work for"), EmployerType.choices, TYPES_REQUIRED
        )
    if name == "statement":
        return forms.CharField(
            label=_("Statement applicants are asked to confirm"),
            help_text=_(
                "Write it as the applicant would say it, for example: I am ready to move into "
                "a director of children's services role within the next three years."
            ),
            max_length=MAX_STATEMENT,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"required": STATEMENT_REQUIRED},
        )
    if name == "key":
        return forms.CharField(
            label=_("Short name for the answer"),
            help_text=_(
                "Where the answer is kept: lower-case letters, numbers and underscores. Leave "
                "it blank on a new rule to make one from the statement. If you change it, "
                "people who have already answered are asked again."
            ),
            required=False,
            max_length=KEY_MAX_LENGTH,
            widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
        )
    if name == "document_kind":
        return forms.ChoiceField(
            label=_("Document applicants must upload"),
            choices=DocumentKind.choices,
            widget=Radios,
            error_messages={"required": DOCUMENT_REQUIRED, "invalid_choice": NOT_AN_OPTION},
        )
    raise KeyError(name)


def _initial_from(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """The form's starting values from a stored rule's params (unknown keys ignored)."""
    return {name: params[name] for name in KIND_FIELDS[kind] if name in params}


class RuleForm(forms.Form):
    """The fields of one kind of rule and the summary applicants see.

    `version` is the version the page showed: rule_save refuses to save over a
    version saved since (RuleChanged). `kind` rides along hidden, as chosen in
    step one.
    """

    kind = forms.ChoiceField(choices=RuleKind.choices, widget=forms.HiddenInput)
    # Text, not a number field: a missing or broken value is one message at the top
    # (the form is out of date), never a field error on something nobody can see.
    version = forms.CharField(required=False, widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Summary shown to applicants"),
        help_text=_(
            "One line, listed under “Who can apply” and above each applicant's result. "
            "For example: at least three years of senior strategic leadership."
        ),
        max_length=EligibilityRule._meta.get_field("message").max_length,
        error_messages={"required": MESSAGE_REQUIRED},
    )

    def __init__(
        self,
        data: Any = None,
        *,
        kind: str,
        programme: Programme,
        rule: EligibilityRule | None = None,
        **kwargs: Any,
    ) -> None:
        initial: dict[str, Any] = {"kind": kind}
        if rule is not None:
            initial.update(message=rule.message, version=rule.version)
            if rule.kind == kind and isinstance(rule.params, dict):
                initial.update(_initial_from(kind, rule.params))
        super().__init__(data, initial=initial, **kwargs)
        self.rule_kind = kind
        self.programme = programme
        self.rule = rule
        self.suggested_key: str | None = None
        message = self.fields.pop("message")
        for name in KIND_FIELDS[kind]:
            self.fields[name] = _kind_field(name)
        self.fields["message"] = message

    def clean_kind(self) -> str:
        kind: str = self.cleaned_data["kind"]
        if kind != self.rule_kind:
            raise ValidationError(CHOOSE_KIND)
        return kind

    def clean_message(self) -> str:
        message: str = self.cleaned_data["message"].strip()
        if not message:
            raise ValidationError(MESSAGE_REQUIRED)
        return message

    def clean_statement(self) -> str:
        statement: str = " ".join(self.cleaned_data["statement"].split())
        if not statement:
            raise ValidationError(STATEMENT_REQUIRED)
        return statement

    def clean_version(self) -> int | None:
        value = str(self.cleaned_data["version"]).strip()
        return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None

    def clean_key(self) -> str:
        return str(self.cleaned_data["key"]).strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.rule is not None and cleaned.get("version") is None:
            self.add_error(None, FORM_OUT_OF_DATE)
        if self.rule_kind == RuleKind.SELF_DECLARATION and not cleaned.get("key"):
            kept = self._stored_key()
            if kept:
                # A blank box keeps the key people's answers are stored under.
                cleaned["key"] = kept
            elif cleaned.get("statement"):
                cleaned["key"] = self.suggested_key = suggest_key(
                    cleaned["statement"], taken=self._keys_taken()
                )
        return cleaned

    def _stored_key(self) -> str:
        rule = self.rule
        if rule is None or rule.kind != RuleKind.SELF_DECLARATION:
            return ""
        key = rule.params.get("key") if isinstance(rule.params, dict) else None
        return key if isinstance(key, str) else ""

    def _keys_taken(self) -> set[str]:
        others = EligibilityRule.objects.filter(
            programme=self.programme, kind=RuleKind.SELF_DECLARATION
        )
        if self.rule is not None:
            others = others.exclude(pk=self.rule.pk)
        return {key for key in others.values_list("params__key", flat=True) if isinstance(key, str)}

    def params(self) -> dict[str, Any]:
        """The params dict of the kind, from the cleaned fields."""
        data = self.cleaned_data
        params: dict[str, Any] = {}
        for name in KIND_FIELDS[self.rule_kind]:
            value = data.get(name)
            if value in (None, "", []):
                continue
            if isinstance(value, Decimal):
                value = int(value) if value == value.to_integral_value() else float(value)
            params[name] = value
        return params

    def candidate(self) -> EligibilityRule:
        """The rule as the form says it should be, not saved. Order and "in use" are the
        stored rule's: they have their own buttons."""
        rule = self.rule
        return EligibilityRule(
            pk=rule.pk if rule else None,
            programme=self.programme,
            kind=self.rule_kind,
            params=self.params(),
            message=self.cleaned_data["message"],
            position=rule.position if rule else self._next_position(),
            is_active=rule.is_active if rule else True,
            version=rule.version if rule else 1,
        )

    def _next_position(self) -> int:
        # A new rule is checked last. Two added at once may share a number; the older
        # one then comes first, and the next move renumbers them.
        last = EligibilityRule.objects.filter(programme=self.programme).aggregate(
            last=Max("position")
        )["last"]
        return 1 if last is None else last + 1

    def add_rule_errors(self, error: ValidationError) -> None:
        """rule_clean's errors, each beside the field it is about, else at the top."""
        for name, errors in error.error_dict.items():
            for each in errors:
                field = self._field_for(each) if name == "params" else name
                self.add_error(field if field in self.fields else None, each)

    def _field_for(self, error: ValidationError) -> str | None:
        named = _FIELD_OF_ERROR.get(id(error.message))
        if named is not None:
            return named
        if id(error.message) in _ERRORS_NAMING_A_FIELD and isinstance(error.params, dict):
            return str(error.params.get("key"))
        return None


class RuleMoveForm(forms.Form):
    """Where to move a rule: 1 is checked first. Up and down post their neighbour's number."""

    position = forms.IntegerField(
        label=_("New position"),
        min_value=1,
        max_value=10_000,
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "max_value"), POSITION_INVALID
        ),
    )


class RuleRetireForm(forms.Form):
    """Retire (the default) or, with bring_back, use the rule again. Sent from the rules page
    after the explanation of what it does."""

    bring_back = forms.BooleanField(required=False, widget=forms.HiddenInput)
