"""Who sees a programme's peer network: one row per kind of person.

The matrix's six roles hold no place on any programme, so this file covers the
people the network is for, and those close to it who must not see it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from programmes.models import ProgrammeTeamMember
from tests import factories
from tests.resources.factories import NetworkProfileFactory, participant

PEER_NAME = "Peer Person"
PEER_EMAIL = "peer.secret@example.org"
PEER_HELP = "Budget recovery plans"


@dataclass(frozen=True)
class Row:
    who: str
    status: int
    sees_peer: bool
    query: str = ""
    template: str = ""


ROWS = [
    Row("same_cohort_opted_in", 200, True, template="network/members.html"),
    Row("same_cohort_not_opted_in", 200, False, template="network/join.html"),
    Row("other_cohort_opted_in_with_alumni", 200, True, query="alumni=on"),
    Row("other_cohort_opted_in_with_alumni_not_asked", 200, False),
    Row("other_cohort_opted_in_without_alumni", 200, False, query="alumni=on"),
    Row("other_programme_participant", 404, False),
    Row("withdrawn_participant", 404, False),
    Row("applicant_not_enrolled", 404, False),
    Row("staff", 404, False),
    Row("provider", 404, False),
    Row("anonymous", 302, False),
]


@pytest.fixture
def setting(db):  # type: ignore[no-untyped-def]
    programme = factories.ProgrammeFactory()
    cohort = factories.CohortFactory(programme=programme)
    earlier = factories.CohortFactory(programme=programme)
    peer = participant(cohort=cohort, full_name=PEER_NAME)
    NetworkProfileFactory(
        user=peer, programme=programme, name=PEER_NAME, contact_email=PEER_EMAIL,
        can_help_with=PEER_HELP,
    )  # fmt: skip

    def joined(user, **fields):  # type: ignore[no-untyped-def]
        NetworkProfileFactory(user=user, programme=programme, **fields)
        return user

    staff = factories.UserFactory()
    factories.ProgrammeTeamMemberFactory(
        user=staff, programme=programme, role=ProgrammeTeamMember.Role.MANAGER
    )
    provider = factories.UserFactory()
    factories.ProviderMembershipFactory(user=provider, provider=programme.providers.first())
    withdrawn = participant(cohort=cohort, state="withdrawn")
    joined(withdrawn)  # a profile from before withdrawing
    people = {
        "same_cohort_opted_in": joined(participant(cohort=cohort)),
        "same_cohort_not_opted_in": participant(cohort=cohort),
        "other_cohort_opted_in_with_alumni": joined(
            participant(cohort=earlier, state="completed"), see_alumni=True
        ),
        "other_cohort_opted_in_with_alumni_not_asked": joined(
            participant(cohort=earlier, state="completed"), see_alumni=True
        ),
        "other_cohort_opted_in_without_alumni": joined(
            participant(cohort=earlier, state="completed"), see_alumni=False
        ),
        "other_programme_participant": participant(cohort=factories.CohortFactory()),
        "withdrawn_participant": withdrawn,
        "applicant_not_enrolled": participant(cohort=cohort, state="eligible"),
        "staff": staff,
        "provider": provider,
        "anonymous": None,
    }
    return programme, people, staff


@pytest.mark.parametrize("row", ROWS, ids=[row.who for row in ROWS])
def test_who_sees_the_peer_network(row: Row, setting) -> None:  # type: ignore[no-untyped-def]
    programme, people, _staff = setting
    client = Client()
    if people[row.who] is not None:
        client.force_login(people[row.who])
    url = reverse("network:programme", args=[programme.slug])
    response = client.get(f"{url}?{row.query}" if row.query else url)
    assert response.status_code == row.status
    body = response.content.decode()
    assert (PEER_EMAIL in body) is row.sees_peer
    assert (PEER_HELP in body) is row.sees_peer
    if row.template:
        assert response.templates[0].name == row.template
    if row.status == 302:
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("row", ROWS, ids=[row.who for row in ROWS])
def test_only_participants_may_opt_in(row: Row, setting) -> None:  # type: ignore[no-untyped-def]
    from network.models import NetworkProfile

    programme, people, _staff = setting
    client = Client()
    if people[row.who] is not None:
        client.force_login(people[row.who])
    before = NetworkProfile.objects.count()
    response = client.post(
        reverse("network:profile", args=[programme.slug]),
        {"name": "X", "job_title": "Y", "employer": "Z", "contact_email": "x@example.org"},
    )
    may = row.status == 200
    assert response.status_code == (302 if may else row.status)
    if not may:
        assert NetworkProfile.objects.count() == before


def test_staff_see_only_the_names_of_who_opted_in(setting) -> None:  # type: ignore[no-untyped-def]
    programme, _people, staff = setting
    client = Client()
    client.force_login(staff)
    response = client.get(reverse("manage:network", args=[programme.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert PEER_NAME in body
    assert PEER_EMAIL not in body and PEER_HELP not in body
    # The withdrawn participant's leftover profile is not counted.
    assert len(response.context["names"]) == 5


def test_providers_exports_do_not_carry_network_profiles(setting) -> None:  # type: ignore[no-untyped-def]
    programme, people, _staff = setting
    client = Client()
    client.force_login(people["provider"])
    cohort = programme.cohorts.order_by("pk").first()
    response = client.get(reverse("provider:cohort", args=[cohort.pk]))
    assert response.status_code == 200
    assert PEER_EMAIL not in response.content.decode()
