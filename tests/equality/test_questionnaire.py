"""The questionnaire: optional, own words only beside their option, editable and deletable."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from equality import forms as equality_forms
from equality import views
from equality.models import (
    PREFER_NOT_TO_SAY,
    EqualityAnswers,
    EthnicGroup,
    EthnicGroupCategory,
    Religion,
    SexualOrientation,
)
from equality.services import InvalidAnswer, equality_answers_save
from tests import factories
from tests.queries import session_reads

from .factories import EqualityAnswersFactory, answers_form

pytestmark = pytest.mark.django_db

URL = reverse("equality:questionnaire")


@pytest.fixture
def user() -> Any:
    return factories.UserFactory(email="ola@example.org")


@pytest.fixture
def client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(client: Client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_people_are_sent_to_sign_in() -> None:
    response = Client().get(URL)
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_the_page_says_why_it_asks_who_sees_what_and_that_selection_is_not_affected(
    client: Client,
) -> None:
    page = _page(client)
    assert "These questions are optional" in page
    assert "Only you can see your own answers." in page
    assert "only for groups of 5 or more" in page
    assert "never affect screening, offers or selection" in page


def test_every_question_has_prefer_not_to_say(client: Client) -> None:
    page = _page(client)
    for name in equality_forms.QUESTIONS:
        assert f'name="{name}" id="id_{name}_' in page
        assert re.search(rf'name="{name}" id="id_{name}_\d+" value="{PREFER_NOT_TO_SAY}"', page)
    assert page.count(f'value="{PREFER_NOT_TO_SAY}"') == len(equality_forms.QUESTIONS)


def test_the_ethnic_groups_are_19_radios_under_5_headings_each_a_fieldset(client: Client) -> None:
    page = _page(client)
    headings = re.findall(
        r'<fieldset class="mb-3 ethnic-heading" data-heading="(\w+)">\s*'
        r"<legend[^>]*>([^<]+)</legend>(.*?)</fieldset>",
        page,
        re.S,
    )
    assert [(key, label) for key, label, _body in headings] == [
        (c.value, str(c.label)) for c in EthnicGroupCategory
    ]
    options = [
        re.findall(r'name="ethnic_group" id="[^"]+" value="(\w+)"', body) for *_, body in headings
    ]
    assert sum(len(o) for o in options) == 19
    assert options[0] == [
        "asian_bangladeshi", "asian_chinese", "asian_indian", "asian_pakistani", "asian_other"
    ]  # fmt: skip
    # Each heading has one own-words box, labelled with the option it belongs to.
    for *_, body in headings:
        assert body.count('type="text"') == 1
    assert "In your own words (optional): Any other White background" in page


def test_nothing_is_required(client: Client, user: Any) -> None:
    response = client.post(URL, {"sex": "female"})
    assert response.status_code == 302
    row = EqualityAnswers.objects.get(user=user)
    assert row.ethnic_group == row.religion_own_words == "" and row.sex == "female"


def test_saving_with_nothing_answered_keeps_no_row_and_says_so(client: Client, user: Any) -> None:
    EqualityAnswersFactory(user=user)
    response = client.post(URL, {}, follow=True)
    assert str(views.NOTHING_ANSWERED) in response.content.decode()
    assert not EqualityAnswers.objects.filter(user=user).exists()


def test_saving_stores_the_answers_and_confirms(client: Client, user: Any) -> None:
    response = client.post(URL, answers_form(), follow=True)
    assert response.redirect_chain == [(reverse("equality:saved"), 302)]
    assert str(views.SAVED) in response.content.decode()
    row = EqualityAnswers.objects.get(user=user)
    assert (row.ethnic_group, row.ethnic_group_own_words) == (EthnicGroup.WHITE_OTHER, "Cornish")
    assert (row.sex, row.age_band, row.caring) == ("male", "40_49", "children")


def test_the_page_shows_the_saved_answers_to_change(client: Client, user: Any) -> None:
    client.post(URL, answers_form())
    page = _page(client)
    assert re.search(r'value="white_other" checked', page)
    assert 'id="id_ethnic_group_own_words_white" value="Cornish"' in page
    # Only the chosen option's box is filled in.
    assert page.count('value="Cornish"') == 1


def test_editing_replaces_the_answers_and_keeps_one_row(client: Client, user: Any) -> None:
    client.post(URL, answers_form())
    client.post(
        URL,
        answers_form(
            ethnic_group=EthnicGroup.WHITE_IRISH, ethnic_group_own_words_white="", sex=None
        ),
    )
    row = EqualityAnswers.objects.get(user=user)
    assert (row.ethnic_group, row.ethnic_group_own_words, row.sex) == ("white_irish", "", "")


def test_own_words_under_an_option_not_chosen_are_an_error_and_kept_to_fix(
    client: Client, user: Any
) -> None:
    """The kinder choice: nothing someone wrote about themselves disappears unannounced."""
    response = client.post(
        URL,
        answers_form(ethnic_group=EthnicGroup.ASIAN_INDIAN, ethnic_group_own_words_white="Cornish"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    message = str(equality_forms.OWN_WORDS_NOT_CHOSEN) % {"option": "Any other White background"}
    assert message in page.replace("&ldquo;", "“").replace("&rdquo;", "”")
    assert 'href="#id_ethnic_group_own_words_white"' in page
    assert 'value="Cornish"' in page and 'aria-invalid="true"' in page
    assert not EqualityAnswers.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    ("question", "box", "other"),
    [
        ("sexual_orientation", "sexual_orientation_own_words", SexualOrientation.OTHER),
        ("religion", "religion_own_words", Religion.OTHER),
        ("ethnic_group", "ethnic_group_own_words_mixed", EthnicGroup.MIXED_OTHER),
    ],
)
def test_own_words_are_accepted_only_beside_their_any_other_option(
    client: Client, user: Any, question: str, box: str, other: str
) -> None:
    base = {"ethnic_group_own_words_white": ""}
    refused = client.post(URL, answers_form(**base, **{question: PREFER_NOT_TO_SAY, box: "Mine"}))
    assert refused.status_code == 400
    assert list(refused.context["form"].errors) == [box]
    accepted = client.post(URL, answers_form(**base, **{question: other, box: "In my words"}))
    assert accepted.status_code == 302
    model_field = equality_forms.OWN_WORDS[box][0]
    assert getattr(EqualityAnswers.objects.get(user=user), model_field) == "In my words"


def test_own_words_in_the_box_of_another_heading_are_refused(client: Client) -> None:
    response = client.post(
        URL,
        answers_form(
            ethnic_group=EthnicGroup.ASIAN_OTHER,
            ethnic_group_own_words_white="",
            ethnic_group_own_words_asian="Hmong",
            ethnic_group_own_words_black="Somali",
        ),
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["ethnic_group_own_words_black"]


def test_a_value_that_is_not_a_choice_is_refused(client: Client, user: Any) -> None:
    response = client.post(URL, answers_form(sex="robot"))
    assert response.status_code == 400
    assert 'href="#id_sex_0"' in response.content.decode()
    assert not EqualityAnswers.objects.filter(user=user).exists()


def test_the_service_clears_own_words_beside_another_option_whoever_calls_it(user: Any) -> None:
    row = equality_answers_save(
        user=user,
        answers={
            "ethnic_group": EthnicGroup.WHITE_IRISH,
            "ethnic_group_own_words": "stale",
            "religion": Religion.OTHER,
            "religion_own_words": "Pagan",
        },
    )
    assert (row.ethnic_group_own_words, row.religion_own_words) == ("", "Pagan")
    with pytest.raises(InvalidAnswer):
        equality_answers_save(user=user, answers={"sex": "robot"})


def test_one_persons_answers_never_show_on_anothers_page(client: Client) -> None:
    EqualityAnswersFactory(user=factories.UserFactory())
    page = _page(client)
    assert "Zebulon" not in page and " checked" not in page


def test_delete_asks_first_then_deletes_every_answer(client: Client, user: Any) -> None:
    EqualityAnswersFactory(user=user)
    other = EqualityAnswersFactory()
    confirm = client.get(reverse("equality:delete"))
    assert confirm.status_code == 200
    assert "Yes, delete all my answers" in confirm.content.decode()
    assert EqualityAnswers.objects.filter(user=user).exists()
    response = client.post(reverse("equality:delete"), follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert str(views.DELETED) in response.content.decode()
    assert not EqualityAnswers.objects.filter(user=user).exists()
    assert EqualityAnswers.objects.filter(pk=other.pk).exists()


def test_delete_with_nothing_saved_says_so(client: Client) -> None:
    assert "nothing to delete" in client.get(reverse("equality:delete")).content.decode()
    response = client.post(reverse("equality:delete"), follow=True)
    assert str(views.NOTHING_TO_DELETE) in response.content.decode()


def test_the_account_home_links_to_the_questionnaire(client: Client) -> None:
    assert f'href="{URL}"' in client.get(reverse("accounts:home")).content.decode()


@pytest.mark.parametrize("answers", [0, 1])
def test_the_questionnaire_page_makes_a_constant_number_of_queries(
    client: Client, user: Any, answers: int, django_assert_num_queries: Any
) -> None:
    if answers:
        EqualityAnswersFactory(user=user)
    EqualityAnswersFactory.create_batch(3 if not answers else 60)
    # Session, user, the person's answers.
    with django_assert_num_queries(session_reads() + 2):
        assert client.get(URL).status_code == 200


def test_saving_makes_a_fixed_number_of_queries(
    client: Client, user: Any, django_assert_num_queries: Any
) -> None:
    EqualityAnswersFactory(user=user)
    # Session, user, the answers for the form; then update_or_create: savepoint, the
    # row locked, update, release.
    with django_assert_num_queries(session_reads() + 6):
        assert client.post(URL, answers_form()).status_code == 302


def test_the_saved_and_delete_pages_make_a_fixed_number_of_queries(
    client: Client, user: Any, django_assert_num_queries: Any
) -> None:
    EqualityAnswersFactory(user=user)
    for name in ("equality:saved", "equality:delete"):
        with django_assert_num_queries(session_reads() + 2):
            assert client.get(reverse(name)).status_code == 200
