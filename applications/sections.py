"""The task list: the sections of an application, in order, which ones a programme asks
for, and when each counts as done.

A section is done when the person confirmed it (`Application.sections_done`) and
what it needs is still there: confirming a statement and then emptying it, or
deleting a required document, makes the section incomplete again. Completeness
is always worked out from the saved data, never stored.

Which sections a programme asks for follows its admission mode. Selective
programmes ask for everything, because the programme team reads the statement,
documents and sponsor before deciding. First-come courses book a place on the
rules alone, so nobody reads a statement: they ask for none, and for documents
or a sponsor only when one of their rules needs them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from programmes.models import AdmissionMode

from .models import Application, DocumentKind

STATEMENT_WORD_LIMIT = 500

PROFILE_INCOMPLETE = _("Complete your profile (current role, employer, sector and nation) first.")
CAREER_EMPTY = _("Add at least one role to your career history first.")
QUESTIONS_UNANSWERED = _("Answer every question in this section.")
STATEMENT_EMPTY = _("Write your supporting statement.")
STATEMENT_OVER_LIMIT = _("Shorten your supporting statement to %(limit)s words or fewer.")
DOCUMENTS_MISSING = _("Upload the documents this programme asks for: %(documents)s.")
ENDORSER_MISSING = _("Give your sponsor's full name, job title and email address.")
ENDORSER_IS_APPLICANT = _(
    "Your sponsor's email address cannot be your own. Give the address of the person "
    "who supports your application."
)

COMPLETED = "completed"
INCOMPLETE = "incomplete"
NOT_STARTED = "not_started"
STATUS_LABELS = {
    COMPLETED: _("Completed"),
    INCOMPLETE: _("Incomplete"),
    NOT_STARTED: _("Not started"),
}


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    hint: str | Promise


SECTIONS: tuple[Section, ...] = (
    Section("personal", _("Personal and contact details"), _("Check the details we hold.")),
    Section("career", _("Career history"), _("Your roles, used to work out your experience.")),
    Section("eligibility", _("Eligibility questions"), _("Questions this programme asks.")),
    Section(
        "statement",
        _("Supporting statement"),
        _("Why you want a place, in up to %(limit)s words.") % {"limit": STATEMENT_WORD_LIMIT},
    ),
    Section("documents", _("Supporting documents"), _("PDF or Word files.")),
    Section("endorsement", _("Sponsor or line manager"), _("Who supports your application.")),
)
SECTION_KEYS = tuple(section.key for section in SECTIONS)
BY_KEY = {section.key: section for section in SECTIONS}


def word_count(text: str) -> int:
    return len(text.split())


@dataclass(frozen=True)
class SectionFacts:
    """What the sections need to know beyond the application row, read once
    (applications.selectors.section_facts_for)."""

    admission_mode: str
    profile_complete: bool
    has_career: bool
    question_keys: frozenset[str]
    required_documents: frozenset[str]
    document_kinds: frozenset[str]
    needs_endorsement: bool


@dataclass(frozen=True)
class SectionStatus:
    section: Section
    status: str
    problem: str

    @property
    def done(self) -> bool:
        return self.status == COMPLETED

    @property
    def label(self) -> str | Promise:
        return STATUS_LABELS[self.status]


def sections_asked(facts: SectionFacts) -> tuple[Section, ...]:
    """The sections this programme asks for, in task-list order."""
    if facts.admission_mode != AdmissionMode.FIRST_COME:
        return SECTIONS
    skipped = {"statement"}
    if not facts.required_documents:
        skipped.add("documents")
    if not facts.needs_endorsement:
        skipped.add("endorsement")
    return tuple(section for section in SECTIONS if section.key not in skipped)


def section_problem(key: str, application: Application, facts: SectionFacts) -> str:
    """Why the saved data does not complete section `key` yet; empty when it does."""
    if key == "personal":
        return "" if facts.profile_complete else str(PROFILE_INCOMPLETE)
    if key == "career":
        return "" if facts.has_career else str(CAREER_EMPTY)
    if key == "eligibility":
        answered = application.declarations if isinstance(application.declarations, dict) else {}
        unanswered = [k for k in facts.question_keys if not isinstance(answered.get(k), bool)]
        return str(QUESTIONS_UNANSWERED) if unanswered else ""
    if key == "statement":
        text = application.supporting_statement.strip()
        if not text:
            return str(STATEMENT_EMPTY)
        if word_count(text) > STATEMENT_WORD_LIMIT:
            return STATEMENT_OVER_LIMIT % {"limit": STATEMENT_WORD_LIMIT}
        return ""
    if key == "documents":
        missing = sorted(facts.required_documents - facts.document_kinds)
        if not missing:
            return ""
        labels = ", ".join(str(DocumentKind(kind).label) for kind in missing)
        return DOCUMENTS_MISSING % {"documents": labels}
    if key == "endorsement":
        if not all(
            value.strip()
            for value in (
                application.endorser_name,
                application.endorser_role,
                application.endorser_email,
            )
        ):
            return str(ENDORSER_MISSING)
        if endorser_is_applicant(application.endorser_email, application.applicant.email):
            return str(ENDORSER_IS_APPLICANT)
        return ""
    raise ValueError(f"unknown section {key!r}")


def endorser_is_applicant(endorser_email: str, applicant_email: str) -> bool:
    return endorser_email.strip().lower() == applicant_email.strip().lower()


def section_statuses(application: Application, facts: SectionFacts) -> list[SectionStatus]:
    """Each section asked for, with its status derived from the saved data."""
    confirmed = set(application.sections_done or ())
    statuses = []
    for section in sections_asked(facts):
        problem = section_problem(section.key, application, facts)
        if section.key not in confirmed:
            status = NOT_STARTED
        elif problem:
            status = INCOMPLETE
        else:
            status = COMPLETED
        statuses.append(SectionStatus(section=section, status=status, problem=problem))
    return statuses
