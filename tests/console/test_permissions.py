"""Who may use each console page: the team of the programme, and nobody else.

The URL-by-role matrix (tests/authz) covers every role on every URL; these add
the cases it cannot: another programme's manager, and superusers on any programme.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from applications.models import ApplicationState as S
from tests import factories

from .conftest import make_application

pytestmark = pytest.mark.django_db

COHORT_PAGES = ["manage:cohort", "manage:queue", "manage:waiting_list", "manage:attendance"]
MANAGER_POSTS = ["manage:offer", "manage:reject", "manage:waitlist"]


@pytest.mark.parametrize("name", COHORT_PAGES)
def test_another_programmes_manager_gets_404_on_cohort_pages(name, cohort, other_manager) -> None:
    client = Client()
    client.force_login(other_manager)
    assert client.get(reverse(name, args=[cohort.pk])).status_code == 404


@pytest.mark.parametrize("name", ["manage:application", *MANAGER_POSTS, "manage:decide"])
def test_another_programmes_manager_gets_404_on_applications(name, cohort, other_manager) -> None:
    application = make_application(cohort)
    client = Client()
    client.force_login(other_manager)
    method = client.get if name == "manage:application" else client.post
    assert method(reverse(name, args=[application.pk])).status_code == 404
    application.refresh_from_db()
    assert application.state == S.ELIGIBLE


def test_another_programmes_manager_sees_only_their_cohorts(cohort, other_manager) -> None:
    client = Client()
    client.force_login(other_manager)
    response = client.get(reverse("manage:cohorts"))
    assert response.status_code == 200
    assert cohort.name not in response.content.decode()


@pytest.mark.parametrize("name", COHORT_PAGES)
def test_manager_and_screener_see_cohort_pages(name, cohort, manager_client, screener_client):
    for client in (manager_client, screener_client):
        assert client.get(reverse(name, args=[cohort.pk])).status_code == 200


@pytest.mark.parametrize("name", MANAGER_POSTS)
def test_screener_cannot_change_places(name, cohort, screener_client) -> None:
    application = make_application(cohort)
    response = screener_client.post(reverse(name, args=[application.pk]), {"reason": "No"})
    assert response.status_code == 403
    assert "Only the programme team can make offers" in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.ELIGIBLE


def test_screener_cannot_bulk_offer_reorder_change_capacity_or_record_attendance(
    cohort, screener_client
) -> None:
    enrolled = make_application(cohort, S.ENROLLED)
    chosen = make_application(cohort)
    posts = [
        ("manage:bulk_offer", {"applications": [chosen.pk]}),
        ("manage:capacity", {"capacity": 10}),
        ("manage:waiting_list", {"application": chosen.pk, "direction": "up", "expected": ""}),
        ("manage:attendance", {"application": enrolled.pk, "completed": "yes"}),
    ]
    for name, data in posts:
        assert screener_client.post(reverse(name, args=[cohort.pk]), data).status_code == 403
    cohort.refresh_from_db()
    enrolled.refresh_from_db()
    chosen.refresh_from_db()
    assert (cohort.capacity, enrolled.state, chosen.state) == (3, S.ENROLLED, S.ELIGIBLE)


def test_anonymous_is_sent_to_sign_in(cohort) -> None:
    response = Client().get(reverse("manage:cohort", args=[cohort.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_applicant_gets_404_even_on_their_own_application(cohort) -> None:
    application = make_application(cohort)
    client = Client()
    client.force_login(application.applicant)
    assert client.get(reverse("manage:application", args=[application.pk])).status_code == 404
    assert client.get(reverse("manage:cohort", args=[cohort.pk])).status_code == 404


def test_people_in_no_team_see_an_empty_list(cohort) -> None:
    client = Client()
    client.force_login(factories.UserFactory())
    response = client.get(reverse("manage:cohorts"))
    assert response.status_code == 200
    assert "You do not manage any programmes" in response.content.decode()


def test_superuser_sees_every_programme(cohort) -> None:
    from accounts.models import User

    admin = User.objects.create_superuser("root@example.org", factories.PASSWORD)
    client = Client()
    client.force_login(admin)
    assert cohort.name in client.get(reverse("manage:cohorts")).content.decode()
    assert client.get(reverse("manage:cohort", args=[cohort.pk])).status_code == 200


def test_drafts_are_not_shown_in_the_console(cohort, manager_client) -> None:
    draft = make_application(cohort, S.DRAFT)
    assert manager_client.get(reverse("manage:application", args=[draft.pk])).status_code == 404


def test_account_home_links_team_members_to_the_console(client) -> None:
    from programmes.models import ProgrammeTeamMember

    member = factories.UserFactory()
    factories.ProgrammeTeamMemberFactory(user=member, role=ProgrammeTeamMember.Role.SCREENER)
    outsider = factories.UserFactory()
    client.force_login(member)
    assert "Manage programmes" in client.get("/account/").content.decode()
    client.force_login(outsider)
    assert "Manage programmes" not in client.get("/account/").content.decode()
