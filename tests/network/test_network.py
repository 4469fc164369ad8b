"""Joining and leaving the peer network, and who sees whom."""

from __future__ import annotations

import pytest
from django.urls import reverse

from network.errors import NotAParticipant
from network.models import NetworkProfile
from network.selectors import network_members, network_membership
from network.services import network_opt_in, network_opt_out
from tests import factories
from tests.queries import session_reads
from tests.resources.factories import NetworkProfileFactory, participant

pytestmark = pytest.mark.django_db

PROFILE = {
    "name": "Priya Shah",
    "job_title": "Head of service",
    "employer": "Borough Council",
    "local_authority": None,
    "region": "london",
    "contact_email": "priya.work@example.org",
    "can_help_with": "Inspections",
    "see_alumni": False,
}


def test_a_participant_opts_in_and_changes_their_profile() -> None:
    cohort = factories.CohortFactory()
    user = participant(cohort=cohort)
    profile = network_opt_in(user=user, programme=cohort.programme, data=PROFILE)
    assert profile.contact_email == "priya.work@example.org"
    network_opt_in(user=user, programme=cohort.programme, data={**PROFILE, "job_title": "Director"})
    assert NetworkProfile.objects.get().job_title == "Director"


@pytest.mark.parametrize(
    "state", ["submitted", "offered", "waitlisted", "withdrawn", "did_not_complete"]
)
def test_someone_without_a_place_cannot_opt_in(state) -> None:
    cohort = factories.CohortFactory()
    user = participant(cohort=cohort, state=state)
    with pytest.raises(NotAParticipant):
        network_opt_in(user=user, programme=cohort.programme, data=PROFILE)
    assert not NetworkProfile.objects.exists()


def test_opting_out_deletes_the_profile_at_once() -> None:
    profile = NetworkProfileFactory()
    assert network_opt_out(user=profile.user, programme=profile.programme) is True
    assert not NetworkProfile.objects.exists()
    assert network_opt_out(user=profile.user, programme=profile.programme) is False


def _joined(cohort, **fields):  # type: ignore[no-untyped-def]
    user = participant(cohort=cohort, state=fields.pop("state", "enrolled"))
    return NetworkProfileFactory(user=user, programme=cohort.programme, **fields)


def test_members_are_the_opted_in_participants_of_my_cohort_and_alumni_apart() -> None:
    cohort = factories.CohortFactory()
    earlier = factories.CohortFactory(programme=cohort.programme)
    me = _joined(cohort, name="Me")
    peer = _joined(cohort, name="Peer")
    participant(cohort=cohort)  # not opted in
    alumnus = _joined(earlier, name="Alumnus", state="completed")
    _joined(earlier, name="Gone", state="withdrawn")
    membership = network_membership(user=me.user, slug=cohort.programme.slug)
    assert membership is not None
    assert list(network_members(membership=membership, alumni=False)) == [peer]
    assert list(network_members(membership=membership, alumni=True)) == [alumnus]


def test_a_withdrawn_participant_is_hidden_and_loses_access() -> None:
    cohort = factories.CohortFactory()
    me = _joined(cohort, name="Me")
    peer = _joined(cohort, name="Peer")
    application = peer.user.applications.get()
    application.state = "withdrawn"
    application.save(update_fields=["state"])
    membership = network_membership(user=me.user, slug=cohort.programme.slug)
    assert membership is not None
    assert list(network_members(membership=membership, alumni=False)) == []
    assert network_membership(user=peer.user, slug=cohort.programme.slug) is None


def test_members_are_searched_by_local_authority_region_and_role() -> None:
    cohort = factories.CohortFactory()
    me = _joined(cohort)
    authority = factories.LocalAuthorityFactory(name="Cardiff")
    wanted = _joined(
        cohort, local_authority=authority, region="wales", job_title="Head of safeguarding"
    )
    _joined(cohort, region="london", job_title="Head of finance")
    membership = network_membership(user=me.user, slug=cohort.programme.slug)
    assert membership is not None
    for filters in (
        {"local_authority_id": authority.pk},
        {"region": "wales"},
        {"role": "safeguarding"},
    ):
        assert list(network_members(membership=membership, alumni=False, **filters)) == [wanted]


def test_opt_in_page_then_directory(client) -> None:
    cohort = factories.CohortFactory()
    user = participant(cohort=cohort, email="me@example.org", full_name="Nia Jones")
    client.force_login(user)
    url = reverse("network:programme", args=[cohort.programme.slug])
    page = client.get(url)
    assert page.templates[0].name == "network/join.html"
    assert page.context["form"].initial["contact_email"] == "me@example.org"
    response = client.post(
        reverse("network:profile", args=[cohort.programme.slug]),
        {**PROFILE, "local_authority": "", "see_alumni": ""},
    )
    assert response.status_code == 302
    assert client.get(url).templates[0].name == "network/members.html"
    leave = client.post(reverse("network:leave", args=[cohort.programme.slug]))
    assert leave.status_code == 302
    assert not NetworkProfile.objects.exists()


def test_alumni_are_shown_only_to_someone_who_chose_them(client) -> None:
    cohort = factories.CohortFactory()
    earlier = factories.CohortFactory(programme=cohort.programme)
    _joined(earlier, name="Alumnus", state="completed")
    me = _joined(cohort, see_alumni=False)
    client.force_login(me.user)
    url = reverse("network:programme", args=[cohort.programme.slug])
    assert client.get(url, {"alumni": "on"}).context["members"] == []
    me.see_alumni = True
    me.save()
    assert [m.name for m in client.get(url, {"alumni": "on"}).context["members"]] == ["Alumnus"]


@pytest.mark.parametrize("count", [3, 60])
def test_directory_uses_a_fixed_number_of_queries(client, django_assert_num_queries, count) -> None:
    cohort = factories.CohortFactory()
    me = _joined(cohort)
    for _ in range(count):
        _joined(cohort, local_authority=factories.LocalAuthorityFactory())
    client.force_login(me.user)
    # session, user, programme, my cohort, my profile, members, local authorities (the select)
    with django_assert_num_queries(session_reads() + 6):
        response = client.get(reverse("network:programme", args=[cohort.programme.slug]))
    assert len(response.context["members"]) == count


@pytest.mark.parametrize("count", [3, 30])
def test_staff_page_lists_names_in_fixed_queries(client, django_assert_num_queries, count) -> None:
    cohort = factories.CohortFactory()
    manager = factories.UserFactory()
    factories.ProgrammeTeamMemberFactory(user=manager, programme=cohort.programme)
    for _ in range(count):
        _joined(cohort, contact_email="secret@example.org", can_help_with="Secret help")
    client.force_login(manager)
    # session, user, programme, role, names
    with django_assert_num_queries(session_reads() + 4):
        response = client.get(reverse("manage:network", args=[cohort.programme.pk]))
    assert len(response.context["names"]) == count
    assert b"secret@example.org" not in response.content
    assert b"Secret help" not in response.content


@pytest.mark.parametrize("count", [3, 30])
def test_network_index_uses_a_fixed_number_of_queries(
    client, django_assert_num_queries, count
) -> None:
    user = factories.UserFactory()
    for _ in range(count):
        factories.ApplicationFactory(applicant=user, state="completed")
    client.force_login(user)
    # session, user, programmes with whether joined, profiles left behind
    with django_assert_num_queries(session_reads() + 3):
        response = client.get(reverse("network:index"))
    assert len(response.context["programmes"]) == count


def test_network_index_lists_only_programmes_with_a_place(client) -> None:
    user = factories.UserFactory()
    mine = factories.ApplicationFactory(applicant=user, state="enrolled").cohort.programme
    factories.ApplicationFactory(applicant=user, state="waitlisted")
    factories.ApplicationFactory(applicant=user, state="withdrawn")
    client.force_login(user)
    assert client.get(reverse("network:index")).context["programmes"] == [(mine, False)]


def test_a_withdrawn_participant_can_still_delete_their_hidden_profile(client) -> None:
    cohort = factories.CohortFactory()
    profile = _joined(cohort, state="withdrawn")
    _joined(factories.CohortFactory())  # someone else's, elsewhere
    client.force_login(profile.user)
    index = client.get(reverse("network:index"))
    assert index.context["left_behind"] == [profile]
    response = client.post(reverse("network:leave", args=[cohort.programme.slug]))
    assert response.status_code == 302
    assert not NetworkProfile.objects.filter(user=profile.user).exists()
