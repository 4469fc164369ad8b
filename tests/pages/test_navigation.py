"""The header links staff to their areas, worked out at sign-in, at no query per page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes.models import ProgrammeTeamMember
from tests import factories

pytestmark = pytest.mark.django_db

MANAGE, PROVIDER = "Manage programmes", "Provider area"


def _header_after_sign_in(user) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)  # sends user_logged_in, as a real sign-in does
    return client.get(reverse("programmes:list")).content.decode()


def test_programme_team_sees_manage_programmes() -> None:
    member = factories.ProgrammeTeamMemberFactory(role=ProgrammeTeamMember.Role.SCREENER)
    html = _header_after_sign_in(member.user)
    assert MANAGE in html and reverse("manage:cohorts") in html
    assert PROVIDER not in html


def test_provider_staff_see_the_provider_area() -> None:
    membership = factories.ProviderMembershipFactory()
    html = _header_after_sign_in(membership.user)
    assert PROVIDER in html and MANAGE not in html


def test_applicants_and_visitors_see_neither() -> None:
    html = _header_after_sign_in(factories.UserFactory())
    assert MANAGE not in html and PROVIDER not in html
    anonymous = Client().get(reverse("programmes:list")).content.decode()
    assert MANAGE not in anonymous and PROVIDER not in anonymous


def test_the_links_cost_no_query_per_page() -> None:
    member = factories.ProgrammeTeamMemberFactory()
    client = Client()
    client.force_login(member.user)
    client.get(reverse("pages:cookies"))
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("pages:cookies"))
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "programmes_programmeteammember" not in sql
    assert "programmes_providermembership" not in sql
