"""The places invariants hold over random sequences of actions, in every admission mode.

Hypothesis plays applicants and a programme team against two cohorts of one
programme: submitting, inviting, offering (one or many), accepting, declining,
withdrawing, leaving the list, expiring, changing capacity, starting the cohort,
recording attendance, the team taking back offers, withdrawing people and
moving them between the cohorts, and cancelling a cohort. Actions are aimed at
any application in any state, which is what a stale tab or a hand-made POST
does; a refusal must be a domain error (ApplicationError) and any other
exception fails the run. After every step:
- places_taken equals the applications holding a place, never above capacity;
- nobody waits for a first-come place while one is free and offers are open;
- waiting-list positions are exactly 1..n;
- nobody holds two places in the programme at once;
- a cancelled cohort has nobody holding, offered or waiting for a place on it.
"""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from django.db.models import Count
from django.utils import timezone
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from applications.errors import ApplicationError
from applications.lifecycle import ACTIVE_PLACE, HOLDS_A_PLACE, WITHDRAWABLE
from applications.models import Application
from applications.models import ApplicationState as S
from applications.sections import SECTION_KEYS
from applications.services import places
from applications.services.drafts import application_section_save, application_start
from applications.services.invitations import invitation_create
from applications.services.submission import application_submit
from applications.services.withdrawal import application_withdraw
from programmes.models import AdmissionMode, Cohort
from tests import factories

pytestmark = pytest.mark.django_db

PEOPLE = 6
SECTION_VALUES = {
    "statement": {"supporting_statement": "I want to lead a whole service."},
    "endorsement": {
        "endorser_name": "Sam Patel",
        "endorser_role": "Director of children's services",
        "endorser_email": "sam.patel@example.net",
    },
}


class PlacesMachine(RuleBasedStateMachine):
    MODE: str = AdmissionMode.SELECTIVE

    @initialize(capacities=st.tuples(st.integers(1, 3), st.integers(1, 3)))
    def setup(self, capacities: tuple[int, int]) -> None:
        self.mode = mode = self.MODE
        programme = factories.ProgrammeFactory(admission_mode=mode, is_published=True)
        self.cohorts = [
            factories.CohortFactory(programme=programme, capacity=capacity)
            for capacity in capacities
        ]
        self.people = [factories.UserFactory() for _ in range(PEOPLE)]
        for person in self.people:  # what the sections need to count as complete
            factories.ProfileFactory(user=person)
            factories.CareerEntryFactory(user=person)
        self.staff = factories.UserFactory()

    # --- helpers -------------------------------------------------------------

    def _cohort(self, index: int) -> Cohort:
        return Cohort.objects.select_related("programme").get(pk=self.cohorts[index].pk)

    def _any(self, index: int, *likely: str) -> Application | None:
        """An application: usually one in a `likely` state, so runs get somewhere;
        every third pick from all of them, in whatever state, as a stale tab would."""
        found = Application.objects.filter(cohort__in=self.cohorts).order_by("pk")
        if likely and index % 3 and found.filter(state__in=likely).exists():
            found = found.filter(state__in=likely)
        rows = list(found)
        return rows[index % len(rows)] if rows else None

    def _attempt(self, action) -> None:  # type: ignore[no-untyped-def]
        # Refused with a reason is fine: the invariants say whether anything changed wrongly.
        with contextlib.suppress(ApplicationError):
            action()

    # --- applicants ----------------------------------------------------------

    @precondition(lambda self: self.mode != AdmissionMode.INVITATION)
    @rule(cohort=st.integers(0, 1), person=st.integers(0, PEOPLE - 1))
    def apply_and_submit(self, cohort: int, person: int) -> None:
        def go() -> None:
            application, _created = application_start(
                cohort=self._cohort(cohort), applicant=self.people[person]
            )
            for key in SECTION_KEYS:
                application = application_section_save(
                    application=application, section=key, values=SECTION_VALUES.get(key)
                )
            application_submit(application=application, by=self.people[person])

        self._attempt(go)

    @precondition(lambda self: self.mode == AdmissionMode.INVITATION)
    @rule(cohort=st.integers(0, 1), person=st.integers(0, PEOPLE - 1))
    def invite(self, cohort: int, person: int) -> None:
        user = self.people[person]
        self._attempt(
            lambda: invitation_create(
                cohort=self._cohort(cohort),
                full_name=user.full_name or "Invited person",
                email=user.email,
                local_authority=None,
                appointed_on=None,
                by=self.staff,
            )
        )

    @rule(pick=st.integers(0, 50))
    def accept(self, pick: int) -> None:
        if (application := self._any(pick, S.OFFERED)) is not None:
            self._attempt(lambda: places.offer_accept(application=application, by=self.staff))

    @rule(pick=st.integers(0, 50))
    def decline(self, pick: int) -> None:
        if (application := self._any(pick, S.OFFERED)) is not None:
            self._attempt(lambda: places.offer_decline(application=application, by=self.staff))

    @rule(pick=st.integers(0, 50))
    def withdraw(self, pick: int) -> None:
        if (application := self._any(pick, *HOLDS_A_PLACE, S.WAITLISTED)) is not None:
            self._attempt(
                lambda: application_withdraw(application=application, by=application.applicant)
            )

    @rule(pick=st.integers(0, 50))
    def leave_waiting_list(self, pick: int) -> None:
        if (application := self._any(pick, S.WAITLISTED)) is not None:
            self._attempt(lambda: places.waitlist_leave(application=application, by=None))

    # --- the programme team ------------------------------------------------

    @rule(pick=st.integers(0, 50))
    def offer(self, pick: int) -> None:
        if (application := self._any(pick, S.ELIGIBLE, S.WAITLISTED)) is not None:
            self._attempt(lambda: places.application_offer(application=application, by=self.staff))

    @rule(cohort=st.integers(0, 1), picks=st.lists(st.integers(0, 50), max_size=3))
    def offer_many(self, cohort: int, picks: list[int]) -> None:
        chosen = [a.pk for a in (self._any(p, S.ELIGIBLE) for p in picks) if a is not None]
        self._attempt(
            lambda: places.applications_offer_bulk(
                cohort=self._cohort(cohort), application_ids=chosen, by=self.staff
            )
        )

    @rule(pick=st.integers(0, 50))
    def put_on_waiting_list(self, pick: int) -> None:
        if (application := self._any(pick, S.ELIGIBLE)) is not None:
            self._attempt(lambda: places.waitlist_add(application=application, by=self.staff))

    @rule(pick=st.integers(0, 50))
    def turn_down(self, pick: int) -> None:
        if (application := self._any(pick, S.ELIGIBLE, S.WAITLISTED)) is not None:
            self._attempt(
                lambda: places.application_reject(
                    application=application, by=self.staff, reason="Not this time."
                )
            )

    @rule(pick=st.integers(0, 50))
    def take_back_offer(self, pick: int) -> None:
        if (application := self._any(pick, S.OFFERED)) is not None:
            self._attempt(
                lambda: places.offer_rescind(application=application, by=self.staff, reason="X")
            )

    @rule(pick=st.integers(0, 50))
    def withdraw_on_their_behalf(self, pick: int) -> None:
        if (application := self._any(pick, S.ENROLLED)) is not None:
            self._attempt(
                lambda: places.enrolment_withdraw(
                    application=application, by=self.staff, reason="X"
                )
            )

    @rule(pick=st.integers(0, 50), cohort=st.integers(0, 1))
    def move_to_the_other_cohort(self, pick: int, cohort: int) -> None:
        application = self._any(pick, S.ENROLLED, S.OFFERED, S.WAITLISTED, S.ELIGIBLE)
        if application is not None:
            self._attempt(
                lambda: places.application_transfer(
                    application=application,
                    to_cohort=self._cohort(cohort),
                    by=self.staff,
                    reason="X",
                )
            )

    @rule(pick=st.integers(0, 50))
    def let_offer_lapse(self, pick: int) -> None:
        application = self._any(pick, S.OFFERED)
        if application is not None and application.state == S.OFFERED:
            Application.objects.filter(pk=application.pk).update(
                offer_expires_at=timezone.now() - dt.timedelta(minutes=1)
            )
        places.offers_expire_due()

    @rule(cohort=st.integers(0, 1), capacity=st.integers(0, 5))
    def change_capacity(self, cohort: int, capacity: int) -> None:
        self._attempt(
            lambda: places.cohort_capacity_change(
                cohort=self._cohort(cohort), capacity=capacity, by=self.staff
            )
        )

    @rule(cohort=st.integers(0, 1))
    def cohort_starts(self, cohort: int) -> None:
        today = timezone.localdate()
        Cohort.objects.filter(pk=self.cohorts[cohort].pk).update(
            starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=30)
        )
        places.waiting_lists_close_due()

    @rule(pick=st.integers(0, 50), completed=st.booleans(), reason=st.sampled_from(["", "Fix"]))
    def record_attendance(self, pick: int, completed: bool, reason: str) -> None:
        if (
            application := self._any(pick, S.ENROLLED, S.COMPLETED, S.DID_NOT_COMPLETE)
        ) is not None:
            self._attempt(
                lambda: places.attendance_record(
                    application=application, completed=completed, by=self.staff, reason=reason
                )
            )

    @rule(cohort=st.integers(0, 1))
    def cancel_cohort(self, cohort: int) -> None:
        self._attempt(
            lambda: places.cohort_cancel(
                cohort=self._cohort(cohort), reason="The provider withdrew.", by=self.staff
            )
        )

    # --- what must always be true ------------------------------------------

    @invariant()
    def places_taken_is_the_places_held_and_within_capacity(self) -> None:
        # Shown by --hypothesis-show-statistics: which states the runs reached.
        for state in Application.objects.filter(cohort__in=self.cohorts).values_list(
            "state", flat=True
        ):
            event(f"{self.mode}: {state}")
        for stored in self.cohorts:
            cohort = self._cohort(self.cohorts.index(stored))
            held = cohort.applications.filter(state__in=HOLDS_A_PLACE).count()
            assert cohort.places_taken == held
            assert 0 <= cohort.places_taken <= cohort.capacity

    @invariant()
    def nobody_waits_while_a_first_come_place_is_free(self) -> None:
        if self.mode != AdmissionMode.FIRST_COME:
            return
        for index in range(len(self.cohorts)):
            cohort = self._cohort(index)
            if cohort.places_taken < cohort.capacity and places.offers_open(cohort):
                assert not places.waiting_list(cohort).exists()

    @invariant()
    def positions_run_from_one(self) -> None:
        for index in range(len(self.cohorts)):
            line = list(places.waiting_list(self._cohort(index)))
            assert [places.waitlist_position(a) for a in line] == list(range(1, len(line) + 1))

    @invariant()
    def nobody_is_left_on_a_cancelled_cohort(self) -> None:
        for index in range(len(self.cohorts)):
            cohort = self._cohort(index)
            if cohort.is_cancelled:
                event(f"{self.mode}: a cohort was cancelled")
                assert cohort.places_taken == 0
                assert not cohort.applications.filter(state__in=WITHDRAWABLE).exists()

    @invariant()
    def one_place_per_programme(self) -> None:
        doubled = (
            Application.objects.filter(cohort__in=self.cohorts, state__in=ACTIVE_PLACE)
            .values("applicant")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
        )
        assert not doubled.exists()


@pytest.mark.parametrize("mode", AdmissionMode.values)
def test_places_invariants_hold_over_random_sequences_of_actions(mode: str) -> None:
    machine = type(f"PlacesMachine_{mode}", (PlacesMachine,), {"MODE": mode})
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=15,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            database=None,
        ),
    )
