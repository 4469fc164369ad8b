"""The applicant's profile: employer rules, grouped local authorities, kept input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.forms import DATE_INVALID
from accounts.models import EmployerType, Nation, Profile
from accounts.services import (
    EMPLOYER_NAME_REQUIRED,
    LOCAL_AUTHORITY_REQUIRED,
    NATION_MISMATCH,
    ROLE_SINCE_IN_FUTURE,
)
from portal.validators import LOOKS_LIKE_A_FORMULA
from tests import factories

from .dates import with_date_parts

pytestmark = pytest.mark.django_db

URL = "/account/profile/"


@pytest.fixture
def councils() -> dict[str, object]:
    return {
        "england": factories.LocalAuthorityFactory(name="Testshire County Council"),
        "wales": factories.LocalAuthorityFactory(name="Cyngor Prawf", nation=Nation.WALES),
    }


@pytest.fixture
def applicant(client):  # type: ignore[no-untyped-def]
    user = factories.UserFactory(full_name="Ali Khan")
    client.force_login(user)
    return user


def _data(**overrides: object) -> dict[str, object]:
    return with_date_parts(
        {
            "full_name": "Ali Khan",
            "phone": "01632 960123",
            "job_title": "Head of safeguarding",
            "current_role": "head_of_service",
            "current_role_since": "2022-09-01",
            "employer_type": EmployerType.LOCAL_AUTHORITY,
            "local_authority": "",
            "employer_name": "",
            "sector": "childrens_social_care",
            "nation": "",
            **overrides,
        },
        "current_role_since",
    )


def test_profile_is_created_on_first_save_and_takes_the_councils_nation(
    client, applicant, councils
) -> None:
    assert not Profile.objects.exists()

    response = client.post(URL, _data(local_authority=councils["wales"].pk, full_name="Ali R Khan"))

    assert response.status_code == 302
    profile = Profile.objects.get(user=applicant)
    assert profile.local_authority == councils["wales"]
    assert profile.nation == Nation.WALES
    assert profile.current_role_since == dt.date(2022, 9, 1)
    applicant.refresh_from_db()
    assert applicant.full_name == "Ali R Khan"


def test_saving_again_updates_the_same_profile(client, applicant, councils) -> None:
    client.post(URL, _data(local_authority=councils["england"].pk))
    client.post(
        URL, _data(employer_type=EmployerType.CHARITY, employer_name="Kids First", nation="england")
    )

    profile = Profile.objects.get(user=applicant)
    assert (profile.employer_name, profile.local_authority) == ("Kids First", None)
    assert Profile.objects.count() == 1


def test_local_authority_employer_must_name_the_authority(client, applicant, councils) -> None:
    response = client.post(URL, _data())
    assert response.status_code == 200
    assert str(LOCAL_AUTHORITY_REQUIRED) in response.context["form"].errors["local_authority"]
    assert 'href="#id_local_authority"' in response.content.decode()
    assert not Profile.objects.exists()


def test_other_employers_must_be_named(client, applicant) -> None:
    response = client.post(URL, _data(employer_type=EmployerType.NHS, nation="england"))
    assert str(EMPLOYER_NAME_REQUIRED) in response.context["form"].errors["employer_name"]
    assert not Profile.objects.exists()


def test_nation_must_match_the_local_authority(client, applicant, councils) -> None:
    response = client.post(URL, _data(local_authority=councils["wales"].pk, nation="england"))

    message = str(NATION_MISMATCH) % {"authority": "Cyngor Prawf", "nation": "Wales"}
    assert response.context["form"].errors["nation"] == [message]
    assert not Profile.objects.exists()


def test_role_start_in_the_future_is_refused(client, applicant, councils) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        URL, _data(local_authority=councils["england"].pk, current_role_since=tomorrow.isoformat())
    )
    assert str(ROLE_SINCE_IN_FUTURE) in response.context["form"].errors["current_role_since"]


def test_an_unreadable_date_is_a_message_not_a_server_error(client, applicant, councils) -> None:
    response = client.post(
        URL, _data(local_authority=councils["england"].pk, current_role_since="31/02/2022")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["current_role_since"] == [str(DATE_INVALID)]


def test_errors_keep_everything_typed(client, applicant, councils) -> None:
    response = client.post(
        URL,
        _data(
            job_title="",
            phone="07700 900123",
            employer_type=EmployerType.CHARITY,
            employer_name="Family Voices",
            current_role_since="2021-03-04",
            nation="wales",
        ),
    )
    body = response.content.decode()
    assert 'href="#id_job_title"' in body
    assert 'value="07700 900123"' in body
    assert 'value="Family Voices"' in body
    assert 'name="current_role_since_day" value="04"' in body
    assert 'name="current_role_since_year" value="2021"' in body
    assert '<option value="charity" selected>' in body
    assert '<option value="wales" selected>' in body


def test_local_authorities_are_grouped_by_nation(client, applicant, councils) -> None:
    body = client.get(URL).content.decode()
    england, wales = (
        body.index('<optgroup label="England">'),
        body.index('<optgroup label="Wales">'),
    )
    assert england < body.index("Testshire County Council") < wales < body.index("Cyngor Prawf")
    assert '<option value="" selected>Not a local authority</option>' in body


def test_form_shows_the_saved_profile(client, applicant, councils) -> None:
    factories.ProfileFactory(user=applicant, local_authority=councils["england"], phone="0101")
    body = client.get(URL).content.decode()
    assert f'<option value="{councils["england"].pk}" selected>' in body
    assert 'value="0101"' in body


def test_a_name_a_spreadsheet_would_run_as_a_formula_is_refused(
    client, applicant, councils
) -> None:
    response = client.post(
        URL, _data(full_name="=cmd|' /C calc'!A0", local_authority=councils["england"].pk)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["full_name"] == [
        str(LOOKS_LIKE_A_FORMULA) % {"character": "="}
    ]
    applicant.refresh_from_db()
    assert applicant.full_name == "Ali Khan"
    assert not Profile.objects.exists()
