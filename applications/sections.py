"""The task list: the sections of an application, in order, and when each counts as done."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

STATEMENT_WORD_LIMIT = 500


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
