"""One application as the reports see it: where it got to and who applied in aggregate
terms, and nothing about who the person is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Facts:
    """What the reports need to know about one application, and nothing about who it is."""

    cohort_id: int
    screened_as: str  # the automatic screening's outcome, or "" if never screened
    reached_offer: bool
    reached_enrolled: bool
    completed: bool
    reached_waiting_list: bool
    sector: str
    nation: str
    employer_type: str
    equality: dict[str, str]
